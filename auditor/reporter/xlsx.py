"""The optional ``report.xlsx``: the three CSV tables as sheets, only when openpyxl is present.

openpyxl is an optional extra (``mfa-auditor[xlsx]``), not a dependency: most users want CSV,
and a spreadsheet library is a large install for a security tool. The sheets reuse the CSV
tables, formula neutralisation included, because openpyxl stores any string starting with ``=``
as a formula.
"""

from __future__ import annotations

import importlib.util
import io

import pandas as pd

from auditor.errors import ReportError


def require_openpyxl() -> None:
    """Fail before any file is written, so ``--xlsx`` never leaves a partial run."""
    if importlib.util.find_spec("openpyxl") is None:
        raise ReportError(
            "cannot write report.xlsx: the openpyxl package is not installed",
            hint="pip install 'mfa-auditor[xlsx]' (or: pip install openpyxl), or drop --xlsx",
        )


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """The ``csv_tables`` as sheets, one per file name."""
    require_openpyxl()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in tables.items():
            table.to_excel(writer, sheet_name=name.removesuffix(".csv"), index=False)
    return buffer.getvalue()
