"""Exit-code policy (README, "Exit codes"): 0 clean, 3 findings, 4 incomplete (wins over 3)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from auditor.exit_codes import ExitCode
from auditor.models import (
    AuditResult,
    CollectionGap,
    Finding,
    FindingStatus,
    PrincipalType,
    RuleOutcome,
    Severity,
)
from auditor.pipeline import exit_code_for

WHEN = datetime(2026, 11, 27, tzinfo=timezone.utc)


def _finding(severity: Severity, status: FindingStatus = FindingStatus.OPEN) -> Finding:
    return Finding(
        account_id="123456789012", rule_id="console_user_no_mfa", severity=severity,
        status=status, principal_type=PrincipalType.USER, principal_name="bob",
        principal_arn="arn:aws:iam::123456789012:user/bob", group_name="", title="t",
        detail="d", remediation="r",
    )  # fmt: skip


EVALUATED = (RuleOutcome("console_user_no_mfa", evaluated=True),)


def _result(*findings: Finding, gaps: tuple[CollectionGap, ...] = (),
            outcomes: tuple[RuleOutcome, ...] = EVALUATED) -> AuditResult:  # fmt: skip
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


def test_context_only_gaps_do_not_make_the_audit_incomplete() -> None:
    """No verdict depends on the account summary, password policy or aliases (AWS CLI exports
    cannot contain them), so their absence is shown but the exit code stays 0 or 3."""
    context = (
        CollectionGap("account_summary", "not part of an AWS CLI export"),
        CollectionGap("password_policy", "not part of an AWS CLI export"),
    )
    result = _result(_finding(Severity.HIGH), gaps=context)
    assert result.complete
    assert result.context_gaps == context
    assert exit_code_for(result, Severity.HIGH) == ExitCode.FINDINGS
    verdict_gap = CollectionGap("virtual_mfa_devices", "not exported")
    assert exit_code_for(_result(gaps=(*context, verdict_gap)), Severity.HIGH) == 4


def test_no_rule_outcomes_is_never_complete() -> None:
    assert exit_code_for(_result(outcomes=()), Severity.HIGH) == ExitCode.INCOMPLETE
