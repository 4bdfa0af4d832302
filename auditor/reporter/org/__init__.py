"""The organization summary: ``summary.html``, ``accounts.csv`` and ``all-findings.csv``.

One self-contained page (inline CSS, no scripts, no CDN; a Content-Security-Policy forbids
fetching anything) ranking the accounts and linking to each account's own report. Account names
come from the organization and are untrusted: the template is rendered with autoescape on, and
every name, reason and ARN goes through the per-account report's ``reveal`` filter, so a
right-to-left override or zero-width character in a name shows as a ``U+XXXX`` badge instead of
silently reordering or hiding text (the same account must not read differently on the two pages).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from auditor import __version__
from auditor.fileio import write_bytes_atomic
from auditor.org.results import AccountStatus, OrgRunResult
from auditor.reporter.html import template_environment
from auditor.reporter.org.rows import (
    ACCOUNT_COLUMNS,
    SEVERITIES,
    account_csv_cells,
    account_rows,
)
from auditor.reporter.org.tables import all_findings_csv, to_csv
from auditor.reporter.values import human_time

__all__ = ["write_org_summary"]


def write_org_summary(result: OrgRunResult, folder: Path, *, generated_at: datetime) -> list[Path]:
    """Write the three summary files into ``folder`` (atomically) and return their paths.

    Raises ``ReportError`` when a file cannot be written or an audited account's findings do not
    match its counts (``all-findings.csv`` must never be shorter than the accounts' own files).
    """
    rows = account_rows(result, folder)
    findings = all_findings_csv(sorted(result.audited, key=lambda outcome: outcome.account_id))
    html = (
        template_environment("auditor.reporter.org")
        .get_template("summary.html")
        .render(
            result=result,
            rows=rows,
            severities=[s.value for s in SEVERITIES],
            totals=[result.open_by_severity[s] for s in SEVERITIES],
            worst=result.worst_open_severity.value if result.worst_open_severity else "",
            incomplete_accounts=[o for o in result.audited if not o.complete],
            skipped=[o for o in result.outcomes if o.status is AccountStatus.SKIPPED],
            generated_at=human_time(generated_at),
            started_at=human_time(result.started_at),
            version=__version__,
        )
    )
    outputs = {
        "summary.html": html.encode("utf-8"),
        "accounts.csv": to_csv(ACCOUNT_COLUMNS, (account_csv_cells(row) for row in rows)),
        "all-findings.csv": findings,
    }
    paths = []
    for name, payload in outputs.items():
        path = folder / name
        write_bytes_atomic(path, payload)
        paths.append(path)
    return paths
