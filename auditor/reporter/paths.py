"""Where reports go: ``<reports root>/<account id>/<UTC timestamp>/``, and the previous run.

The timestamp format (``20261127T220400Z``) sorts lexically in time order, so the latest earlier
run is found by name alone, without trusting file modification times that a copy or a backup
restore would change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from auditor.errors import ReportError
from auditor.reporter.formats import DEFAULT_FORMATS, ReportFormat
from auditor.timeutil import as_utc

RUN_FOLDER_FORMAT = "%Y%m%dT%H%M%SZ"
_RUN_FOLDER_NAME = re.compile(r"^\d{8}T\d{6}Z$")
_SAFE_ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

FINDINGS_JSON_NAME = "findings.json"
OCSF_JSON_NAME = "findings.ocsf.json"
ASFF_JSON_NAME = "findings.asff.json"


@dataclass(frozen=True)
class ReportPaths:
    """The files one run wrote; ``None`` for the optional ones it did not write.

    ``html``, the CSV files and ``findings_json`` are always named; ``formats`` says which of
    them were written (``all()`` lists only those).
    """

    folder: Path
    html: Path
    findings_csv: Path
    users_csv: Path
    groups_csv: Path
    findings_json: Path
    snapshot_json: Path | None = None
    xlsx: Path | None = None
    principals_csv: Path | None = None
    """Written with the CSV format; optional only so older callers' records still build."""
    ocsf_json: Path | None = None
    asff_json: Path | None = None
    formats: frozenset[ReportFormat] = DEFAULT_FORMATS

    def all(self) -> list[Path]:
        """Every written file, most useful first (what the CLI prints)."""
        files = [self.html] if ReportFormat.HTML in self.formats else []
        if ReportFormat.CSV in self.formats:
            files.append(self.findings_csv)
            if self.principals_csv is not None:
                files.append(self.principals_csv)
            files += [self.users_csv, self.groups_csv]
        if ReportFormat.JSON in self.formats:
            files.append(self.findings_json)
        optional = (self.ocsf_json, self.asff_json, self.snapshot_json, self.xlsx)
        files.extend(path for path in optional if path is not None)
        return files

    @classmethod
    def in_folder(
        cls,
        folder: Path,
        *,
        snapshot: bool,
        xlsx: bool,
        formats: frozenset[ReportFormat] = DEFAULT_FORMATS,
    ) -> ReportPaths:
        return cls(
            folder=folder,
            html=folder / "report.html",
            findings_csv=folder / "findings.csv",
            users_csv=folder / "users.csv",
            groups_csv=folder / "groups.csv",
            findings_json=folder / FINDINGS_JSON_NAME,
            snapshot_json=folder / "snapshot.json" if snapshot else None,
            xlsx=folder / "report.xlsx" if xlsx else None,
            principals_csv=folder / "principals.csv",
            ocsf_json=folder / OCSF_JSON_NAME if ReportFormat.OCSF in formats else None,
            asff_json=folder / ASFF_JSON_NAME if ReportFormat.ASFF in formats else None,
            formats=formats,
        )


def _account_folder(reports_root: Path, account_id: str) -> Path:
    """Refuse ids that could escape the reports root (``..``, ``/``): the id comes from input."""
    if not _SAFE_ACCOUNT.match(account_id) or ".." in account_id:
        raise ReportError(
            f"account id {account_id!r} cannot name a report folder",
            hint="pass --out DIR to choose the folder yourself",
        )
    return reports_root / account_id


def run_folder(reports_root: Path, account_id: str, when: datetime) -> Path:
    """``reports_root/<account-id>/<UTC timestamp>/`` (the folder is not created here)."""
    return _account_folder(reports_root, account_id) / as_utc(when).strftime(RUN_FOLDER_FORMAT)


def find_baseline(reports_root: Path, account_id: str, *, before: Path) -> Path | None:
    """The latest earlier run's ``findings.json`` for the account, or ``None``.

    A folder without ``findings.json`` is skipped: that file is written last, so its absence
    marks a run that was killed or failed before finishing. When ``before`` is itself a
    timestamped run folder, only runs named earlier count; ``before`` never counts.
    """
    account_folder = _account_folder(reports_root, account_id)
    try:
        entries = list(account_folder.iterdir())
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ReportError(f"cannot list {account_folder}: {error.strerror or error}") from None
    limit = before.name if _RUN_FOLDER_NAME.match(before.name) else None
    current = before.resolve()
    candidates = sorted(
        (
            entry
            for entry in entries
            if _RUN_FOLDER_NAME.match(entry.name)
            and (limit is None or entry.name < limit)
            and entry.resolve() != current
        ),
        key=lambda entry: entry.name,
        reverse=True,
    )
    for candidate in candidates:
        findings = candidate / FINDINGS_JSON_NAME
        if findings.is_file():
            return findings
    return None
