"""The organization summary as plain rows: shared by the HTML page and ``accounts.csv``.

Order is the ranking the security lead reads top-down: audited accounts worst first (open
findings counted from critical down), then failed accounts, then skipped duplicates. Report links
are relative to the summary folder so the whole reports tree can be zipped and moved.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from auditor.models import Severity
from auditor.org.results import AccountOutcome, AccountStatus, OrgRunResult

SEVERITIES: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))


@dataclass(frozen=True)
class AccountRow:
    rank: int | None
    """1 for the worst audited account; ``None`` for failed and skipped accounts."""
    account_id: str
    name: str
    status: str
    complete: bool
    open_findings: int
    counts: tuple[int, ...]
    """Open findings per severity, in ``SEVERITIES`` order."""
    worst: str
    exempted: int
    unknown: int
    reason: str
    via: str
    report_link: str
    """Relative URL of the account's ``report.html`` from the summary folder, or ``""``."""
    duration_seconds: float


def account_rows(result: OrgRunResult, folder: Path) -> list[AccountRow]:
    ranked = list(result.ranked())
    others = [o for o in result.outcomes if o.status is AccountStatus.FAILED]
    others += [o for o in result.outcomes if o.status is AccountStatus.SKIPPED]
    rows = [_row(o, index, folder) for index, o in enumerate(ranked, start=1)]
    return rows + [_row(o, None, folder) for o in others]


def _row(outcome: AccountOutcome, rank: int | None, folder: Path) -> AccountRow:
    worst = outcome.worst_open_severity
    return AccountRow(
        rank=rank,
        account_id=outcome.account_id,
        name=outcome.name,
        status=outcome.status.value,
        complete=outcome.complete,
        open_findings=outcome.open_findings,
        counts=tuple(outcome.open_by_severity.get(s, 0) for s in SEVERITIES),
        worst=worst.value if worst else "",
        exempted=outcome.exempted_findings,
        unknown=outcome.unknown_findings,
        reason=outcome.reason,
        via=outcome.via,
        report_link=relative_link(outcome.report_html, folder),
        duration_seconds=round(outcome.duration_seconds, 1),
    )


def relative_link(target: Path | None, folder: Path) -> str:
    """``../../123456789012/2026-…/report.html``: a URL that survives moving the tree."""
    if target is None:
        return ""
    relative = os.path.relpath(target.resolve(), folder.resolve())
    return quote(Path(relative).as_posix(), safe="/._-~")


ACCOUNT_COLUMNS: tuple[str, ...] = (
    "rank",
    "account_id",
    "name",
    "status",
    "complete",
    "open_findings",
    *(s.value for s in SEVERITIES),
    "worst_open_severity",
    "exempted",
    "unknown",
    "reason",
    "via",
    "report",
    "duration_seconds",
)


def account_csv_cells(row: AccountRow) -> list[str]:
    """One ``accounts.csv`` line, in ``ACCOUNT_COLUMNS`` order (not yet neutralised)."""
    return [
        "" if row.rank is None else str(row.rank),
        row.account_id,
        row.name,
        row.status,
        "true" if row.complete else "false",
        str(row.open_findings),
        *(str(count) for count in row.counts),
        row.worst,
        str(row.exempted),
        str(row.unknown),
        row.reason,
        row.via,
        row.report_link,
        f"{row.duration_seconds:.1f}",
    ]
