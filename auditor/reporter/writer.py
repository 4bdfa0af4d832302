"""``write_reports``: render every output in memory, then write each file atomically.

Rendering first means a bad baseline or a template error stops the run before any file exists.
``findings.json`` is written last: it is what marks a run folder as finished for
``find_baseline``, so a run killed half-way is never mistaken for the previous run (a run
without the ``json`` format leaves no baseline for the next one).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from auditor.errors import ReportError
from auditor.fileio import write_bytes_atomic, write_text_atomic
from auditor.models import AuditResult, Snapshot
from auditor.reporter.asff import DEFAULT_REGION, asff_findings
from auditor.reporter.csv_report import csv_files, csv_tables
from auditor.reporter.diff import compare
from auditor.reporter.findings_file import dumps_document, load_findings_json
from auditor.reporter.formats import DEFAULT_FORMATS, ReportFormat
from auditor.reporter.html import render_html
from auditor.reporter.interchange import default_rules
from auditor.reporter.json_report import findings_document
from auditor.reporter.ocsf import ocsf_findings
from auditor.reporter.paths import ReportPaths
from auditor.reporter.report_data import ReportData
from auditor.reporter.xlsx import require_openpyxl, xlsx_bytes
from auditor.snapshot_io import dumps_snapshot


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the reports are rendered.

    Rendering builds millions of short-lived dicts and lists (the snapshot as JSON, the CSV
    rows, the page data). Each burst of allocations triggers collections, and the oldest
    generation's collection walks every live object, i.e. the whole snapshot and analysis:
    at 10,000 users that walking was about as costly as the rendering itself. Nothing here
    creates reference cycles, so reference counting frees everything anyway; the previous
    state is restored on the way out.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_reports(
    result: AuditResult,
    out_dir: Path,
    *,
    snapshot: Snapshot | None = None,
    baseline: Path | None = None,
    excel_bom: bool = True,
    xlsx: bool = False,
    generated_at: datetime,
    formats: frozenset[ReportFormat] = DEFAULT_FORMATS,
    asff_region: str = DEFAULT_REGION,
) -> ReportPaths:
    """Write the reports of ``formats`` (and snapshot/xlsx when asked) into ``out_dir``.

    ``excel_bom`` (default on) starts each CSV with a UTF-8 byte-order mark: without it Excel
    decodes the file in the Windows code page and garbles non-ASCII names and the ``→`` of
    access paths; pandas and LibreOffice read the mark, Python's ``csv`` needs ``utf-8-sig``.

    ``asff_region`` is the Security Hub region named in ``findings.asff.json``. Raises
    ``ReportError`` when a file cannot be written or xlsx is asked without openpyxl, and
    ``InputError`` when the baseline cannot be read or belongs to another account.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"cannot write reports into {out_dir}: it is not a folder")
    if xlsx:
        require_openpyxl()
    with _collector_paused():
        diff = None if baseline is None else compare(result, load_findings_json(baseline))
        data = ReportData.build(result, generated_at, diff)
        paths = ReportPaths.in_folder(
            out_dir, snapshot=snapshot is not None, xlsx=xlsx, formats=formats
        )

        files: list[tuple[Path, bytes]] = []
        if snapshot is not None and paths.snapshot_json is not None:
            files.append((paths.snapshot_json, (dumps_snapshot(snapshot) + "\n").encode("utf-8")))
        need_tables = ReportFormat.CSV in formats or paths.xlsx is not None
        tables = csv_tables(data) if need_tables else None
        if tables is not None and ReportFormat.CSV in formats:
            csvs = csv_files(tables, excel_bom=excel_bom)
            principals_csv = paths.principals_csv or paths.folder / "principals.csv"
            files.extend(
                [
                    (paths.findings_csv, csvs["findings.csv"]),
                    (principals_csv, csvs["principals.csv"]),
                    (paths.users_csv, csvs["users.csv"]),
                    (paths.groups_csv, csvs["groups.csv"]),
                ]
            )
        if tables is not None and paths.xlsx is not None:
            files.append((paths.xlsx, xlsx_bytes(tables)))
        rules = default_rules() if paths.ocsf_json or paths.asff_json else {}
        if paths.ocsf_json is not None:
            ocsf = ocsf_findings(result, generated_at=generated_at, rules=rules)
            files.append((paths.ocsf_json, _json_bytes(ocsf)))
        if paths.asff_json is not None:
            asff = asff_findings(result, generated_at=generated_at, rules=rules, region=asff_region)
            files.append((paths.asff_json, _json_bytes(asff)))
        if ReportFormat.HTML in formats:
            files.append((paths.html, render_html(data).encode("utf-8")))
        findings_json = (
            dumps_document(findings_document(data)) if ReportFormat.JSON in formats else None
        )

    for path, payload in files:
        write_bytes_atomic(path, payload)
    if findings_json is not None:
        write_text_atomic(paths.findings_json, findings_json)
    return paths


def findings_json_text(
    result: AuditResult, *, generated_at: datetime, baseline: Path | None = None
) -> str:
    """The ``findings.json`` document as text, for ``--format json --out -`` (stdout)."""
    diff = None if baseline is None else compare(result, load_findings_json(baseline))
    return dumps_document(findings_document(ReportData.build(result, generated_at, diff)))


def _json_bytes(items: list[dict[str, Any]]) -> bytes:
    return (json.dumps(items, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
