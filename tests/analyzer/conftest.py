"""Builders for analyzer tests: snapshots written directly in Python, no AWS and no moto.

Every builder fills the fields a test does not care about with realistic defaults (the
credential report's ``N/A`` markers where AWS writes them), so a test states only what it is
about: ``row("bob", password=True, mfa=False)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from auditor.analyzer import analyze
from auditor.config import AuditorConfig, Exemption
from auditor.models import (
    ROOT_USER_NAME,
    AccessKeyStatus,
    AttachedPolicy,
    AuditResult,
    CertificateStatus,
    CollectionGap,
    CredentialReport,
    CredentialReportRow,
    Finding,
    Group,
    InlinePolicy,
    ManagedPolicy,
    Role,
    Snapshot,
    TimeValue,
    Unavailable,
    User,
    VirtualMfaDevice,
)

ACCOUNT = "123456789012"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
NA = Unavailable.NOT_APPLICABLE
NO_INFO = Unavailable.NO_INFORMATION
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def doc(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


ALLOW_ALL = doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
ALLOW_IAM = doc({"Sid": "IamAdmin", "Effect": "Allow", "Action": "iam:*", "Resource": "*"})
READ_ONLY = doc({"Effect": "Allow", "Action": ["s3:GetObject", "ec2:Describe*"], "Resource": "*"})
# AWS's recommended "deny unless MFA" (IAM User Guide, global condition keys: BoolIfExists false).
DENY_WITHOUT_MFA = doc(
    {
        "Sid": "DenyAllIfNoMFA",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    }
)
# The console checkbox's pattern: Allow + BoolIfExists true lets long-term keys through.
IAM_IF_MFA_OR_KEYS = doc(
    {
        "Sid": "IamIfMfa",
        "Effect": "Allow",
        "Action": "iam:*",
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}},
    }
)
# "Not recommended" Deny + Bool false: blocks console sessions without MFA, not access keys.
DENY_BOOL_FALSE = doc(
    {
        "Sid": "DenyConsoleNoMfa",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
    }
)
IAM_ONLY_WITH_FRESH_MFA = doc(
    {
        "Effect": "Allow",
        "Action": "iam:*",
        "Resource": "*",
        "Condition": {
            "Bool": {"aws:MultiFactorAuthPresent": "true"},
            "NumericLessThan": {"aws:MultiFactorAuthAge": "300"},
        },
    }
)


def key(active: bool = False, used: TimeValue = NA, service: str = "s3") -> AccessKeyStatus:
    if not active:
        return AccessKeyStatus(False, NA, NA, NA, NA)
    last_service: str | Unavailable = service if isinstance(used, datetime) else NA
    return AccessKeyStatus(True, NOW - timedelta(days=400), used, "us-east-1", last_service)


def row(
    name: str,
    *,
    password: bool | Unavailable = True,
    mfa: bool = False,
    keys: int = 0,
    password_last_used: TimeValue | None = None,
    key_last_used: TimeValue = NA,
) -> CredentialReportRow:
    if password_last_used is None:
        password_last_used = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc) if password else NA
    return CredentialReportRow(
        user=name,
        arn=f"arn:aws:iam::{ACCOUNT}:user/{name}",
        user_creation_time=datetime(2024, 1, 1, tzinfo=timezone.utc),
        password_enabled=password,
        password_last_used=password_last_used,
        password_last_changed=NA,
        password_next_rotation=NA,
        mfa_active=mfa,
        access_key_1=key(keys >= 1, key_last_used),
        access_key_2=key(keys >= 2, key_last_used),
        cert_1=CertificateStatus(False, NA),
        cert_2=CertificateStatus(False, NA),
    )


def root_row(*, mfa: bool = True, keys: int = 0) -> CredentialReportRow:
    """Root as real AWS writes it: ``not_supported`` in the password columns."""
    base = row(ROOT_USER_NAME, password=Unavailable.NOT_SUPPORTED, mfa=mfa, keys=keys)
    return CredentialReportRow(
        **{
            **base.__dict__,
            "arn": f"arn:aws:iam::{ACCOUNT}:root",
            "password_last_used": datetime(2026, 1, 5, tzinfo=timezone.utc),
            "password_last_changed": Unavailable.NOT_SUPPORTED,
            "password_next_rotation": Unavailable.NOT_SUPPORTED,
        }
    )


def user(
    name: str,
    groups: Iterable[str] = (),
    *,
    inline: Mapping[str, Mapping[str, Any]] | None = None,
    attached: Iterable[str] = (),
    boundary: str | None = None,
) -> User:
    return User(
        name=name,
        arn=f"arn:aws:iam::{ACCOUNT}:user/{name}",
        user_id=f"AIDA{name.upper()}",
        path="/",
        create_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
        groups=tuple(groups),
        inline_policies=tuple(InlinePolicy(n, d) for n, d in (inline or {}).items()),
        attached_policies=tuple(AttachedPolicy(a, a.rsplit("/", 1)[-1]) for a in attached),
        permissions_boundary_arn=boundary,
    )


def group(
    name: str,
    *,
    inline: Mapping[str, Mapping[str, Any]] | None = None,
    attached: Iterable[str] = (),
) -> Group:
    return Group(
        name=name,
        arn=f"arn:aws:iam::{ACCOUNT}:group/{name}",
        group_id=f"AGPA{name.upper()}",
        path="/",
        create_date=None,
        inline_policies=tuple(InlinePolicy(n, d) for n, d in (inline or {}).items()),
        attached_policies=tuple(AttachedPolicy(a, a.rsplit("/", 1)[-1]) for a in attached),
    )


def trust(principal: str, condition: Mapping[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = dict(condition)
    return doc(statement)


def role(name: str, trust_policy: Mapping[str, Any], *, attached: Iterable[str] = ()) -> Role:
    return Role(
        name=name,
        arn=f"arn:aws:iam::{ACCOUNT}:role/{name}",
        role_id=f"AROA{name.upper()}",
        path="/",
        create_date=None,
        trust_policy=trust_policy,
        inline_policies=(),
        attached_policies=tuple(AttachedPolicy(a, a.rsplit("/", 1)[-1]) for a in attached),
        permissions_boundary_arn=None,
    )


def managed(arn: str, document: Mapping[str, Any] | None) -> ManagedPolicy:
    return ManagedPolicy(
        arn=arn,
        name=arn.rsplit("/", 1)[-1],
        policy_id=None,
        path="/",
        default_version_id="v1",
        document=document,
        attachment_count=1,
        is_aws_managed=":aws:policy/" in arn,
    )


ADMIN_POLICY = managed(ADMIN_ARN, ALLOW_ALL)


def device(serial_name: str, owner: str | None) -> VirtualMfaDevice:
    return VirtualMfaDevice(
        serial_number=f"arn:aws:iam::{ACCOUNT}:mfa/{serial_name}",
        user_arn=owner,
        enable_date=NOW - timedelta(days=30) if owner else None,
    )


def snapshot(
    *,
    users: Iterable[User] = (),
    rows: Iterable[CredentialReportRow] | None = None,
    root: CredentialReportRow | None = None,
    groups: Iterable[Group] = (),
    roles: Iterable[Role] = (),
    policies: Iterable[ManagedPolicy] = (ADMIN_POLICY,),
    devices: Iterable[VirtualMfaDevice] = (),
    gaps: Iterable[CollectionGap] = (),
    summary: Mapping[str, int] | None = None,
    report_age: timedelta = timedelta(minutes=5),
    with_report: bool = True,
) -> Snapshot:
    """A snapshot; ``rows`` default to none (pass them), root defaults to a root with MFA."""
    report_rows = (root or root_row(), *(rows or ()))
    collected = NOW - timedelta(minutes=1)
    report = CredentialReport(collected - report_age, report_rows) if with_report else None
    return Snapshot(
        schema_version=1,
        tool_version="test",
        source="test",
        account_id=ACCOUNT,
        account_alias="example",
        caller_arn=None,
        collected_at=collected,
        credential_report=report,
        users=tuple(users),
        groups=tuple(groups),
        roles=tuple(roles),
        policies=tuple(policies),
        virtual_mfa_devices=tuple(devices),
        account_summary=summary,
        password_policy=None,
        gaps=tuple(gaps),
    )


def run(snap: Snapshot, config: AuditorConfig | None = None, now: datetime = NOW) -> AuditResult:
    return analyze(snap, config or AuditorConfig(), now=now)


def of(result: AuditResult, rule_id: str) -> list[Finding]:
    return [f for f in result.findings if f.rule_id == rule_id]


def exemption(rule: str, principal: str, expires: date, ticket: str = "") -> Exemption:
    return Exemption(rule, principal, "accepted by the CISO", expires, ticket)


@pytest.fixture
def admins_account() -> Snapshot:
    """bob (console, no MFA) and alice (console, MFA) in Admins (AdministratorAccess)."""
    return snapshot(
        users=[user("bob", ["Admins"]), user("alice", ["Admins"])],
        rows=[row("bob"), row("alice", mfa=True)],
        groups=[group("Admins", attached=[ADMIN_ARN])],
        devices=[device("alice", f"arn:aws:iam::{ACCOUNT}:user/alice")],
    )
