"""A role's card headline is how the role can be reached, with its permissions shown beside it.

IAM User Guide, "Configuring MFA-protected API access" (roles: the MFA condition goes in the trust
policy, checked when the role is assumed; "Scenario: MFA protection for cross-account
delegation"): a session assumed with MFA carries ``aws:MultiFactorAuthPresent`` into every call,
so a role whose trust policy requires MFA needs no MFA condition in its permission policies. The
two gates are alternatives: MFA proven at either one suffices, so the headline is the better of
the two, and a trust policy that cannot be evaluated makes the reach ``unknown``, never enforced.
"""

from __future__ import annotations

from typing import Any

from auditor.models import AuditResult, MfaEnforcement, PrincipalCard

from .conftest import (
    ACCOUNT,
    ADMIN_ARN,
    ADMIN_POLICY,
    DENY_WITHOUT_MFA,
    managed,
    of,
    role,
    run,
    snapshot,
    trust,
)

ROOT = f"arn:aws:iam::{ACCOUNT}:root"
FRESH_MFA = {
    "Bool": {"aws:MultiFactorAuthPresent": "true"},
    "NumericLessThan": {"aws:MultiFactorAuthAge": "900"},
}
CONSOLE_ONLY_MFA = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}
GUARD_ARN = f"arn:aws:iam::{ACCOUNT}:policy/DenyWithoutMfa"
UNREAD_ARN = f"arn:aws:iam::{ACCOUNT}:policy/Unread"
BROKEN_TRUST = {
    "Statement": [{"Effect": "Perhaps", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]
}
SERVICE_TRUST = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
}


def _card(trust_policy: dict[str, Any], attached: tuple[str, ...] = (ADMIN_ARN,)) -> PrincipalCard:
    return _cards(trust_policy, attached)[1]


def _cards(
    trust_policy: dict[str, Any], attached: tuple[str, ...] = (ADMIN_ARN,)
) -> tuple[AuditResult, PrincipalCard]:
    policies = (ADMIN_POLICY, managed(GUARD_ARN, DENY_WITHOUT_MFA), managed(UNREAD_ARN, None))
    result = run(snapshot(roles=[role("R", trust_policy, attached=attached)], policies=policies))
    [card] = [c for c in result.cards if c.name == "R"]
    return result, card


def test_break_glass_role_whose_trust_requires_fresh_mfa_reads_enforced() -> None:
    result, card = _cards(trust(ROOT, FRESH_MFA))
    assert card.mfa_enforcement is MfaEnforcement.ENFORCED
    assert card.trust_enforcement is MfaEnforcement.ENFORCED
    assert card.permissions_enforcement is MfaEnforcement.NOT_ENFORCED
    assert card.remediation_policy_json == ""
    assert card.deciding_statements[0].policy_name == "R (trust policy)"
    assert not of(result, "role_assumable_without_mfa")


def test_role_assumable_without_mfa_reads_not_enforced_with_a_trust_fix() -> None:
    card = _card(trust(ROOT))
    assert card.mfa_enforcement is MfaEnforcement.NOT_ENFORCED
    assert card.trust_enforcement is MfaEnforcement.NOT_ENFORCED
    assert '"aws:MultiFactorAuthPresent": "true"' in card.remediation_policy_json
    assert ROOT in card.remediation_policy_json


def test_trust_requiring_mfa_only_in_the_console_stays_bypassable() -> None:
    card = _card(trust(ROOT, CONSOLE_ONLY_MFA))
    assert card.mfa_enforcement is MfaEnforcement.BYPASSABLE
    assert card.remediation_policy_json


def test_permissions_that_deny_without_mfa_protect_a_role_assumable_without_mfa() -> None:
    """A session assumed without MFA is denied by the role's own Deny (no age limit in it)."""
    card = _card(trust(ROOT), attached=(ADMIN_ARN, GUARD_ARN))
    assert card.trust_enforcement is MfaEnforcement.NOT_ENFORCED
    assert card.permissions_enforcement is MfaEnforcement.AGE_UNBOUNDED
    assert card.mfa_enforcement is MfaEnforcement.AGE_UNBOUNDED


def test_trust_policy_that_cannot_be_evaluated_makes_the_reach_unknown() -> None:
    card = _card(BROKEN_TRUST)
    assert card.trust_enforcement is MfaEnforcement.UNKNOWN
    assert card.mfa_enforcement is MfaEnforcement.UNKNOWN
    assert card.remediation_policy_json == "", "no trustees known to write a fix for"


def test_unreadable_permissions_behind_an_mfa_trust_policy_are_still_reached_with_mfa() -> None:
    card = _card(trust(ROOT, FRESH_MFA), attached=(UNREAD_ARN,))
    assert card.permissions_enforcement is MfaEnforcement.UNKNOWN
    assert card.mfa_enforcement is MfaEnforcement.ENFORCED


def test_unreadable_permissions_behind_a_trust_without_mfa_are_unknown() -> None:
    card = _card(trust(ROOT), attached=(UNREAD_ARN,))
    assert card.permissions_enforcement is MfaEnforcement.UNKNOWN
    assert card.mfa_enforcement is MfaEnforcement.UNKNOWN


def test_service_role_keeps_its_permissions_verdict() -> None:
    """Services cannot prove MFA to IAM: there is no reach by IAM principals to credit."""
    card = _card(SERVICE_TRUST)
    assert card.trust_enforcement is None
    assert card.mfa_enforcement is MfaEnforcement.NOT_ENFORCED
    assert card.permissions_enforcement is MfaEnforcement.NOT_ENFORCED
