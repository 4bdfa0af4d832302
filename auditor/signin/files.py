"""Offline sign-in evidence: CloudTrail log files and folders → ``SigninEvidence``.

A folder is walked for CloudTrail's S3 delivery layout
(``AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz``; an organization trail adds the
organization id) and for plain ``.json`` files; digest and Insights folders are skipped (they hold
no sign-ins). A file named directly is always read. Files are read one after another and records
one at a time, so a month of an organization trail needs the memory of its sign-in totals only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from auditor.errors import InputError, UsageError
from auditor.signin.aggregate import SigninAggregator
from auditor.signin.records import SigninEvidence
from auditor.signin.stream import iter_file_records

LOG_SUFFIXES = (".json.gz", ".json")
SKIPPED_FOLDERS = frozenset({"CloudTrail-Digest", "CloudTrail-Insight"})

Progress = Callable[[str], None]


def log_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The log files under ``paths``, in a stable order; a missing path is a usage error."""
    for path in paths:
        if path.is_file():
            yield path
            continue
        if not path.is_dir():
            raise UsageError(f"--cloudtrail {path}: no such file or folder")
        found = False
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS)
            for name in sorted(names):
                if name.endswith(LOG_SUFFIXES) and not name.startswith("."):
                    found = True
                    yield Path(folder) / name
        if not found:
            raise InputError(
                f"--cloudtrail {path}: no CloudTrail log files (*.json.gz, *.json) in this folder"
            )


def read_cloudtrail(
    paths: Sequence[Path],
    *,
    account_id: str,
    window_end: datetime,
    days: int,
    progress: Progress | None = None,
) -> SigninEvidence:
    """Sign-in evidence of ``account_id`` from CloudTrail files over the last ``days`` days."""
    aggregator = SigninAggregator(
        window_end - timedelta(days=days), window_end, account_ids=[account_id]
    )
    count = feed_files(aggregator, paths, progress=progress)
    return aggregator.evidence(account_id, source="cloudtrail_files", days=days, files_read=count)


def feed_files(
    aggregator: SigninAggregator, paths: Iterable[Path], *, progress: Progress | None = None
) -> int:
    """Stream every record of every file into ``aggregator``; returns the number of files."""
    count = 0
    for count, path in enumerate(log_files(list(paths)), start=1):
        for record in iter_file_records(path):
            aggregator.add_record(record)
        if progress is not None and count % 100 == 0:
            progress(f"Read {count} CloudTrail files, {aggregator.records} records")
    return count
