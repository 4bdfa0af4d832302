"""Several Denies together cover an Allow's resources.

IAM User Guide, "Policy evaluation logic" (Determining whether a request is allowed or denied
within an account): "an explicit deny in any of these policies overrides the allow". Which
Deny matches does not matter, so a Deny on ``user/*`` in one policy and a Deny on ``role/*`` in
another together block an Allow on ``user/*`` and ``role/*``: reporting "not enforced" there
is the review's false alarm. Where the engine cannot be sure a union covers (one pattern
split across Denies), it stays fail-closed.
"""

from __future__ import annotations

from typing import Any

from auditor.models import MfaEnforcement
from auditor.policy import Decision, NamedPolicy, PolicyEngine, RequestContext

from .conftest import allow, deny

NO_MFA = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
USERS, ROLES = "arn:aws:iam::*:user/*", "arn:aws:iam::*:role/*"
ATTACH = allow(["iam:AttachUserPolicy", "iam:AttachRolePolicy"], [USERS, ROLES])


def named(*documents: dict[str, Any]) -> list[NamedPolicy]:
    return [NamedPolicy(f"p{i}", d) for i, d in enumerate(documents)]


def test_denies_in_two_policies_cover_the_allow_together(engine: PolicyEngine) -> None:
    policies = named(ATTACH, deny("*", USERS, NO_MFA), deny("*", ROLES, NO_MFA))
    assert engine.assess_principal(policies).verdict is MfaEnforcement.AGE_UNBOUNDED
    explained = engine.explain(policies, "iam:AttachRolePolicy")
    assert explained.decisions[RequestContext.CONSOLE_NO_MFA] is Decision.DENIED
    assert explained.verdict is MfaEnforcement.AGE_UNBOUNDED
    denying = {ref.policy_name for ref in explained.statements if ref.effect == "Deny"}
    assert denying == {"p1", "p2"}


def test_two_statements_of_one_policy_add_up_too(engine: PolicyEngine) -> None:
    both = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": USERS, "Condition": NO_MFA},
            {"Effect": "Deny", "Action": "*", "Resource": ROLES, "Condition": NO_MFA},
        ],
    }
    assert engine.assess_principal(named(ATTACH, both)).verdict is MfaEnforcement.AGE_UNBOUNDED


def test_a_deny_missing_one_pattern_leaves_the_gap(engine: PolicyEngine) -> None:
    policies = named(ATTACH, deny("*", USERS, NO_MFA))
    assert engine.assess_principal(policies).verdict is MfaEnforcement.NOT_ENFORCED


def test_denies_that_apply_in_different_contexts_do_not_add_up(engine: PolicyEngine) -> None:
    # The user/* Deny catches everything without MFA; the role/* one only console sessions
    # without MFA (Bool false): with long-term access keys role/* stays open.
    bool_false = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
    policies = named(ATTACH, deny("*", USERS, NO_MFA), deny("*", ROLES, bool_false))
    assert engine.assess_principal(policies).verdict is MfaEnforcement.BYPASSABLE


def test_one_pattern_split_across_denies_stays_fail_closed(engine: PolicyEngine) -> None:
    # user/a* plus user/b* do not cover user/* (user/carol): never credited.
    policies = named(
        allow("iam:AttachUserPolicy", USERS),
        deny("*", "arn:aws:iam::*:user/a*", NO_MFA),
        deny("*", "arn:aws:iam::*:user/b*", NO_MFA),
    )
    assert engine.assess_principal(policies).verdict is MfaEnforcement.NOT_ENFORCED


def test_an_unknown_condition_on_one_covering_deny_is_conditional(engine: PolicyEngine) -> None:
    unknown = {**NO_MFA, "StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    policies = named(ATTACH, deny("*", USERS, NO_MFA), deny("*", ROLES, unknown))
    assessment = engine.assess_principal(policies)
    assert assessment.conditional
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED  # judged as possibly allowed
