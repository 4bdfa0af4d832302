"""Holders of a policy whose document could not be read are ``unknown``, never compliant.

An inline policy the collector could not decode (not JSON) stays in the snapshot with
``document=None``, exactly as an unreadable managed policy does, so the loss shows on the user,
group or role holding it, and not only as an account-level ``policy_documents`` gap. An unread
document may allow anything without MFA (IAM User Guide, "Policy evaluation logic": any identity
policy's Allow counts), so the rows fail closed: privileged, and ``unknown`` (ranked with the gaps,
never ``n/a`` and never a compliant level).
"""

from __future__ import annotations

import pytest

from auditor.models import (
    AuditResult,
    CollectionGap,
    FindingStatus,
    Group,
    InlinePolicy,
    ManagedPolicy,
    MfaEnforcement,
    Role,
    User,
)

from .conftest import (
    ACCOUNT,
    ADMIN_POLICY,
    IAM_ONLY_WITH_FRESH_MFA,
    group,
    managed,
    of,
    role,
    row,
    run,
    snapshot,
    trust,
    user,
)

CUSTOM_ARN = f"arn:aws:iam::{ACCOUNT}:policy/Custom"
GAP = CollectionGap("policy_documents", "inline policy 'admin' of group G: not valid JSON")


def _unreadable_inline(holder: Group | User | Role) -> Group | User | Role:
    """``holder`` plus an inline policy named ``admin`` whose document could not be read."""
    policies = (*holder.inline_policies, InlinePolicy("admin", None))
    if isinstance(holder, Group):
        return Group(**{**holder.__dict__, "inline_policies": policies})
    if isinstance(holder, Role):
        return Role(**{**holder.__dict__, "inline_policies": policies})
    return User(**{**holder.__dict__, "inline_policies": policies})


def _group_with(kind: str) -> tuple[Group, tuple[ManagedPolicy, ...]]:
    """Group G whose only policy could not be read: inline (``None``) or managed (``None``)."""
    if kind == "inline":
        unreadable = _unreadable_inline(group("G"))
        assert isinstance(unreadable, Group)
        return unreadable, (ADMIN_POLICY,)
    return group("G", attached=[CUSTOM_ARN]), (ADMIN_POLICY, managed(CUSTOM_ARN, None))


def _bob_in_g(kind: str, *, mfa: bool = False) -> AuditResult:
    g, policies = _group_with(kind)
    return run(
        snapshot(
            users=[user("bob", ["G"])],
            rows=[row("bob", mfa=mfa, keys=1)],
            groups=[g],
            policies=policies,
            gaps=[GAP],
        )
    )


@pytest.mark.parametrize("kind", ["inline", "managed"])
def test_member_of_a_group_with_an_unreadable_policy_is_unknown(kind: str) -> None:
    result = _bob_in_g(kind)
    name = "admin" if kind == "inline" else "Custom"
    [member] = [f for f in of(result, "privileged_member_no_mfa") if f.group_name == "G"]
    assert member.status is FindingStatus.UNKNOWN
    assert member.principal_name == "bob"
    assert name in member.detail
    group_findings = [
        f for f in of(result, "privileged_group_no_mfa_condition") if f.principal_name == "G"
    ]
    assert [f.status for f in group_findings] == [FindingStatus.UNKNOWN]
    assert name in group_findings[0].detail


@pytest.mark.parametrize("kind", ["inline", "managed"])
def test_rows_of_holders_of_unreadable_policies_say_unknown_never_n_a(kind: str) -> None:
    result = _bob_in_g(kind, mfa=True)
    [bob] = result.users
    [g] = result.groups
    for summary in (bob, g):
        assert summary.mfa_enforcement is MfaEnforcement.UNKNOWN
        assert summary.privileged
    name = "admin" if kind == "inline" else "Custom"
    assert bob.privileged_via == (f"group:G (could not be read: {name})",)


def test_readable_mfa_policy_beside_an_unreadable_one_is_not_shown_as_enforced() -> None:
    """The unread document could allow the same actions without MFA: unknown, not enforced."""
    g = _unreadable_inline(group("G", inline={"iam": IAM_ONLY_WITH_FRESH_MFA}))
    result = run(snapshot(users=[user("bob", ["G"])], rows=[row("bob", mfa=True)], groups=[g]))
    [summary] = result.groups
    assert summary.mfa_enforcement is MfaEnforcement.UNKNOWN
    [finding] = of(result, "privileged_group_no_mfa_condition")
    assert finding.status is FindingStatus.UNKNOWN
    assert "inline policy admin: document could not be read" in finding.detail


def test_user_with_an_unreadable_own_inline_policy_is_unknown() -> None:
    bob = _unreadable_inline(user("bob"))
    assert isinstance(bob, User)
    result = run(snapshot(users=[bob], rows=[row("bob", keys=1)]))
    [own] = of(result, "privileged_user_no_mfa_condition")
    assert own.status is FindingStatus.UNKNOWN
    [member] = of(result, "privileged_member_no_mfa")
    assert (member.status, member.group_name) == (FindingStatus.UNKNOWN, "")
    [summary] = result.users
    assert summary.mfa_enforcement is MfaEnforcement.UNKNOWN
    assert summary.privileged
    assert summary.privileged_via == ("user:bob (could not be read: admin)",)


def test_role_with_an_unreadable_inline_policy_assumable_without_mfa_is_unknown() -> None:
    ops = _unreadable_inline(role("Ops", trust(f"arn:aws:iam::{ACCOUNT}:root")))
    assert isinstance(ops, Role)
    [finding] = of(run(snapshot(roles=[ops])), "role_assumable_without_mfa")
    assert finding.status is FindingStatus.UNKNOWN
    assert "admin" in finding.detail


def test_readable_policies_of_other_holders_keep_their_verdicts() -> None:
    readers = group("Readers")
    result = run(
        snapshot(
            users=[user("amy", ["Readers"])],
            rows=[row("amy")],
            groups=[_group_with("inline")[0], readers],
        )
    )
    amy = next(u for u in result.users if u.name == "amy")
    assert amy.mfa_enforcement is MfaEnforcement.NOT_APPLICABLE
    assert not amy.privileged


def test_card_of_a_privileged_group_with_an_unreadable_policy_is_unknown_with_a_fix() -> None:
    g = _unreadable_inline(group("G", inline={"iam": IAM_ONLY_WITH_FRESH_MFA}))
    [card] = run(snapshot(groups=[g])).cards
    assert card.mfa_enforcement is MfaEnforcement.UNKNOWN
    assert '"BoolIfExists"' in card.remediation_policy_json


@pytest.mark.parametrize("kind", ["inline", "managed"])
def test_group_whose_only_policy_is_unreadable_gets_an_unknown_card(kind: str) -> None:
    """Privileged-or-unknown is shown as privileged: the card is what a reviewer reads."""
    [card] = _bob_in_g(kind).cards
    assert (card.name, card.mfa_enforcement) == ("G", MfaEnforcement.UNKNOWN)
    assert card.members == (("bob", False),)


def test_unknown_ranks_with_the_gaps_never_with_the_compliant_levels() -> None:
    unknown = MfaEnforcement.UNKNOWN.rank
    assert MfaEnforcement.NOT_ENFORCED.rank > unknown > MfaEnforcement.BYPASSABLE.rank
    assert unknown > MfaEnforcement.ENFORCED.rank > MfaEnforcement.NOT_APPLICABLE.rank


@pytest.mark.parametrize("document", ['{"Version": "2012-10-17"}', [{"Effect": "Allow"}]])
def test_hand_built_non_object_document_fails_closed_instead_of_crashing(document: object) -> None:
    """The snapshot loader refuses these; a caller building records in Python gets unknown."""
    odd = Group(**{**group("G").__dict__, "inline_policies": (InlinePolicy("p", document),)})  # type: ignore[arg-type]
    [finding] = of(run(snapshot(groups=[odd])), "privileged_group_no_mfa_condition")
    assert finding.status is FindingStatus.UNKNOWN
    assert "inline policy p: document could not be read" in finding.detail
