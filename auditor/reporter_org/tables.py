"""``accounts.csv`` and ``all-findings.csv``: comma-separated, RFC 4180 quoting, UTF-8.

Cells are neutralised against spreadsheet formula injection the way the per-account CSVs are: a
leading ``'`` on any cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (account
names and policy names are chosen by whoever controls the account). Neutralising is idempotent,
so cells copied from a per-account ``findings.csv`` are safe even if that file was not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from auditor.errors import ReportError
from auditor.org.results import AccountOutcome
from auditor.reporter.csv_report import FORMULA_TRIGGERS


def neutralise(cell: str) -> str:
    """The per-account reporter's rule (``FORMULA_TRIGGERS``), applied to a text cell."""
    return f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def all_findings_csv(outcomes: Sequence[AccountOutcome]) -> str:
    """Every audited account's ``findings.csv`` rows under one header, ``account_id`` first.

    Fails (``ReportError`` naming the file) rather than leave an account's findings out: a
    shorter ``all-findings.csv`` would read as fewer problems.
    """
    header: list[str] = ["account_id"]
    records: list[dict[str, str]] = []
    for outcome in outcomes:
        for record in _read_findings(outcome):
            for column in record:
                if column not in header:
                    header.append(column)
            records.append(record)
    rows = ([record.get(column, "") for column in header] for record in records)
    return to_csv(header, rows)


def _read_findings(outcome: AccountOutcome) -> list[dict[str, str]]:
    path = outcome.findings_csv
    if path is None:
        raise ReportError(f"account {outcome.label}: its report folder has no findings.csv")
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(f"cannot read {path}: {error}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        raise ReportError(f"{path}: empty file, expected a findings.csv header")
    records = []
    for line, record in enumerate(reader, start=2):
        if None in record or any(value is None for value in record.values()):
            raise ReportError(f"{path}: line {line} does not match the header")
        cells = {str(k): v for k, v in record.items()}
        if not cells.get("account_id"):
            cells["account_id"] = outcome.account_id
        elif cells["account_id"].lstrip("'") != outcome.account_id:
            raise ReportError(
                f"{path}: line {line} is for account {cells['account_id']}, "
                f"not {outcome.account_id}"
            )
        records.append(cells)
    return records
