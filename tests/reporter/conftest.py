"""Builders for AuditResults made directly in Python: a fixed sample, hostile data, and scale.

The reporter never sees AWS, so its tests build the analyzer's output by hand. The sample is
fixed (golden files depend on it); the hostile result carries what IAM names, tag values and
policy names may legally contain and what an attacker would put there.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from auditor.analyzer.postprocess import sort_findings
from auditor.models import (
    AccessPath,
    AuditResult,
    CollectionGap,
    DecidingStatement,
    Finding,
    FindingStatus,
    GroupSummary,
    MfaDecidedBy,
    MfaDeviceKind,
    MfaEnforcement,
    PrincipalCard,
    PrincipalRow,
    PrincipalType,
    Reach,
    RuleOutcome,
    Severity,
    Unavailable,
    UserSummary,
)

ACCOUNT = "111122223333"
COLLECTED = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
GENERATED = datetime(2026, 11, 20, 10, 5, tzinfo=timezone.utc)
REPORT_TIME = datetime(2026, 11, 20, 7, 45, tzinfo=timezone.utc)

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden" / "reporter"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"

ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
CONSOLE_ONLY_STATEMENT = (
    '{"Sid": "AllowWithMfa", "Effect": "Allow", "Action": "*", "Resource": "*", '
    '"Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}}'
)
BREAK_GLASS_TRUST_STATEMENT = (
    '{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, '
    '"Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, '
    '"NumericLessThan": {"aws:MultiFactorAuthAge": "900"}}}'
)
REMEDIATION_POLICY = (
    '{"Version": "2012-10-17", "Statement": [{"Sid": "DenyAllExceptListedIfNoMFA", '
    '"Effect": "Deny", "NotAction": ["iam:ListMFADevices", "sts:GetSessionToken"], '
    '"Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}'
)


def arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


def finding(**overrides: Any) -> Finding:
    values: dict[str, Any] = {
        "account_id": ACCOUNT,
        "rule_id": "privileged-user-without-mfa",
        "severity": Severity.HIGH,
        "status": FindingStatus.OPEN,
        "principal_type": PrincipalType.USER,
        "principal_name": "bob",
        "principal_arn": arn("user", "bob"),
        "group_name": "Admins",
        "title": "Privileged user without MFA",
        "detail": "User bob is privileged through group Admins and has no MFA device.",
        "remediation": "Enable a virtual or FIDO MFA device for bob.",
        "evidence": {"mfa_active": "false", "via": "group:Admins"},
    }
    values.update(overrides)
    return Finding(**values)


def user(name: str, **overrides: Any) -> UserSummary:
    values: dict[str, Any] = {
        "name": name,
        "arn": arn("user", name),
        "password_enabled": True,
        "password_last_used": COLLECTED.replace(day=19, hour=16, minute=30),
        "mfa_active": True,
        "mfa_device_types": (MfaDeviceKind.VIRTUAL,),
        "active_access_keys": 0,
        "groups": (),
        "privileged": False,
        "privileged_via": (),
        "mfa_enforcement": MfaEnforcement.NOT_APPLICABLE,
    }
    values.update(overrides)
    return UserSummary(**values)


def path(*hops: str, **overrides: Any) -> AccessPath:
    """An access path over ``hops`` (``"user:bob", "group:Admins"``); admin, no MFA by default."""
    values: dict[str, Any] = {
        "hops": hops,
        "gate": MfaEnforcement.NOT_ENFORCED,
        "decided_by": MfaDecidedBy.IAM,
        "admin": True,
        "example_actions": ("*",),
        "description": " → ".join(hop.replace(":", " ", 1) for hop in hops)
        + ": every action (*); no MFA on any hop",
    }
    values.update(overrides)
    return AccessPath(**values)


def principal(name: str, **overrides: Any) -> PrincipalRow:
    """A ``PrincipalRow`` for user ``name``: not privileged, nothing exposed, unless overridden."""
    values: dict[str, Any] = {
        "account_id": ACCOUNT,
        "principal_type": PrincipalType.USER,
        "name": name,
        "arn": arn("user", name),
        "privileged": False,
        "reach": Reach.NONE,
        "privileged_via": (),
        "reach_without_mfa": Reach.NONE,
        "mfa_device_types": ("virtual",),
        "mfa_enforced": "not_applicable",
        "last_used": COLLECTED.replace(day=19, hour=16, minute=30),
        "open_rules": (),
        "worst_severity": None,
        "exposure": 0,
        "fix": "",
    }
    values.update(overrides)
    return PrincipalRow(**values)


def sample_principals() -> tuple[PrincipalRow, ...]:
    """The sample's principals, worst exposure first as the analyzer sorts them: every exposure
    level from 5 (bob, admin, no device, no condition) to 0, an Identity Center user whose MFA is
    decided outside IAM, with sign-in evidence, and root whose MFA could not be read."""
    admins = path("user:bob", "group:Admins")
    return (
        principal(
            "bob",
            privileged=True,
            reach=Reach.ADMIN,
            privileged_via=("group:Admins (AdministratorAccess)",),
            reach_without_mfa=Reach.ADMIN,
            mfa_device_types=(),
            mfa_enforced="none",
            last_used=None,
            open_rules=("privileged-user-without-mfa",),
            worst_severity=Severity.HIGH,
            exposure=5,
            fix="Enable a virtual or FIDO MFA device for bob.",
            paths=(
                dataclasses.replace(
                    admins,
                    example_actions=("iam:AttachUserPolicy", "iam:CreateAccessKey", "*"),
                    description="user bob → group Admins: every action (*); no MFA device",
                ),
            ),
        ),
        principal(
            "deploy-bot",
            privileged=True,
            reach=Reach.PRIVILEGED,
            privileged_via=("user:deploy-bot (deploy)",),
            reach_without_mfa=Reach.PRIVILEGED,
            mfa_device_types=(),
            mfa_enforced="none",
            open_rules=("privileged-user-without-mfa",),
            worst_severity=Severity.CRITICAL,
            exposure=4,
            fix="Move deploy-bot to a role, or require MFA.",
            paths=(
                path(
                    "user:deploy-bot",
                    admin=False,
                    example_actions=("iam:PassRole",),
                    description="user deploy-bot: iam:PassRole with its access keys; no MFA",
                ),
            ),
        ),
        principal(
            "alice",
            privileged=True,
            reach=Reach.ADMIN,
            privileged_via=("group:Admins (AdministratorAccess)",),
            reach_without_mfa=Reach.ADMIN,
            mfa_enforced="bypassable",
            open_rules=("group-mfa-bypassable",),
            worst_severity=Severity.HIGH,
            exposure=4,
            fix="Replace the Allow condition with a Deny on BoolIfExists false.",
            paths=(
                path(
                    "user:alice",
                    "group:Admins",
                    gate=MfaEnforcement.BYPASSABLE,
                    description="user alice → group Admins: every action (*); access keys "
                    "bypass the MFA condition",
                ),
            ),
        ),
        principal(
            "<root_account>",
            principal_type=PrincipalType.ROOT,
            arn=f"arn:aws:iam::{ACCOUNT}:root",
            privileged=True,
            reach=Reach.ADMIN,
            privileged_via=("root",),
            reach_without_mfa=Reach.UNKNOWN,
            mfa_device_types=("unknown",),
            mfa_enforced="unknown",
            last_used=None,
            open_rules=(),
            exposure=3,
            fix="Grant iam:GetAccountSummary and rerun.",
        ),
        principal(
            "erin",
            privileged=None,
            reach=Reach.UNKNOWN,
            privileged_via=("group:Ops (could not be read: ops)",),
            reach_without_mfa=Reach.UNKNOWN,
            mfa_enforced="unknown",
            exposure=3,
            fix="Grant read access to the Ops group's policies and rerun.",
        ),
        principal(
            "maria@corp.example",
            principal_type=PrincipalType.IDENTITY_CENTER_USER,
            arn="arn:aws:identitystore:::user/d-1234567890/5f6a",
            privileged=True,
            reach=Reach.ADMIN,
            privileged_via=("permission_set:AdministratorAccess (group Ops) in 111122223333",),
            reach_without_mfa=Reach.ADMIN,
            mfa_device_types=(),
            mfa_enforced="outside_iam",
            last_used=None,
            exposure=2,
            fix="Require MFA for every sign-in in the Identity Center settings.",
            paths=(
                path(
                    "identity_center_user:maria@corp.example",
                    "permission_set:AdministratorAccess",
                    gate=MfaEnforcement.NOT_ENFORCED,
                    decided_by=MfaDecidedBy.IDENTITY_CENTER,
                    description="Identity Center user maria@corp.example → permission set "
                    "AdministratorAccess: every action (*); MFA decided by Identity Center",
                ),
            ),
            last_signin=COLLECTED.replace(day=18, hour=9),
            last_signin_mfa=False,
            signins_without_mfa=4,
        ),
        principal(
            "BreakGlassRole",
            principal_type=PrincipalType.ROLE,
            arn=arn("role", "BreakGlassRole"),
            privileged=True,
            reach=Reach.ADMIN,
            privileged_via=("role:BreakGlassRole (AdministratorAccess)",),
            mfa_device_types=(),
            mfa_enforced="enforced",
            last_used=None,
            exposure=1,
            paths=(path("role:BreakGlassRole", gate=MfaEnforcement.ENFORCED),),
        ),
        principal("carol", mfa_device_types=()),
        principal("dave@example.com", mfa_device_types=("hardware_or_fido",)),
        principal("svc-legacy", mfa_device_types=(), worst_severity=None),
    )


def result(**overrides: Any) -> AuditResult:
    values: dict[str, Any] = {
        "account_id": ACCOUNT,
        "account_alias": "acme-prod",
        "collected_at": COLLECTED,
        "credential_report_generated_at": REPORT_TIME,
        "tool_version": "0.1.0",
        "source": "aws",
        "findings": (),
        "users": (),
        "groups": (),
        "cards": (),
        "rule_outcomes": (),
        "gaps": (),
    }
    values.update(overrides)
    return AuditResult(**values)


def sample() -> AuditResult:
    """A small account with every kind of finding status, a gap and an unevaluated rule; a group
    whose policy could not be read (``unknown``) and a role whose trust policy requires MFA.
    Findings are in the analyzer's order, as ``analyze`` returns them."""
    admins_card = PrincipalCard(
        principal_type=PrincipalType.GROUP,
        name="Admins",
        arn=arn("group", "Admins"),
        policies=("AdministratorAccess", "ForceMFA (inline)"),
        mfa_enforcement=MfaEnforcement.BYPASSABLE,
        privileged_actions_sample=("iam:AttachUserPolicy", "iam:CreateAccessKey", "*"),
        deciding_statements=(
            DecidingStatement(
                policy_name="ForceMFA",
                statement_id="AllowWithMfa",
                effect="Allow",
                statement_json=CONSOLE_ONLY_STATEMENT,
                why="BoolIfExists in an Allow lets long-term access keys through without MFA.",
            ),
        ),
        members=(("alice", True), ("bob", False)),
        remediation_policy_json=REMEDIATION_POLICY,
    )
    bot_card = PrincipalCard(
        principal_type=PrincipalType.USER,
        name="deploy-bot",
        arn=arn("user", "deploy-bot"),
        policies=("deploy (inline)",),
        mfa_enforcement=MfaEnforcement.NOT_ENFORCED,
        privileged_actions_sample=("iam:PassRole",),
        deciding_statements=(),
        remediation_policy_json=REMEDIATION_POLICY,
    )
    ops_card = PrincipalCard(
        principal_type=PrincipalType.GROUP,
        name="Ops",
        arn=arn("group", "Ops"),
        policies=("ops (inline)",),
        mfa_enforcement=MfaEnforcement.UNKNOWN,
        privileged_actions_sample=(),
        deciding_statements=(),
        members=(("erin", True),),
        remediation_policy_json=REMEDIATION_POLICY,
    )
    break_glass_card = PrincipalCard(
        principal_type=PrincipalType.ROLE,
        name="BreakGlassRole",
        arn=arn("role", "BreakGlassRole"),
        policies=("AdministratorAccess",),
        mfa_enforcement=MfaEnforcement.ENFORCED,
        privileged_actions_sample=("*",),
        deciding_statements=(
            DecidingStatement(
                policy_name="BreakGlassRole (trust policy)",
                statement_id="#0",
                effect="Allow",
                statement_json=BREAK_GLASS_TRUST_STATEMENT,
                why="does not apply: condition not met (console_no_mfa, access_key)",
            ),
        ),
        trust_enforcement=MfaEnforcement.ENFORCED,
        permissions_enforcement=MfaEnforcement.NOT_ENFORCED,
    )
    findings = (
        finding(),
        finding(
            rule_id="group-mfa-bypassable",
            severity=Severity.HIGH,
            principal_type=PrincipalType.GROUP,
            principal_name="Admins",
            principal_arn=arn("group", "Admins"),
            group_name="Admins",
            title="Group policy lets access keys bypass MFA",
            detail="Group Admins requires MFA with BoolIfExists in an Allow statement.",
            remediation="Replace the Allow condition with a Deny on BoolIfExists false.",
            evidence={"policy": "ForceMFA", "statement": "AllowWithMfa"},
        ),
        finding(
            rule_id="privileged-user-without-mfa",
            severity=Severity.CRITICAL,
            principal_name="deploy-bot",
            principal_arn=arn("user", "deploy-bot"),
            group_name="",
            title="Privileged user without MFA",
            detail="User deploy-bot has an inline policy allowing iam:PassRole and no MFA.",
            remediation="Move deploy-bot to a role, or require MFA.",
            evidence={"via": "user-inline:deploy"},
        ),
        finding(
            rule_id="root-mfa",
            severity=Severity.CRITICAL,
            status=FindingStatus.UNKNOWN,
            principal_type=PrincipalType.ROOT,
            principal_name="<root_account>",
            principal_arn=f"arn:aws:iam::{ACCOUNT}:root",
            group_name="",
            title="Root MFA could not be checked",
            detail="The account summary could not be read, so root MFA is unknown.",
            remediation="Grant iam:GetAccountSummary and rerun.",
            evidence={},
        ),
        finding(
            rule_id="console-user-without-mfa",
            severity=Severity.MEDIUM,
            status=FindingStatus.EXEMPTED,
            principal_name="svc-legacy",
            principal_arn=arn("user", "svc-legacy"),
            group_name="",
            title="Console user without MFA",
            detail="User svc-legacy has a console password and no MFA device.",
            remediation="Enable MFA for svc-legacy or remove its password.",
            evidence={"password_last_used": "2026-11-01T08:00:00Z"},
            exemption_reason="Vendor appliance login, replaced in Q1",
            exemption_expires="2027-03-31",
            exemption_ticket="SEC-142",
        ),
    )
    users = (
        user(
            "alice",
            groups=("Admins",),
            privileged=True,
            privileged_via=("group:Admins (AdministratorAccess)",),
            mfa_enforcement=MfaEnforcement.BYPASSABLE,
            active_access_keys=1,
        ),
        user(
            "bob",
            mfa_active=False,
            mfa_device_types=(),
            groups=("Admins", "Developers"),
            privileged=True,
            privileged_via=("group:Admins (AdministratorAccess)",),
            mfa_enforcement=MfaEnforcement.BYPASSABLE,
            password_last_used=Unavailable.NO_INFORMATION,
        ),
        user(
            "carol",
            password_enabled=False,
            password_last_used=Unavailable.NOT_APPLICABLE,
            mfa_active=False,
            mfa_device_types=(),
            active_access_keys=2,
            groups=("Developers",),
        ),
        user(
            "deploy-bot",
            password_enabled=False,
            password_last_used=Unavailable.NOT_APPLICABLE,
            mfa_active=None,
            mfa_device_types=(),
            active_access_keys=1,
            privileged=True,
            privileged_via=("user-inline:deploy",),
            mfa_enforcement=MfaEnforcement.NOT_ENFORCED,
        ),
        user("dave@example.com", mfa_device_types=(MfaDeviceKind.HARDWARE_OR_FIDO,)),
        user(
            "erin",
            password_enabled=False,
            password_last_used=Unavailable.NOT_APPLICABLE,
            groups=("Ops",),
            privileged=True,
            privileged_via=("group:Ops (could not be read: ops)",),
            mfa_enforcement=MfaEnforcement.UNKNOWN,
        ),
        user("svc-legacy", mfa_active=False, mfa_device_types=()),
    )
    groups = (
        GroupSummary(
            name="Admins",
            arn=arn("group", "Admins"),
            members=("alice", "bob"),
            members_without_mfa=("bob",),
            policies=("AdministratorAccess", "ForceMFA (inline)"),
            privileged=True,
            mfa_enforcement=MfaEnforcement.BYPASSABLE,
        ),
        GroupSummary(
            name="Developers",
            arn=arn("group", "Developers"),
            members=("bob", "carol"),
            members_without_mfa=("bob", "carol"),
            policies=("PowerUserAccess",),
            privileged=False,
            mfa_enforcement=MfaEnforcement.NOT_APPLICABLE,
        ),
        GroupSummary(
            name="Ops",
            arn=arn("group", "Ops"),
            members=("erin",),
            members_without_mfa=(),
            policies=("ops (inline)",),
            privileged=True,
            mfa_enforcement=MfaEnforcement.UNKNOWN,
        ),
    )
    return result(
        findings=sort_findings(findings),
        users=users,
        groups=groups,
        cards=(admins_card, bot_card, ops_card, break_glass_card),
        rule_outcomes=(
            RuleOutcome("privileged-user-without-mfa", True),
            RuleOutcome("group-mfa-bypassable", True),
            RuleOutcome("console-user-without-mfa", True),
            RuleOutcome("root-mfa", False, "account summary not collected"),
        ),
        gaps=(CollectionGap("account_summary", "AccessDenied: iam:GetAccountSummary"),),
        notes=("Exemptions from config.yaml were applied.",),
        principals=sample_principals(),
    )


def complete(audit: AuditResult) -> AuditResult:
    """The same result with nothing missing."""
    return dataclasses.replace(
        audit,
        gaps=(),
        rule_outcomes=tuple(dataclasses.replace(o, evaluated=True) for o in audit.rule_outcomes),
    )


RTL = "\u202e"
LONG = "A" * 20_000
FORMULAS = ("=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "\tTAB", "\rCR")
SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'
CLOSE = "</script><script>window.__pwned = 3</script><!--"


def hostile() -> AuditResult:
    """Names, policy names and details carrying markup, formulas, template syntax and RTL marks."""
    names = [
        "user+=,.@-name",
        f"evil{RTL}txt.exe",
        "{{ 7*7 }}{% raw %}",
        "\"quoted\", 'single'",
        "line\u2028separator\u2029para",
        LONG,
        *FORMULAS,
    ]
    users = tuple(
        user(
            name,
            groups=(SCRIPT, "{{ config }}"),
            privileged=True,
            privileged_via=(f"group:{SCRIPT}", f"user-inline:{IMG}"),
            mfa_enforcement=MfaEnforcement.NOT_ENFORCED,
            mfa_active=False,
            mfa_device_types=(),
        )
        for name in names
    )
    findings = tuple(
        finding(
            rule_id=f"rule-{index % 3}",
            severity=list(Severity)[index % 5],
            principal_name=name,
            principal_arn=arn("user", f"u{index}"),
            group_name=SCRIPT,
            title=f"{IMG} title {name}",
            detail=f"{CLOSE} detail {RTL}evil",
            remediation=f"{{{{ remediation }}}} {SCRIPT}",
            evidence={"policy": IMG, "a=b; c": "=1+1"},
            exemption_reason="'; DROP TABLE --",
        )
        for index, name in enumerate(names)
    )
    card = PrincipalCard(
        principal_type=PrincipalType.GROUP,
        name=SCRIPT,
        arn=arn("group", "x"),
        policies=(IMG, f"policy{RTL}gpj.exe", "{{ 7*7 }}"),
        mfa_enforcement=MfaEnforcement.NOT_ENFORCED,
        privileged_actions_sample=(SCRIPT,),
        deciding_statements=(
            DecidingStatement(IMG, CLOSE, "Allow", f'{{"Sid": "{CLOSE}"}}', SCRIPT),
            DecidingStatement(LONG, LONG, LONG, f'{{"Resource": "{LONG}"}}', LONG),
        ),
        members=tuple((name, False) for name in names),
        remediation_policy_json=f'{{"Sid": "{CLOSE}", "Resource": "{LONG}"}}',
    )
    groups = (
        GroupSummary(
            name=SCRIPT,
            arn=arn("group", "x"),
            members=tuple(names),
            members_without_mfa=tuple(names),
            policies=(IMG, '=HYPERLINK("http://evil.example")'),
            privileged=True,
            mfa_enforcement=MfaEnforcement.NOT_ENFORCED,
        ),
    )
    return result(
        account_alias=f"alias{RTL}{SCRIPT}",
        findings=findings,
        users=users,
        groups=groups,
        cards=(card,),
        rule_outcomes=(RuleOutcome("rule-0", False, SCRIPT),),
        gaps=(CollectionGap("credential_report", IMG),),
        notes=(CLOSE, "{{ 7*7 }}"),
        principals=tuple(
            principal(
                name,
                arn=arn("user", f"u{index}"),
                privileged=True,
                reach=Reach.ADMIN,
                reach_without_mfa=Reach.ADMIN,
                privileged_via=(f"group:{SCRIPT}",),
                mfa_device_types=(IMG,),
                mfa_enforced="none",
                exposure=5,
                fix=f"{CLOSE} {{{{ fix }}}}",
                paths=(path(f"user:{name}", f"group:{SCRIPT}", description=f"{IMG} {RTL}path"),),
            )
            for index, name in enumerate(names)
        ),
    )


@pytest.fixture
def sample_result() -> AuditResult:
    return sample()


@pytest.fixture
def hostile_result() -> AuditResult:
    return hostile()


@pytest.fixture
def make_finding() -> Callable[..., Finding]:
    return finding


@pytest.fixture
def make_result() -> Callable[..., AuditResult]:
    return result


@pytest.fixture
def make_user() -> Callable[..., UserSummary]:
    return user


@pytest.fixture
def make_principal() -> Callable[..., PrincipalRow]:
    return principal
