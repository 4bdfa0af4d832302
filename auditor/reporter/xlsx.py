"""The optional ``report.xlsx``: the CSV tables as sheets, only when openpyxl is present.

openpyxl is an optional extra (``mfa-auditor[xlsx]``), not a dependency: most users want CSV,
and a spreadsheet library is a large install for a security tool. The sheets reuse the CSV
tables, formula neutralisation included, because openpyxl stores any string starting with ``=``
as a formula. Unlike a CSV, a workbook carries types, so each sheet is made ready to filter: a
frozen header row, an autofilter, column widths from the content, ``true``/``false`` columns as
real booleans, and account ids stored as text (``012345678901`` keeps its leading zero).
"""

from __future__ import annotations

import importlib.util
import io
from typing import Any

import pandas as pd

from auditor.errors import ReportError

BOOLEAN_COLUMNS = frozenset(
    {"privileged", "mfa_active", "password_enabled", "exposed", "last_signin_mfa"}
)
"""Columns whose ``true``/``false`` cells become booleans; other markers (``unknown``,
``N/A``, ``not_supported``) stay text, because a blank or ``FALSE`` would claim a fact."""
TEXT_COLUMNS = frozenset({"account_id"})
"""Digits that are identifiers, not numbers: stored and formatted as text."""
MAX_WIDTH = 60


def require_openpyxl() -> None:
    """Fail before any file is written, so ``--xlsx`` never leaves a partial run."""
    if importlib.util.find_spec("openpyxl") is None:
        raise ReportError(
            "cannot write report.xlsx: the openpyxl package is not installed",
            hint="pip install 'mfa-auditor[xlsx]' (or: pip install openpyxl), or drop --xlsx",
        )


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    typed: pd.DataFrame = table.copy()
    for column in typed.columns:
        if column in BOOLEAN_COLUMNS:
            typed[column] = [
                {"true": True, "false": False}.get(value, value)
                if isinstance(value, str)
                else value
                for value in typed[column]
            ]
        elif column in TEXT_COLUMNS:
            typed[column] = [str(value) for value in typed[column]]
    return typed


def _width(values: list[Any]) -> int:
    longest = max((len(str(value)) for value in values), default=0)
    return min(MAX_WIDTH, max(8, longest + 2))


def _format(sheet: Any, table: pd.DataFrame) -> None:
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        sample = [column, *table[column].head(500).tolist()]
        sheet.column_dimensions[letter].width = _width(sample)
        if column in TEXT_COLUMNS:
            for cell in sheet[letter][1:]:
                cell.number_format = "@"


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """The ``csv_tables`` as sheets, one per file name."""
    require_openpyxl()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in tables.items():
            sheet_name = name.removesuffix(".csv")
            _typed(table).to_excel(writer, sheet_name=sheet_name, index=False)
            _format(writer.sheets[sheet_name], table)
    return buffer.getvalue()
