"""Which report files a run writes: ``--format html,csv,json,ocsf,asff`` (a comma list).

The default is the people-and-spreadsheet set (html, csv, json); ``ocsf`` (data lakes, Prowler's
format) and ``asff`` (Security Hub) are asked for by name. Parsing lives here, not in the CLI,
so the library and every command agree on the names and on the error for a wrong one.
"""

from __future__ import annotations

import enum

from auditor.errors import UsageError


class ReportFormat(str, enum.Enum):
    HTML = "html"
    CSV = "csv"
    JSON = "json"
    OCSF = "ocsf"
    ASFF = "asff"


DEFAULT_FORMATS: frozenset[ReportFormat] = frozenset(
    {ReportFormat.HTML, ReportFormat.CSV, ReportFormat.JSON}
)
FORMAT_CHOICES = ",".join(f.value for f in ReportFormat)


def parse_formats(text: str) -> frozenset[ReportFormat]:
    """``"html,json"`` → the set; raises ``UsageError`` naming every unknown name at once."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    known = {f.value: f for f in ReportFormat}
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        what = ", ".join(repr(name) for name in unknown) if unknown else "nothing"
        raise UsageError(
            f"--format {text!r}: {what} is not a report format",
            hint=f"choose from {FORMAT_CHOICES}, comma-separated (default html,csv,json)",
        )
    return frozenset(known[name] for name in names)
