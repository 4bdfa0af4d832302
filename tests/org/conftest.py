"""Fixtures for the organization runner and summary: fake audit results, moto organizations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import boto3
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
    rule_outcomes: Sequence[RuleOutcome] = (),
    alias: str | None = None,
) -> AuditResult:
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


@pytest.fixture
def offline_session(monkeypatch: pytest.MonkeyPatch) -> boto3.Session:
    """A session with dummy keys: clients can be built, and nothing may reach AWS unmocked."""
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/mfa-auditor-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/mfa-auditor-test-creds")
    return boto3.Session(
        aws_access_key_id="AKIATESTTESTTESTTEST",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )


@pytest.fixture
def moto_env(org_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """``org_env`` plus AWS's managed policies loaded (before the mock starts).

    Costs about a second per emulated account, so only the end-to-end tests use it.
    """
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")


@pytest.fixture
def org_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials for moto; no AWS config files, profile or endpoint from the machine."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/mfa-auditor-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/mfa-auditor-test-creds")


@pytest.fixture
def reports_root(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    root.mkdir()
    return root
