"""findings.json: layout, round trip through load_findings_json, and clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from auditor.errors import InputError
from auditor.models import AuditResult, FindingStatus
from auditor.reporter import FINDINGS_JSON_SCHEMA_VERSION, load_findings_json, write_reports

from .conftest import ACCOUNT, GENERATED, LONG, RTL, SCRIPT


@pytest.fixture
def written(sample_result: AuditResult, tmp_path: Path) -> Path:
    return write_reports(sample_result, tmp_path / "run", generated_at=GENERATED).findings_json


def document(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_layout_and_run_metadata(written: Path, sample_result: AuditResult) -> None:
    doc = document(written)
    assert list(doc) == ["schema_version", "run", "findings", "rule_outcomes", "principals"]
    assert doc["schema_version"] == FINDINGS_JSON_SCHEMA_VERSION
    run = doc["run"]
    assert run["account_id"] == ACCOUNT
    assert run["account_alias"] == "acme-prod"
    assert run["collected_at"] == "2026-11-20T10:00:00Z"
    assert run["credential_report_generated_at"] == "2026-11-20T07:45:00Z"
    assert run["generated_at"] == "2026-11-20T10:05:00Z"
    assert run["tool_version"] == "0.1.0"
    assert run["complete"] is False
    assert run["gaps"] == [
        {"source": "account_summary", "reason": "AccessDenied: iam:GetAccountSummary"}
    ]
    assert run["notes"] == ["Exemptions from config.yaml were applied."]
    assert run["counts"]["by_status"] == {"open": 3, "exempted": 1, "unknown": 1}
    assert run["counts"]["open_by_severity"]["critical"] == 1
    assert {
        "rule_id": "root-mfa",
        "evaluated": False,
        "reason": "account summary not collected",
    } in doc["rule_outcomes"]
    assert len(doc["findings"]) == len(sample_result.findings)
    assert doc["findings"][0]["severity"] == "critical"
    assert doc["findings"][-1]["status"] == FindingStatus.EXEMPTED.value


def test_round_trip_gives_the_same_findings(written: Path, sample_result: AuditResult) -> None:
    loaded = load_findings_json(written)
    assert loaded.account_id == ACCOUNT
    assert loaded.account_alias == "acme-prod"
    assert loaded.generated_at == GENERATED
    assert loaded.collected_at == sample_result.collected_at
    assert sorted(loaded.findings, key=repr) == sorted(sample_result.findings, key=repr)


def test_folder_is_accepted(written: Path) -> None:
    assert load_findings_json(written.parent).path == written


def test_hostile_values_survive_json(hostile_result: AuditResult, tmp_path: Path) -> None:
    paths = write_reports(hostile_result, tmp_path, generated_at=GENERATED)
    loaded = load_findings_json(paths.findings_json)
    names = {f.principal_name for f in loaded.findings}
    assert {LONG, f"evil{RTL}txt.exe"} <= names
    assert {f.group_name for f in loaded.findings} == {SCRIPT}
    assert sorted(loaded.findings, key=repr) == sorted(hostile_result.findings, key=repr)


def _rewrite(path: Path, change: Any) -> Path:
    doc = document(path)
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema_version=99), "schema version 99 is not supported"),
        (lambda d: d.update(schema_version="1"), "schema version '1' is not supported"),
        (lambda d: d.pop("run"), "$.run: expected an object"),
        (lambda d: d["run"].pop("account_id"), "$.run.account_id"),
        (lambda d: d.update(findings={}), "$.findings: expected a list"),
        (lambda d: d["findings"][0].update(severity="urgent"), "$.findings[0].severity"),
        (lambda d: d["findings"][1].pop("rule_id"), "$.findings[1]: missing field 'rule_id'"),
        (lambda d: d["run"].update(generated_at="yesterday"), "$.run.generated_at"),
        (lambda d: d.pop("schema_version"), "not an mfa-auditor findings.json"),
    ],
)
def test_bad_documents_name_the_file_and_the_problem(
    written: Path, change: Any, message: str
) -> None:
    _rewrite(written, change)
    with pytest.raises(InputError) as raised:
        load_findings_json(written)
    assert str(written) in raised.value.message
    assert message in raised.value.message


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read baseline") as raised:
        load_findings_json(tmp_path / "missing.json")
    assert raised.value.hint
    with pytest.raises(InputError, match="cannot read baseline"):
        load_findings_json(tmp_path)  # a folder without findings.json
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "findings": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid JSON \(line 1"):
        load_findings_json(broken)
    listing = tmp_path / "list.json"
    listing.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match=r"not an mfa-auditor findings\.json"):
        load_findings_json(listing)
