"""Reporters: an ``AuditResult`` → ``report.html``, CSV files and ``findings.json``.

No AWS here, and callers need no pandas (it is used inside for CSV). The CLI calls exactly the
names exported below; the CSV columns and the findings.json layout are documented in README.md
next to this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.lazy import lazy_exports

if TYPE_CHECKING:
    from auditor.reporter.csv_report import (
        FINDINGS_CSV_COLUMNS,
        GROUPS_CSV_COLUMNS,
        USERS_CSV_COLUMNS,
    )
    from auditor.reporter.diff import DiffStatus, FindingsDiff
    from auditor.reporter.findings_file import (
        FINDINGS_JSON_SCHEMA_VERSION,
        FindingsFile,
        load_findings_json,
    )
    from auditor.reporter.formats import DEFAULT_FORMATS, ReportFormat, parse_formats
    from auditor.reporter.paths import ReportPaths, find_baseline, run_folder
    from auditor.reporter.principals_table import PRINCIPALS_CSV_COLUMNS
    from auditor.reporter.writer import findings_json_text, write_reports

_HOMES = {
    "FINDINGS_CSV_COLUMNS": "csv_report",
    "GROUPS_CSV_COLUMNS": "csv_report",
    "USERS_CSV_COLUMNS": "csv_report",
    "DiffStatus": "diff",
    "FindingsDiff": "diff",
    "FINDINGS_JSON_SCHEMA_VERSION": "findings_file",
    "FindingsFile": "findings_file",
    "load_findings_json": "findings_file",
    "DEFAULT_FORMATS": "formats",
    "ReportFormat": "formats",
    "parse_formats": "formats",
    "ReportPaths": "paths",
    "find_baseline": "paths",
    "run_folder": "paths",
    "PRINCIPALS_CSV_COLUMNS": "principals_table",
    "findings_json_text": "writer",
    "write_reports": "writer",
}


__getattr__ = lazy_exports(__name__, _HOMES, globals())

__all__ = [
    "DEFAULT_FORMATS",
    "FINDINGS_CSV_COLUMNS",
    "FINDINGS_JSON_SCHEMA_VERSION",
    "GROUPS_CSV_COLUMNS",
    "PRINCIPALS_CSV_COLUMNS",
    "USERS_CSV_COLUMNS",
    "DiffStatus",
    "FindingsDiff",
    "FindingsFile",
    "ReportFormat",
    "ReportPaths",
    "find_baseline",
    "findings_json_text",
    "load_findings_json",
    "parse_formats",
    "run_folder",
    "write_reports",
]
