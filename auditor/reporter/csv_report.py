"""``findings.csv``, ``users.csv`` and ``groups.csv``: fixed columns, one value per cell.

The column tuples below are a documented interface (reporter README): spreadsheets, Athena
tables and scripts index them by name, so columns are only ever appended. Cells are
comma-separated UTF-8 with RFC 4180 quoting and CRLF row ends; ``excel_bom`` prepends a BOM so
Excel decodes non-ASCII names. Every text cell starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return gets a leading apostrophe: IAM names may contain ``+=,.@-`` and tag values
anything, and a spreadsheet would otherwise run them as formulas (OWASP "CSV Injection").

Read them back with ``pandas.read_csv(path, dtype=str, keep_default_na=False)``: pandas' default
NA list would otherwise turn the credential report's literal ``N/A`` into a missing value.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any

import pandas as pd

from auditor.mfa_devices import device_types_text
from auditor.models import GroupSummary, UserSummary
from auditor.reporter.principals_table import PRINCIPALS_CSV_COLUMNS, principal_csv_row
from auditor.reporter.report_data import ReportData
from auditor.reporter.values import evidence_text, flag, flag_value, joined, time_value

FINDINGS_CSV_COLUMNS: tuple[str, ...] = (
    "account_id",
    "rule_id",
    "severity",
    "status",
    "principal_type",
    "principal_name",
    "principal_arn",
    "group_name",
    "title",
    "detail",
    "remediation",
    "evidence",
    "exemption_reason",
    "exemption_expires",
    "exemption_ticket",
    "diff_status",
)
USERS_CSV_COLUMNS: tuple[str, ...] = (
    "name",
    "arn",
    "password_enabled",
    "password_last_used",
    "mfa_active",
    "mfa_device_types",
    "active_access_keys",
    "groups",
    "privileged",
    "privileged_via",
    "mfa_required_by_policy",
)
GROUPS_CSV_COLUMNS: tuple[str, ...] = (
    "name",
    "arn",
    "privileged",
    "mfa_required_by_policy",
    "member_count",
    "members",
    "members_without_mfa",
    "policies",
)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a formula-triggering text cell with ``'``; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def findings_rows(data: ReportData) -> list[list[Any]]:
    return [
        [
            f.account_id,
            f.rule_id,
            f.severity.value,
            f.status.value,
            f.principal_type.value,
            f.principal_name,
            f.principal_arn,
            f.group_name,
            f.title,
            f.detail,
            f.remediation,
            evidence_text(f.evidence),
            f.exemption_reason,
            f.exemption_expires,
            f.exemption_ticket,
            data.diff_status(f),
        ]
        for f in data.findings
    ]


def user_row(user: UserSummary) -> list[Any]:
    return [
        user.name,
        user.arn,
        flag_value(user.password_enabled),
        time_value(user.password_last_used),
        flag(user.mfa_active),
        device_types_text(user.mfa_device_types),
        user.active_access_keys,
        joined(user.groups),
        flag(user.privileged),
        joined(user.privileged_via),
        user.mfa_enforcement.value,
    ]


def group_row(group: GroupSummary) -> list[Any]:
    return [
        group.name,
        group.arn,
        flag(group.privileged),
        group.mfa_enforcement.value,
        len(group.members),
        joined(group.members),
        joined(group.members_without_mfa),
        joined(group.policies),
    ]


def frame(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Neutralised cells; also the sheets of the optional workbook."""
    safe = [[neutralise(value) for value in row] for row in rows]
    table: pd.DataFrame = pd.DataFrame(safe, columns=list(columns), dtype=object)
    return table


def to_csv_bytes(table: pd.DataFrame, *, excel_bom: bool) -> bytes:
    """RFC 4180 CRLF rows: the writer quotes any cell holding a line-terminator character, so
    a lone carriage return inside a value cannot split a row (it would with LF rows)."""
    text = table.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return text.encode("utf-8-sig" if excel_bom else "utf-8")


def csv_tables(data: ReportData) -> dict[str, pd.DataFrame]:
    """File name → neutralised table; the workbook uses the same tables as sheets."""
    return {
        "findings.csv": frame(FINDINGS_CSV_COLUMNS, findings_rows(data)),
        "principals.csv": frame(
            PRINCIPALS_CSV_COLUMNS, [principal_csv_row(row) for row in data.result.principals]
        ),
        "users.csv": frame(USERS_CSV_COLUMNS, [user_row(u) for u in data.users]),
        "groups.csv": frame(GROUPS_CSV_COLUMNS, [group_row(g) for g in data.groups]),
    }


def csv_files(tables: dict[str, pd.DataFrame], *, excel_bom: bool) -> dict[str, bytes]:
    """File name → CSV bytes for the ``csv_tables`` (built once, also for the workbook)."""
    return {name: to_csv_bytes(table, excel_bom=excel_bom) for name, table in tables.items()}
