"""``accounts.csv`` and ``all-findings.csv``, written by the per-account reporter's CSV code.

Both go through ``auditor.reporter.csv_report`` (``frame`` neutralises every text cell that a
spreadsheet would run as a formula, ``to_csv_bytes`` writes comma-separated UTF-8 with RFC 4180
quoting and CRLF rows), so the organization files cannot drift from the per-account ones: an
``all-findings.csv`` row is byte for byte the row the account's ``findings.csv`` has.
``all-findings.csv`` is built from the findings each outcome carries in memory, not by reading
the per-account files back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from auditor.errors import ReportError
from auditor.org.results import AccountOutcome
from auditor.reporter.csv_report import FINDINGS_CSV_COLUMNS, frame, to_csv_bytes

_ACCOUNT_ID = FINDINGS_CSV_COLUMNS.index("account_id")


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Neutralised cells under ``header``, as the per-account CSV files are written."""
    return to_csv_bytes(frame(header, [list(row) for row in rows]), excel_bom=False)


def all_findings_csv(outcomes: Sequence[AccountOutcome]) -> bytes:
    """Every audited account's ``findings.csv`` rows, in ``outcomes`` order, under its header.

    Fails (``ReportError`` naming the account) rather than leave findings out or file them under
    the wrong account: a shorter ``all-findings.csv`` would read as fewer problems.
    """
    rows: list[Sequence[str]] = []
    for outcome in outcomes:
        rows.extend(_checked_rows(outcome))
    return to_csv(FINDINGS_CSV_COLUMNS, rows)


def _checked_rows(outcome: AccountOutcome) -> Sequence[Sequence[str]]:
    counted = outcome.open_findings + outcome.exempted_findings + outcome.unknown_findings
    rows = outcome.findings_rows
    if len(rows) != counted:
        raise ReportError(
            f"account {outcome.label}: {counted} finding(s) counted but {len(rows)} row(s) "
            "carried for all-findings.csv"
        )
    for row in rows:
        if len(row) != len(FINDINGS_CSV_COLUMNS):
            raise ReportError(
                f"account {outcome.label}: a findings row has {len(row)} cells, "
                f"expected {len(FINDINGS_CSV_COLUMNS)}"
            )
        if row[_ACCOUNT_ID] != outcome.account_id:
            raise ReportError(
                f"account {outcome.label}: a finding is filed under account {row[_ACCOUNT_ID]}, "
                f"not {outcome.account_id}"
            )
    return rows
