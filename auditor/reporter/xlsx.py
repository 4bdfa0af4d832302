"""The optional ``report.xlsx``: the three CSV tables as sheets, only when openpyxl is present.

openpyxl is an optional extra (``mfa-auditor[xlsx]``), not a dependency: most users want CSV,
and a spreadsheet library is a large install for a security tool. The sheets reuse the CSV
tables, formula neutralisation included, because openpyxl stores any string starting with ``=``
as a formula.
"""

from __future__ import annotations

import importlib.util
import io

from auditor.errors import ReportError
from auditor.reporter.csv_report import csv_tables
from auditor.reporter.report_data import ReportData


def require_openpyxl() -> None:
    """Fail before any file is written, so ``--xlsx`` never leaves a partial run."""
    if importlib.util.find_spec("openpyxl") is None:
        raise ReportError(
            "cannot write report.xlsx: the openpyxl package is not installed",
            hint="pip install 'mfa-auditor[xlsx]' (or: pip install openpyxl), or drop --xlsx",
        )


def xlsx_bytes(data: ReportData) -> bytes:
    import pandas as pd

    require_openpyxl()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in csv_tables(data).items():
            table.to_excel(writer, sheet_name=name.removesuffix(".csv"), index=False)
    return buffer.getvalue()
