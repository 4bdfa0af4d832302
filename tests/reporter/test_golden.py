"""Golden files for the CSV and JSON outputs of a fixed synthetic result (time injected).

Regenerate after an intended change with:
    UPDATE_GOLDEN=1 pytest tests/reporter/test_golden.py
and review the diff of tests/golden/reporter/ like code: these files are the documented formats.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from auditor.models import AuditResult, FindingStatus, PrincipalType, Severity
from auditor.reporter import write_reports

from .conftest import GENERATED, GOLDEN_DIR, UPDATE_GOLDEN, arn, finding

OUTPUTS = ("findings.csv", "principals.csv", "users.csv", "groups.csv", "findings.json")


def previous_run(current: AuditResult) -> AuditResult:
    """Last week's run: deploy-bot's finding did not exist yet; carol's was since fixed; a
    rule that is not among this week's rule outcomes had a finding (so: not re-checked); and
    root's MFA finding was open, where this week its data could not be read (so: changed)."""
    kept = tuple(
        dataclasses.replace(f, status=FindingStatus.OPEN) if f.rule_id == "root-mfa" else f
        for f in current.findings
        if f.principal_name != "deploy-bot"
    )
    fixed = finding(
        rule_id="console-user-without-mfa",
        severity=Severity.MEDIUM,
        principal_name="carol",
        principal_arn=arn("user", "carol"),
        group_name="",
        title="Console user without MFA",
        detail="User carol has a console password and no MFA device.",
        remediation="Enable MFA for carol or remove its password.",
        evidence={"password_enabled": "true"},
    )
    unchecked = finding(
        rule_id="root-access-keys",
        severity=Severity.CRITICAL,
        status=FindingStatus.OPEN,
        principal_type=PrincipalType.ROOT,
        principal_name="<root_account>",
        principal_arn="arn:aws:iam::111122223333:root",
        group_name="",
        title="Root user has access keys",
        detail="The root user has an active access key, which no MFA condition can protect.",
        remediation="Delete the root user's access keys.",
        evidence={"AccountAccessKeysPresent": "1"},
    )
    return dataclasses.replace(
        current,
        collected_at=current.collected_at.replace(day=13),
        findings=(*kept, fixed, unchecked),
    )


def check(produced: Path, golden: Path) -> None:
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced.read_bytes())
        return
    assert golden.exists(), f"{golden} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert produced.read_bytes() == golden.read_bytes(), (
        f"{produced.name} differs from {golden}; if the change is intended, run "
        f"UPDATE_GOLDEN=1 pytest tests/reporter/test_golden.py and review the diff"
    )


@pytest.mark.parametrize("name", OUTPUTS)
def test_sample_outputs_match_golden(name: str, sample_result: AuditResult, tmp_path: Path) -> None:
    write_reports(sample_result, tmp_path, generated_at=GENERATED)
    check(tmp_path / name, GOLDEN_DIR / "sample" / name)


@pytest.mark.parametrize("name", ["findings.csv", "findings.json"])
def test_diff_outputs_match_golden(name: str, sample_result: AuditResult, tmp_path: Path) -> None:
    earlier = GENERATED.replace(day=13)
    previous = write_reports(
        previous_run(sample_result), tmp_path / "previous", generated_at=earlier
    )
    write_reports(
        sample_result, tmp_path / "now", baseline=previous.findings_json, generated_at=GENERATED
    )
    check(tmp_path / "now" / name, GOLDEN_DIR / "with-baseline" / name)
