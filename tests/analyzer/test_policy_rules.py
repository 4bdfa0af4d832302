"""Policy-level rules, judged by the real engine. Semantics cited: IAM User Guide, "AWS global
condition context keys" (aws:MultiFactorAuthPresent is absent from requests signed with long-term
keys), "Condition operators" (…IfExists holds when the key is absent), "Policy evaluation logic".
"""

from __future__ import annotations

from auditor.models import FindingStatus, PrincipalType, Severity

from .conftest import (
    ACCOUNT,
    ADMIN_ARN,
    ALLOW_IAM,
    DENY_BOOL_FALSE,
    DENY_WITHOUT_MFA,
    IAM_IF_MFA_OR_KEYS,
    IAM_ONLY_WITH_FRESH_MFA,
    READ_ONLY,
    group,
    of,
    role,
    row,
    run,
    snapshot,
    trust,
    user,
)

MFA_TRUST = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
BOOLIFEXISTS_TRUST = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}


def test_admin_group_without_mfa_condition_lists_members_and_their_mfa() -> None:
    snap = snapshot(
        users=[user("bob", ["Admins"]), user("alice", ["Admins"])],
        rows=[row("bob"), row("alice", mfa=True)],
        groups=[group("Admins", attached=[ADMIN_ARN])],
    )
    [finding] = of(run(snap), "privileged_group_no_mfa_condition")
    assert finding.principal_type is PrincipalType.GROUP
    assert finding.severity is Severity.HIGH
    assert "2 member(s), 1 without an MFA device (bob)" in finding.detail
    assert finding.evidence["members"] == "alice (MFA), bob (no MFA)"


def test_empty_privileged_group_is_medium() -> None:
    [finding] = of(
        run(snapshot(groups=[group("Spare", inline={"iam": ALLOW_IAM})])),
        "privileged_group_no_mfa_condition",
    )
    assert finding.severity is Severity.MEDIUM
    assert "no members today" in finding.detail


def test_group_whose_members_are_covered_elsewhere_is_low() -> None:
    snap = snapshot(
        users=[user("ana", ["Admins", "RequireMfa"])],
        rows=[row("ana", mfa=True)],
        groups=[
            group("Admins", attached=[ADMIN_ARN]),
            group("RequireMfa", inline={"d": DENY_WITHOUT_MFA}),
        ],
    )
    [finding] = of(run(snap), "privileged_group_no_mfa_condition")
    assert finding.severity is Severity.LOW
    assert "held to MFA by other policies" in finding.detail


def test_groups_requiring_mfa_or_not_privileged_pass() -> None:
    snap = snapshot(
        groups=[
            group("IamAdmins", inline={"fresh": IAM_ONLY_WITH_FRESH_MFA}),
            group("Readers", inline={"read": READ_ONLY}),
        ]
    )
    result = run(snap)
    assert not of(result, "privileged_group_no_mfa_condition")
    assert not of(result, "mfa_condition_bypassable")
    assert {g.name: g.privileged for g in result.groups} == {"IamAdmins": True, "Readers": False}


def test_user_own_policy_without_mfa_condition() -> None:
    snap = snapshot(users=[user("raj", inline={"LegacyFullAccess": ALLOW_IAM})], rows=[row("raj")])
    [finding] = of(run(snap), "privileged_user_no_mfa_condition")
    assert finding.severity is Severity.HIGH
    assert finding.detail.startswith(
        "raj's own policies (LegacyFullAccess) allow privileged actions"
    )


def test_user_own_policy_covered_by_group_deny_is_low() -> None:
    snap = snapshot(
        users=[user("dana", ["RequireMfa"], attached=[ADMIN_ARN])],
        rows=[row("dana", mfa=True)],
        groups=[group("RequireMfa", inline={"deny": DENY_WITHOUT_MFA})],
    )
    [finding] = of(run(snap), "privileged_user_no_mfa_condition")
    assert finding.severity is Severity.LOW


def test_boolifexists_true_in_allow_is_bypassable_with_keys() -> None:
    """What the console's "MFA required" checkbox writes: keys pass (no MFA key at all)."""
    snap = snapshot(
        users=[user("svc", ["Deployers"]), user("lee", ["Deployers"])],
        rows=[row("svc", password=False, keys=1), row("lee", mfa=True)],
        groups=[group("Deployers", inline={"DeployWithMFA": IAM_IF_MFA_OR_KEYS})],
    )
    result = run(snap)
    [finding] = of(result, "mfa_condition_bypassable")
    assert (finding.principal_type, finding.principal_name) == (PrincipalType.GROUP, "Deployers")
    assert finding.severity is Severity.HIGH
    assert "BoolIfExists" in finding.detail
    assert "members with active keys: svc" in finding.detail
    assert not of(result, "privileged_group_no_mfa_condition")
    [keys] = of(result, "access_key_privileged_no_mfa")
    assert keys.principal_name == "svc"


def test_deny_bool_false_combined_with_admin_group_is_reported_on_the_user() -> None:
    """AWS calls Deny + Bool false "not recommended": long-term keys never match the Deny."""
    snap = snapshot(
        users=[user("olivia", ["Admins", "MfaGuard"])],
        rows=[row("olivia", mfa=True)],
        groups=[
            group("Admins", attached=[ADMIN_ARN]),
            group("MfaGuard", inline={"g": DENY_BOOL_FALSE}),
        ],
    )
    result = run(snap)
    [finding] = of(result, "mfa_condition_bypassable")
    assert (finding.principal_type, finding.principal_name) == (PrincipalType.USER, "olivia")
    assert "taken together" in finding.detail
    assert finding.severity is Severity.MEDIUM  # no active key today


def test_admin_role_trusting_the_account_without_mfa() -> None:
    snap = snapshot(
        roles=[role("PlatformAdmin", trust(f"arn:aws:iam::{ACCOUNT}:root"), attached=[ADMIN_ARN])]
    )
    result = run(snap)
    [finding] = of(result, "role_assumable_without_mfa")
    assert finding.principal_type is PrincipalType.ROLE
    assert f"arn:aws:iam::{ACCOUNT}:root" in finding.detail
    [card] = [c for c in result.cards if c.name == "PlatformAdmin"]
    assert '"aws:MultiFactorAuthPresent": "true"' in card.remediation_policy_json


def test_roles_with_mfa_trust_service_trust_or_no_privilege_pass() -> None:
    root = f"arn:aws:iam::{ACCOUNT}:root"
    snap = snapshot(
        roles=[
            role("BreakGlass", trust(root, MFA_TRUST), attached=[ADMIN_ARN]),
            role(
                "Ec2",
                {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ec2.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ]
                },
                attached=[ADMIN_ARN],
            ),
            role("Viewer", trust(root)),
        ]
    )
    result = run(snap)
    assert not of(result, "role_assumable_without_mfa")
    assert not of(result, "mfa_condition_bypassable")


def test_role_trust_with_boolifexists_is_bypassable() -> None:
    root = f"arn:aws:iam::{ACCOUNT}:root"
    snap = snapshot(roles=[role("Ops", trust(root, BOOLIFEXISTS_TRUST), attached=[ADMIN_ARN])])
    result = run(snap)
    [finding] = of(result, "mfa_condition_bypassable")
    assert finding.principal_type is PrincipalType.ROLE
    assert not of(result, "role_assumable_without_mfa")


def test_malformed_trust_policy_is_unknown() -> None:
    broken = {
        "Statement": [{"Effect": "Perhaps", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]
    }
    [finding] = of(
        run(snapshot(roles=[role("Odd", broken, attached=[ADMIN_ARN])])),
        "role_assumable_without_mfa",
    )
    assert finding.status is FindingStatus.UNKNOWN
    assert "could not be evaluated" in finding.detail


def test_malformed_group_policy_is_unknown_not_compliant() -> None:
    broken = {"Statement": [{"Effect": "Allow", "Action": 42, "Resource": "*"}]}
    result = run(snapshot(groups=[group("Weird", inline={"broken": broken})]))
    [finding] = of(result, "privileged_group_no_mfa_condition")
    assert finding.status is FindingStatus.UNKNOWN
    assert "broken" in finding.detail
