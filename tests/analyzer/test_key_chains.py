"""``access_key_privileged_no_mfa`` follows role chains (issue 9).

A request signed with long-term access keys carries no ``aws:MultiFactorAuthPresent`` (IAM User
Guide, "AWS global condition context keys"), so ``sts:AssumeRole`` made with a user's keys
passes a trust policy with no MFA condition, and one whose condition does not hold for keys
(``BoolIfExists``, "Configuring MFA-protected API access"), but not one with ``Bool ... true``.
Each role session on the way then meets the next role's trust.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from auditor.models import InlinePolicy, Role, Severity

from .conftest import ACCOUNT, ADMIN_ARN, doc, of, role, row, run, snapshot, trust, user

MFA_BOOL = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
MFA_IF_EXISTS = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}


def _arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


def _hop(target: Role, to: str) -> Role:
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": _arn("role", to)}
    return replace(target, inline_policies=(InlinePolicy("hop", doc(statement)),))


def _account(first: dict[str, Any] | None, second: dict[str, Any] | None, *, keys: int = 1) -> Any:
    deploy = _hop(role("Deploy", trust(_arn("user", "dana"), first)), "Admin")
    admin = role("Admin", trust(_arn("role", "Deploy"), second), attached=[ADMIN_ARN])
    return snapshot(users=[user("dana")], rows=[row("dana", keys=keys)], roles=[deploy, admin])


def test_keys_that_walk_a_chain_to_admin_are_reported_once_with_the_path() -> None:
    [finding] = of(run(_account(None, None)), "access_key_privileged_no_mfa")
    assert finding.principal_name == "dana"
    assert finding.severity is Severity.HIGH
    assert "assume roles (user dana → role Deploy → role Admin) and reach every action (*)" in (
        finding.detail
    )
    assert "user dana → role Deploy → role Admin: every action (*)" in finding.evidence["paths"]


def test_a_trust_condition_that_does_not_hold_for_keys_lets_them_through() -> None:
    [finding] = of(run(_account(MFA_IF_EXISTS, None)), "access_key_privileged_no_mfa")
    assert "role Admin" in finding.detail
    assert finding.evidence["path_gate"] == "bypassable"


def test_mfa_required_on_the_first_hop_stops_the_keys() -> None:
    assert not of(run(_account(MFA_BOOL, None)), "access_key_privileged_no_mfa")


def test_mfa_required_on_the_second_hop_keeps_admin_out_of_reach() -> None:
    """Deploy is still reached (its sts:AssumeRole is privileged itself); Admin is not."""
    [finding] = of(run(_account(None, MFA_BOOL)), "access_key_privileged_no_mfa")
    assert "role Admin" not in finding.detail
    assert "(user dana → role Deploy)" in finding.detail


def test_a_user_without_active_keys_is_not_reported() -> None:
    assert not of(run(_account(None, None, keys=0)), "access_key_privileged_no_mfa")


def test_a_role_whose_permissions_cannot_be_read_is_a_may_not_a_can() -> None:
    """Fail closed (the unread policy may grant anything) but say what is unknown."""
    unread = replace(
        role("Opaque", trust(_arn("user", "dana"))),
        inline_policies=(InlinePolicy("lost", None),),  # type: ignore[arg-type]
    )
    account = snapshot(users=[user("dana")], rows=[row("dana", keys=1)], roles=[unread])
    [finding] = of(run(account), "access_key_privileged_no_mfa")
    assert finding.severity is Severity.MEDIUM
    assert "may (an MFA requirement or a role's permissions on the way could not be" in (
        finding.detail
    )
