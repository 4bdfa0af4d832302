"""Records for the organization tests: fake findings and audit results, a fixed clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from auditor.models import (
    AuditResult,
    CollectionGap,
    Finding,
    FindingStatus,
    PrincipalType,
    RuleOutcome,
    Severity,
)

NOW = datetime(2026, 11, 27, 22, 0, 0, tzinfo=timezone.utc)


def finding(
    account_id: str,
    severity: Severity,
    status: FindingStatus = FindingStatus.OPEN,
    *,
    name: str = "alice",
    rule_id: str = "MFA-001",
) -> Finding:
    return Finding(
        account_id=account_id,
        rule_id=rule_id,
        severity=severity,
        status=status,
        principal_type=PrincipalType.USER,
        principal_name=name,
        principal_arn=f"arn:aws:iam::{account_id}:user/{name}",
        group_name="",
        title="Privileged user without MFA",
        detail=f"User {name} can act without MFA.",
        remediation="Enable MFA.",
    )


def audit_result(
    account_id: str,
    findings: Sequence[Finding] = (),
    *,
    gaps: Sequence[CollectionGap] = (),
    rule_outcomes: Sequence[RuleOutcome] = (RuleOutcome("MFA-001", evaluated=True),),
    alias: str | None = None,
) -> AuditResult:
    """A result whose rules all ran unless ``rule_outcomes`` says otherwise (an analysis that
    recorded no rule outcome at all is not complete)."""
    return AuditResult(
        account_id=account_id,
        account_alias=alias,
        collected_at=NOW,
        credential_report_generated_at=NOW,
        tool_version="0.1.0",
        source="aws",
        findings=tuple(findings),
        users=(),
        groups=(),
        cards=(),
        rule_outcomes=tuple(rule_outcomes),
        gaps=tuple(gaps),
    )
