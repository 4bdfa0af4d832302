"""Exit-code policy (README, "Exit codes"): 0 clean, 3 findings, 4 incomplete (wins over 3)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from auditor.models import (
    AuditResult,
    CollectionGap,
    Finding,
    FindingStatus,
    PrincipalType,
    RuleOutcome,
    Severity,
)
from auditor.pipeline import ExitCode, exit_code_for

WHEN = datetime(2026, 11, 27, tzinfo=timezone.utc)


def _finding(severity: Severity, status: FindingStatus = FindingStatus.OPEN) -> Finding:
    return Finding(
        account_id="123456789012", rule_id="console_user_no_mfa", severity=severity,
        status=status, principal_type=PrincipalType.USER, principal_name="bob",
        principal_arn="arn:aws:iam::123456789012:user/bob", group_name="", title="t",
        detail="d", remediation="r",
    )  # fmt: skip


def _result(*findings: Finding, gaps: tuple[CollectionGap, ...] = (),
            outcomes: tuple[RuleOutcome, ...] = ()) -> AuditResult:  # fmt: skip
    return AuditResult(
        account_id="123456789012", account_alias=None, collected_at=WHEN,
        credential_report_generated_at=WHEN, tool_version="0", source="aws",
        findings=findings, users=(), groups=(), cards=(), rule_outcomes=outcomes, gaps=gaps,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("findings", "fail_on", "expected"),
    [
        ((), Severity.HIGH, ExitCode.CLEAN),
        ((_finding(Severity.MEDIUM),), Severity.HIGH, ExitCode.CLEAN),
        ((_finding(Severity.MEDIUM),), Severity.MEDIUM, ExitCode.FINDINGS),
        ((_finding(Severity.CRITICAL),), Severity.HIGH, ExitCode.FINDINGS),
        ((_finding(Severity.CRITICAL, FindingStatus.EXEMPTED),), Severity.INFO, ExitCode.CLEAN),
    ],
)
def test_findings_against_fail_on(
    findings: tuple[Finding, ...], fail_on: Severity, expected: int
) -> None:
    assert exit_code_for(_result(*findings), fail_on) == expected


def test_incomplete_wins_over_findings() -> None:
    gap = CollectionGap("credential_report", "throttled")
    assert exit_code_for(_result(_finding(Severity.CRITICAL), gaps=(gap,)), Severity.HIGH) == 4


def test_unevaluated_rule_or_unknown_finding_is_incomplete() -> None:
    skipped = RuleOutcome("root_no_mfa", evaluated=False, reason="no root row")
    assert exit_code_for(_result(outcomes=(skipped,)), Severity.HIGH) == ExitCode.INCOMPLETE
    unknown = _finding(Severity.HIGH, FindingStatus.UNKNOWN)
    assert exit_code_for(_result(unknown), Severity.CRITICAL) == ExitCode.INCOMPLETE
