"""Keys AWS puts in only some requests are *absent* in the four standard contexts, and policy
variables naming an absent key have no value.

Authorities (IAM User Guide):
- "IAM JSON policy elements: Condition operators": a key missing from the request makes a
  condition false, except that negated operators (``StringNotEquals``, ``ArnNotLike``...) are
  then true; ``...IfExists`` and ``Null`` test presence.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
- "Use VPC condition keys to control federated access", availability by network path:
  ``aws:SourceVpc``, ``aws:SourceVpcArn``, ``aws:SourceVpce``, ``aws:VpcSourceIp`` are present
  only through a VPC endpoint, not over the public internet.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sts_vpc_condition_keys_federated.html
- "AWS global condition context keys", aws:PrincipalTag: included only when the principal
  (an IAM user) has tags attached, one key per tag.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
- "IAM policy elements: Variables and tags", Policy variables with no value: ``StringEquals``
  does not match a variable with no value, ``StringNotEquals`` does, and a Resource holding one
  matches no resource.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.errors import UsageError
from auditor.models import MfaEnforcement
from auditor.policy import Decision, NamedPolicy, PolicyEngine, RequestContext

from .conftest import ADMIN, allow, deny, named

ALLOWED, DENIED, CONDITIONAL = Decision.ALLOWED, Decision.DENIED, Decision.CONDITIONAL
ALICE = {"aws:PrincipalArn": "arn:aws:iam::123456789012:user/alice", "aws:username": "alice"}


def decisions(
    engine: PolicyEngine,
    policies: list[NamedPolicy],
    action: str = "iam:PassRole",
    extra: dict[str, str] | None = None,
    absent: tuple[str, ...] = (),
) -> tuple[Decision, ...]:
    result = engine.explain(policies, action, "*", extra, absent=absent)
    return tuple(result.decisions[c] for c in RequestContext)


@pytest.mark.parametrize("key", ["aws:SourceVpc", "aws:SourceVpce", "aws:SourceVpcArn"])
def test_vpc_keys_are_absent_outside_a_vpc_endpoint(engine: PolicyEngine, key: str) -> None:
    only_in_vpc = named(allow("iam:PassRole", condition={"StringEquals": {key: "vpc-1"}}))
    assert decisions(engine, only_in_vpc) == (DENIED,) * 4  # absent: the Allow does not apply
    # A context that says otherwise is honoured.
    assert decisions(engine, only_in_vpc, extra={key: "vpc-1"}) == (ALLOWED,) * 4


def test_negated_operator_on_absent_vpc_key_holds(engine: PolicyEngine) -> None:
    """AWS's "deny unless from my VPC" pattern denies every request over the internet."""
    deny_outside = named(
        ADMIN, deny("*", condition={"StringNotEquals": {"aws:SourceVpc": "vpc-1"}})
    )
    assert decisions(engine, deny_outside) == (DENIED,) * 4
    # A positive operator on the absent key is false: that Deny does not apply...
    deny_inside = named(ADMIN, deny("*", condition={"StringEquals": {"aws:SourceVpc": "vpc-1"}}))
    assert decisions(engine, deny_inside) == (ALLOWED,) * 4
    # ...unless written ...IfExists, which is true when the key is absent.
    if_exists = named(
        ADMIN, deny("*", condition={"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}})
    )
    assert decisions(engine, if_exists) == (DENIED,) * 4
    # Null true: the key is absent, so this Deny applies everywhere.
    null_deny = named(ADMIN, deny("*", condition={"Null": {"aws:SourceVpce": "true"}}))
    assert decisions(engine, null_deny) == (DENIED,) * 4


def _tag_policy(operator: str = "StringEquals") -> dict[str, Any]:
    return allow("iam:PassRole", condition={operator: {"aws:PrincipalTag/team": "admins"}})


def test_principal_tag_follows_the_user_tags(engine: PolicyEngine) -> None:
    policies = named(_tag_policy())
    # Tags unknown (no principal given): conditional, never guessed.
    assert engine.assess_principal(policies).verdict is MfaEnforcement.NOT_ENFORCED
    assert engine.assess_principal(policies).conditional
    tagged = engine.assess_principal(policies, principal=ALICE, principal_tags={"team": "admins"})
    assert tagged.verdict is MfaEnforcement.NOT_ENFORCED
    assert not tagged.conditional
    other = engine.assess_principal(policies, principal=ALICE, principal_tags={"team": "dev"})
    assert other.verdict is MfaEnforcement.NOT_APPLICABLE
    # A user without the tag: the key is absent, StringEquals does not match.
    untagged = engine.assess_principal(policies, principal=ALICE, principal_tags={})
    assert untagged.verdict is MfaEnforcement.NOT_APPLICABLE
    assert not untagged.conditional


def test_principal_tag_keys_are_case_insensitive(engine: PolicyEngine) -> None:
    policies = named(_tag_policy())
    tagged = engine.assess_principal(policies, principal=ALICE, principal_tags={"Team": "admins"})
    assert tagged.verdict is MfaEnforcement.NOT_ENFORCED


def test_negated_operator_on_absent_principal_tag_holds(engine: PolicyEngine) -> None:
    """StringNotEquals on a tag the user lacks is true: the Deny applies."""
    policies = named(
        ADMIN, deny("*", condition={"StringNotEquals": {"aws:PrincipalTag/team": "admins"}})
    )
    untagged = engine.assess_principal(policies, principal=ALICE, principal_tags={})
    assert untagged.verdict is MfaEnforcement.NOT_APPLICABLE
    tagged = engine.assess_principal(policies, principal=ALICE, principal_tags={"team": "admins"})
    assert tagged.verdict is MfaEnforcement.NOT_ENFORCED


def test_variable_with_no_value_in_a_condition(engine: PolicyEngine) -> None:
    """``${aws:PrincipalTag/team}`` with no tag: StringEquals does not match, StringNotEquals
    does (AWS's own example denies when the principal tag is not set)."""
    matches = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    equal = named(allow("iam:PassRole", condition=matches))
    extra = {"aws:ResourceTag/team": "admins"}
    absent = ("aws:PrincipalTag/team",)
    assert decisions(engine, equal, extra=extra, absent=absent) == (DENIED,) * 4
    assert decisions(engine, equal, extra=extra) == (CONDITIONAL,) * 4
    differs = {"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    guarded = named(ADMIN, deny("*", condition=differs))
    assert decisions(engine, guarded, extra=extra, absent=absent) == (DENIED,) * 4
    # A default value stands in for the missing tag.
    defaulted = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team, 'admins'}"}}
    with_default = named(allow("iam:PassRole", condition=defaulted))
    assert decisions(engine, with_default, extra=extra, absent=absent) == (ALLOWED,) * 4


def test_resource_with_a_valueless_variable_matches_nothing(engine: PolicyEngine) -> None:
    team_roles = named(
        allow("iam:PassRole", resource="arn:aws:iam::*:role/${aws:PrincipalTag/team}-*")
    )
    untagged = engine.assess_principal(team_roles, principal=ALICE, principal_tags={})
    assert untagged.verdict is MfaEnforcement.NOT_APPLICABLE
    tagged = engine.assess_principal(team_roles, principal=ALICE, principal_tags={"team": "ops"})
    assert tagged.verdict is MfaEnforcement.NOT_ENFORCED
    # explain on a concrete resource: no tag, no match.
    role = "arn:aws:iam::123456789012:role/ops-deploy"
    result = engine.explain(team_roles, "iam:PassRole", role, absent=("aws:PrincipalTag/team",))
    assert result.decisions[RequestContext.CONSOLE_NO_MFA] is DENIED
    result = engine.explain(team_roles, "iam:PassRole", role, {"aws:PrincipalTag/team": "ops"})
    assert result.decisions[RequestContext.CONSOLE_NO_MFA] is ALLOWED


def test_not_resource_with_a_valueless_variable_excludes_nothing(engine: PolicyEngine) -> None:
    everything_but_team = named(
        {
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "NotResource": "arn:aws:iam::*:role/${aws:PrincipalTag/team}-*",
            },
        }
    )
    untagged = engine.assess_principal(everything_but_team, principal=ALICE, principal_tags={})
    assert untagged.verdict is MfaEnforcement.NOT_ENFORCED


def test_explain_absent_is_noted_and_checked(engine: PolicyEngine) -> None:
    policies = named(_tag_policy())
    result = engine.explain(policies, "iam:PassRole", absent=("aws:PrincipalTag/team",))
    assert result.decisions[RequestContext.ACCESS_KEY] is DENIED
    assert any("absent from the request: aws:PrincipalTag/team" in n for n in result.notes)
    assert "aws:PrincipalTag/team" not in result.extra_context
    with pytest.raises(UsageError, match="given a value and said to be absent"):
        engine.explain(
            policies, "iam:PassRole", "*", {"aws:PrincipalTag/team": "x"},
            absent=("aws:principaltag/team",),
        )  # fmt: skip
    with pytest.raises(UsageError, match="set by each of the four request contexts"):
        engine.explain(policies, "iam:PassRole", absent=("aws:MultiFactorAuthPresent",))
