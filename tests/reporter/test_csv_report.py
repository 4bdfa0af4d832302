"""CSV outputs: fixed columns, one value per cell, formula neutralisation, pandas round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.models import AuditResult, FindingStatus
from auditor.reporter import (
    FINDINGS_CSV_COLUMNS,
    GROUPS_CSV_COLUMNS,
    USERS_CSV_COLUMNS,
    write_reports,
)
from auditor.reporter.csv_report import FORMULA_TRIGGERS, csv_files, csv_tables, neutralise
from auditor.reporter.report_data import ReportData

from .conftest import FORMULAS, GENERATED, LONG, RTL, SCRIPT, finding, result


def read(payload: bytes | Path, **options: object) -> pd.DataFrame:
    """The documented way to load our CSVs: keep N/A and empty cells as text."""
    source = io.BytesIO(payload) if isinstance(payload, bytes) else payload
    return pd.read_csv(source, dtype=str, keep_default_na=False, **options)


def files(audit: AuditResult, *, excel_bom: bool = False) -> dict[str, bytes]:
    return csv_files(csv_tables(ReportData.build(audit, GENERATED)), excel_bom=excel_bom)


def undo(value: str) -> str:
    """Reverse neutralisation (what a script reading the CSV would do)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def test_header_lines_are_the_documented_columns(sample_result: AuditResult) -> None:
    out = files(sample_result)
    for name, columns in (
        ("findings.csv", FINDINGS_CSV_COLUMNS),
        ("users.csv", USERS_CSV_COLUMNS),
        ("groups.csv", GROUPS_CSV_COLUMNS),
    ):
        assert out[name].decode("utf-8").split("\r\n")[0] == ",".join(columns)
        assert tuple(read(out[name]).columns) == columns


def test_empty_result_still_writes_headers() -> None:
    out = files(result())
    for name, columns in (
        ("findings.csv", FINDINGS_CSV_COLUMNS),
        ("users.csv", USERS_CSV_COLUMNS),
        ("groups.csv", GROUPS_CSV_COLUMNS),
    ):
        table = read(out[name])
        assert tuple(table.columns) == columns
        assert table.empty


def test_users_csv_keeps_markers_timestamps_and_lists(sample_result: AuditResult) -> None:
    users = read(files(sample_result)["users.csv"]).set_index("name")
    # Credential report markers stay literal (IAM User Guide, "Getting credential reports").
    assert users.loc["bob", "password_last_used"] == "no_information"
    assert users.loc["carol", "password_last_used"] == "N/A"
    assert users.loc["alice", "password_last_used"] == "2026-11-19T16:30:00Z"
    assert users.loc["deploy-bot", "mfa_active"] == "unknown"
    assert users.loc["bob", "groups"] == "Admins; Developers"
    assert users.loc["alice", "privileged"] == "true"
    assert users.loc["alice", "privileged_via"] == "group:Admins (AdministratorAccess)"
    assert users.loc["alice", "mfa_required_by_policy"] == "bypassable"
    assert users.loc["carol", "mfa_required_by_policy"] == "n/a"
    assert users.loc["carol", "active_access_keys"] == "2"
    assert users.loc["dave@example.com", "mfa_device_types"] == "hardware_or_fido"
    assert list(users.index) == sorted(users.index)


def test_findings_csv_orders_worst_first_and_carries_exemptions(
    sample_result: AuditResult,
) -> None:
    table = read(files(sample_result)["findings.csv"])
    ranks = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
    assert list(table["severity"].map(ranks)) == sorted(table["severity"].map(ranks), reverse=True)
    exempted = table[table["status"] == FindingStatus.EXEMPTED.value].iloc[0]
    assert exempted["exemption_reason"] == "Vendor appliance login, replaced in Q1"
    assert exempted["exemption_expires"] == "2027-03-31"
    assert exempted["exemption_ticket"] == "SEC-142"
    bob = table[table["principal_name"] == "bob"].iloc[0]
    assert bob["evidence"] == "mfa_active=false; via=group:Admins"
    assert set(table["diff_status"]) == {""}, "no baseline: the diff column stays empty"


def test_groups_csv_counts_members(sample_result: AuditResult) -> None:
    groups = read(files(sample_result)["groups.csv"]).set_index("name")
    assert groups.loc["Admins", "member_count"] == "2"
    assert groups.loc["Admins", "members"] == "alice; bob"
    assert groups.loc["Developers", "members_without_mfa"] == "bob; carol"
    assert groups.loc["Admins", "privileged"] == "true"


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_each_formula_trigger_gets_an_apostrophe(trigger: str) -> None:
    name = f'{trigger}HYPERLINK("http://evil.example","x")'
    audit = result(findings=(finding(principal_name=name, detail=f"{trigger}1+1"),))
    row = read(files(audit)["findings.csv"]).iloc[0]
    assert row["principal_name"] == "'" + name
    assert row["detail"] == f"'{trigger}1+1"


def test_inner_formula_characters_are_left_alone() -> None:
    audit = result(findings=(finding(principal_name="user+=,.@-name"),))
    assert read(files(audit)["findings.csv"]).iloc[0]["principal_name"] == "user+=,.@-name"


def test_hostile_data_round_trips_neutralised(hostile_result: AuditResult) -> None:
    out = files(hostile_result)
    users = read(out["users.csv"])
    expected = [u.name for u in sorted(hostile_result.users, key=lambda u: (u.name, u.arn))]
    assert [undo(name) for name in users["name"]] == expected
    assert all(not cell.startswith(FORMULA_TRIGGERS) for cell in users["name"])
    assert {undo(n) for n in users["name"]} >= {LONG, f"evil{RTL}txt.exe", *FORMULAS}
    assert set(users["groups"]) == {f"{SCRIPT}; {{{{ config }}}}"}
    findings = read(out["findings.csv"])
    assert len(findings) == len(hostile_result.findings)
    for column in findings.columns:
        assert not findings[column].str.startswith(FORMULA_TRIGGERS).any(), column
    assert set(findings["evidence"]) == {
        'policy=<img src=x onerror="window.__pwned = 2">; a=b; c==1+1'
    }
    groups = read(out["groups.csv"])
    assert groups.iloc[0]["policies"].endswith('; =HYPERLINK("http://evil.example")')


def test_excel_bom_is_optional(sample_result: AuditResult) -> None:
    plain = files(sample_result)["users.csv"]
    excel = files(sample_result, excel_bom=True)["users.csv"]
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel[3:] == plain
    assert list(read(excel, encoding="utf-8-sig").columns) == list(USERS_CSV_COLUMNS)


def test_written_files_read_back_from_disk(sample_result: AuditResult, tmp_path: Path) -> None:
    paths = write_reports(sample_result, tmp_path, generated_at=GENERATED, excel_bom=True)
    table = read(paths.users_csv, encoding="utf-8-sig")
    assert len(table) == len(sample_result.users)


# Text an analyzer might put in a cell: any printable or control character except NUL, which
# IAM forbids in every name and which no CSV reader keeps.
cell_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@settings(max_examples=150, deadline=None)
@given(name=cell_text, detail=cell_text)
def test_any_text_round_trips_after_neutralisation(name: str, detail: str) -> None:
    audit = result(findings=(finding(principal_name=name, detail=detail, evidence={}),))
    row = read(files(audit)["findings.csv"]).iloc[0]
    assert row["principal_name"] == neutralise(name)
    assert row["detail"] == neutralise(detail)
