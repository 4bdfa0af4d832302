"""``privileged_member_no_mfa``: one finding per user (issue 9), naming every group, own policy and
role chain that makes it privileged; effective privilege = own policies + every group's, judged
by the real policy engine (IAM User Guide, "Policy evaluation logic": an explicit Deny in any
policy wins).
"""

from __future__ import annotations

from auditor.models import FindingStatus, MfaEnforcement, Severity, Snapshot

from .conftest import (
    ADMIN_ARN,
    ALLOW_IAM,
    DENY_WITHOUT_MFA,
    READ_ONLY,
    group,
    managed,
    of,
    row,
    run,
    snapshot,
    user,
)

BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/ReadOnlyBoundary"


def test_member_of_admin_group_without_mfa(admins_account: Snapshot) -> None:
    result = run(admins_account)
    [finding] = of(result, "privileged_member_no_mfa")
    assert (finding.principal_name, finding.group_name) == ("bob", "Admins")
    assert finding.severity is Severity.HIGH
    assert finding.detail == (
        "bob is in Admins (AdministratorAccess) and has no MFA device; "
        "console password last used 2026-11-20."
    )
    assert finding.evidence["verdict"] == "not_enforced"
    assert finding.evidence["groups"] == "Admins"


def test_one_finding_per_user_naming_every_privileged_group_and_own_policies() -> None:
    """Issue 9 changes this verdict on purpose: one (rule, principal) finding, all paths in it."""
    snap = snapshot(
        users=[user("priya", ["Admins", "IamOps", "Readers"], inline={"mine": ALLOW_IAM})],
        rows=[row("priya")],
        groups=[
            group("Admins", attached=[ADMIN_ARN]),
            group("IamOps", inline={"iam": ALLOW_IAM}),
            group("Readers", inline={"read": READ_ONLY}),
        ],
    )
    [finding] = of(run(snap), "privileged_member_no_mfa")
    assert (finding.principal_name, finding.group_name) == ("priya", "")
    assert "has privileged policies of its own (mine)" in finding.detail
    assert "also privileged through: group Admins (AdministratorAccess); group IamOps" in (
        finding.detail
    )
    paths = finding.evidence["paths"]
    assert "user priya → group Admins: every action (*)" in paths
    assert "user priya → group IamOps" in paths


def test_aws_managed_admin_attached_directly_to_a_key_only_user() -> None:
    snap = snapshot(
        users=[user("svc-tf", attached=[ADMIN_ARN])], rows=[row("svc-tf", password=False, keys=1)]
    )
    result = run(snap)
    [member] = of(result, "privileged_member_no_mfa")
    assert member.group_name == ""
    assert member.severity is Severity.HIGH
    assert "access key 1 active" in member.detail
    [own] = of(result, "privileged_user_no_mfa_condition")
    assert own.principal_name == "svc-tf"
    [keys] = of(result, "access_key_privileged_no_mfa")
    assert "every action (*)" in keys.detail


def test_dormant_privileged_user_is_low_not_dropped() -> None:
    snap = snapshot(
        users=[user("tom", ["Admins"])],
        rows=[row("tom", password=False, keys=0)],
        groups=[group("Admins", attached=[ADMIN_ARN])],
    )
    [finding] = of(run(snap), "privileged_member_no_mfa")
    assert finding.severity is Severity.LOW
    assert "cannot sign in or call APIs" in finding.detail


def test_policies_already_requiring_mfa_lower_the_severity() -> None:
    """AWS's recommended Deny + BoolIfExists false (IAM User Guide, global condition keys)."""
    snap = snapshot(
        users=[user("ana", ["Admins", "RequireMfa"])],
        rows=[row("ana")],
        groups=[
            group("Admins", attached=[ADMIN_ARN]),
            group("RequireMfa", inline={"deny": DENY_WITHOUT_MFA}),
        ],
    )
    result = run(snap)
    [finding] = of(result, "privileged_member_no_mfa")
    assert finding.severity is Severity.MEDIUM
    assert "already require MFA" in finding.detail
    assert finding.evidence["effective_verdict"] not in {"not_enforced", "bypassable"}
    [summary] = result.users
    assert summary.privileged
    assert summary.mfa_enforcement not in {MfaEnforcement.NOT_ENFORCED, MfaEnforcement.BYPASSABLE}


def test_members_with_mfa_and_unprivileged_groups_pass() -> None:
    snap = snapshot(
        users=[user("ava", ["Readers"]), user("max", ["Admins"])],
        rows=[row("ava"), row("max", mfa=True)],
        groups=[
            group("Readers", inline={"read": READ_ONLY}),
            group("Admins", attached=[ADMIN_ARN]),
        ],
    )
    assert not of(run(snap), "privileged_member_no_mfa")


def test_permissions_boundary_that_removes_privilege_means_no_finding() -> None:
    snap = snapshot(
        users=[user("eve", ["Admins"], boundary=BOUNDARY_ARN)],
        rows=[row("eve")],
        groups=[group("Admins", attached=[ADMIN_ARN])],
        policies=[
            managed(
                ADMIN_ARN, {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            ),
            managed(BOUNDARY_ARN, READ_ONLY),
        ],
    )
    result = run(snap)
    assert not of(result, "privileged_member_no_mfa")
    assert not result.users[0].privileged


def test_privileged_user_missing_from_the_report_is_unknown() -> None:
    snap = snapshot(
        users=[user("new-admin", ["Admins"])],
        rows=[],
        groups=[group("Admins", attached=[ADMIN_ARN])],
    )
    [finding] = of(run(snap), "privileged_member_no_mfa")
    assert finding.status is FindingStatus.UNKNOWN
    assert "not in the credential report" in finding.detail


def test_group_with_unreadable_managed_policy_is_unknown_for_its_members() -> None:
    missing = "arn:aws:iam::123456789012:policy/Vanished"
    snap = snapshot(
        users=[user("zed", ["Ops"])],
        rows=[row("zed")],
        groups=[group("Ops", attached=[missing])],
        policies=[managed(missing, None)],
    )
    result = run(snap)
    [finding] = of(result, "privileged_member_no_mfa")
    assert finding.status is FindingStatus.UNKNOWN
    assert "Vanished: policy document not collected" in finding.detail
    [group_finding] = of(result, "privileged_group_no_mfa_condition")
    assert group_finding.status is FindingStatus.UNKNOWN
