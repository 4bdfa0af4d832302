"""Every CSV read back by pandas and by Python's ``csv`` module agrees with the JSON (issue 10).

``findings.csv`` and ``principals.csv`` are compared with ``findings.json`` field by field
(lists joined with ``"; "``, booleans as ``true``/``false``, ``null`` as an empty cell, or
``unknown`` for an unknown privilege); ``users.csv`` and ``groups.csv`` with the page's
embedded JSON, the other machine-readable copy of those rows. The account id used here starts
with a zero, so a reader that turns it into a number is caught.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from auditor.models import AuditResult
from auditor.reporter import (
    FINDINGS_CSV_COLUMNS,
    GROUPS_CSV_COLUMNS,
    PRINCIPALS_CSV_COLUMNS,
    USERS_CSV_COLUMNS,
    ReportPaths,
    write_reports,
)

from .conftest import GENERATED

ZERO_ACCOUNT = "012345678901"
COLUMNS = {
    "findings.csv": FINDINGS_CSV_COLUMNS,
    "principals.csv": PRINCIPALS_CSV_COLUMNS,
    "users.csv": USERS_CSV_COLUMNS,
    "groups.csv": GROUPS_CSV_COLUMNS,
}


def _zero_account(audit: AuditResult) -> AuditResult:
    """The sample, moved to an account id with a leading zero."""
    return dataclasses.replace(
        audit,
        account_id=ZERO_ACCOUNT,
        findings=tuple(dataclasses.replace(f, account_id=ZERO_ACCOUNT) for f in audit.findings),
        principals=tuple(
            dataclasses.replace(row, account_id=ZERO_ACCOUNT) for row in audit.principals
        ),
    )


@pytest.fixture
def written(sample_result: AuditResult, tmp_path: Path) -> ReportPaths:
    return write_reports(_zero_account(sample_result), tmp_path, generated_at=GENERATED)


def read_with_csv_module(path: Path) -> list[dict[str, str]]:
    """``utf-8-sig`` strips the byte-order mark (and reads files without one alike)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_with_pandas(path: Path) -> list[dict[str, str]]:
    """As the README says: every cell text, and ``N/A`` not turned into a missing value."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    records: list[dict[str, str]] = table.to_dict(orient="records")
    return records


def cell(value: Any) -> str:
    """A JSON value as its CSV cell (formula neutralisation aside: the sample has none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(cell(item) for item in value)
    return str(value)


def _page_json(paths: ReportPaths) -> dict[str, Any]:
    html = paths.html.read_text(encoding="utf-8")
    match = re.search(r'id="report-data">(.*?)</script>', html, re.S)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_both_readers_agree_and_keep_text(written: ReportPaths, name: str) -> None:
    path = written.folder / name
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "BOM by default (README: why)"
    by_csv = read_with_csv_module(path)
    by_pandas = read_with_pandas(path)
    assert by_csv == by_pandas
    assert by_csv, f"{name} has rows"
    assert tuple(by_csv[0]) == COLUMNS[name]
    if "account_id" in COLUMNS[name]:
        assert {row["account_id"] for row in by_csv} == {ZERO_ACCOUNT}


def test_pandas_default_dtype_is_why_the_readme_says_dtype_str(written: ReportPaths) -> None:
    """pandas' defaults read the BOM fine but make the account id a number: the README tells
    readers to pass ``dtype=str`` (and the workbook stores the id as text)."""
    table = pd.read_csv(written.folder / "principals.csv")
    assert table.columns[0] == "account_id"
    assert str(table["account_id"].iloc[0]) != ZERO_ACCOUNT
    kept = pd.read_csv(written.folder / "principals.csv", dtype={"account_id": str})
    assert set(kept["account_id"]) == {ZERO_ACCOUNT}


def test_findings_csv_matches_findings_json(written: ReportPaths) -> None:
    document = json.loads(written.findings_json.read_text(encoding="utf-8"))
    rows = read_with_pandas(written.findings_csv)
    assert len(rows) == len(document["findings"])
    for row, finding in zip(rows, document["findings"], strict=True):
        for column in FINDINGS_CSV_COLUMNS:
            if column == "evidence":
                expected = "; ".join(f"{k}={v}" for k, v in finding["evidence"].items())
            else:
                expected = cell(finding[column])
            assert row[column] == expected, (column, finding["principal_name"])


def test_principals_csv_matches_findings_json(written: ReportPaths) -> None:
    document = json.loads(written.findings_json.read_text(encoding="utf-8"))
    rows = read_with_csv_module(written.folder / "principals.csv")
    assert [row["name"] for row in rows] == [p["name"] for p in document["principals"]]
    for row, principal in zip(rows, document["principals"], strict=True):
        for column in PRINCIPALS_CSV_COLUMNS:
            value = principal[column]
            expected = "unknown" if column == "privileged" and value is None else cell(value)
            assert row[column] == expected, (column, principal["name"])
    kinds = {row["principal_type"] for row in rows}
    assert {"user", "role", "root", "identity_center_user"} <= kinds
    assert {row["privileged"] for row in rows} == {"true", "false", "unknown"}


def test_users_and_groups_csv_match_the_page_json(written: ReportPaths) -> None:
    data = _page_json(written)
    users = read_with_pandas(written.users_csv)
    page_users = [dict(zip(data["users"]["fields"], r, strict=True)) for r in data["users"]["rows"]]
    assert [u["name"] for u in users] == [u["name"] for u in page_users]
    for row, page in zip(users, page_users, strict=True):
        assert row["password_enabled"] == page["password"]
        assert row["password_last_used"] == page["lastUsed"]
        assert row["mfa_active"] == page["mfa"]
        assert row["mfa_device_types"] == cell(page["devices"])
        assert row["active_access_keys"] == str(page["keys"])
        assert row["privileged"] == cell(page["privileged"])
        assert row["mfa_required_by_policy"] == page["enforcement"]
    groups = read_with_csv_module(written.groups_csv)
    page_groups = [
        dict(zip(data["groups"]["fields"], r, strict=True)) for r in data["groups"]["rows"]
    ]
    for row, page in zip(groups, page_groups, strict=True):
        assert row["name"] == page["name"]
        assert row["privileged"] == cell(page["privileged"])
        assert row["member_count"] == str(page["memberCount"])
        assert row["members_without_mfa"] == cell(page["withoutMfa"])


def test_no_bom_when_asked(sample_result: AuditResult, tmp_path: Path) -> None:
    paths = write_reports(sample_result, tmp_path, excel_bom=False, generated_at=GENERATED)
    raw = paths.findings_csv.read_bytes()
    assert raw.startswith(b"account_id,")
    assert read_with_csv_module(paths.findings_csv) == list(
        csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    )


def test_xlsx_keeps_account_ids_as_text_and_booleans_as_booleans(
    sample_result: AuditResult, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    paths = write_reports(_zero_account(sample_result), tmp_path, xlsx=True, generated_at=GENERATED)
    assert paths.xlsx is not None
    book = openpyxl.load_workbook(paths.xlsx)
    assert set(book.sheetnames) == {"findings", "principals", "users", "groups"}
    sheet = book["principals"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref
    account = sheet.cell(row=2, column=header.index("account_id") + 1)
    assert account.value == ZERO_ACCOUNT
    assert account.data_type == "s"
    privileged = [
        sheet.cell(row=r, column=header.index("privileged") + 1).value
        for r in range(2, sheet.max_row + 1)
    ]
    assert {True, False, "unknown"} <= set(privileged)
    assert sheet.column_dimensions["D"].width > 8  # arn: sized from its content
