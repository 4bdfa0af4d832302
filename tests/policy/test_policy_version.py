"""Policy variables exist only under policy language Version 2012-10-17.

IAM User Guide, "IAM JSON policy elements: Version": with 2008-10-17 (also the default when
Version is missing) "features such as policy variables ... will not work with your policy. For
example, variables such as ${aws:username} aren't recognized as variables and are instead
treated as literal strings in the policy." And "IAM policy elements: Variables and tags".
So a versionless Deny on ``user/${aws:username}`` matches no real user: it must not be
credited with covering a 2012-10-17 Allow on the same text.
"""

from __future__ import annotations

from typing import Any

from auditor.models import MfaEnforcement
from auditor.policy import NamedPolicy, PolicyEngine, lint_policy
from auditor.policy.variables import contains_vars

from .conftest import allow

OWN_USER = "arn:aws:iam::*:user/${aws:username}"
NO_MFA = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
SELF_ATTACH = allow(["iam:AttachUserPolicy", "iam:PutUserPolicy"], OWN_USER)


def own_deny(version: str | None) -> dict[str, Any]:
    statement = {"Effect": "Deny", "Action": "*", "Resource": OWN_USER, "Condition": NO_MFA}
    document: dict[str, Any] = {"Statement": [statement]}
    if version:
        document["Version"] = version
    return document


def test_versionless_deny_with_a_variable_covers_nothing(engine: PolicyEngine) -> None:
    policies = [NamedPolicy("allow", SELF_ATTACH), NamedPolicy("deny", own_deny(None))]
    assessment = engine.assess_principal(policies)
    # The Deny's resource is the literal text "user/${aws:username}": no user has that name,
    # so attaching a policy to oneself needs no MFA (the review's false "compliant").
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    explained = engine.explain(policies, "iam:AttachUserPolicy")
    assert explained.verdict is MfaEnforcement.NOT_ENFORCED


def test_2008_deny_is_literal_but_2012_deny_is_a_variable(engine: PolicyEngine) -> None:
    literal = [NamedPolicy("allow", SELF_ATTACH), NamedPolicy("d", own_deny("2008-10-17"))]
    variable = [NamedPolicy("allow", SELF_ATTACH), NamedPolicy("d", own_deny("2012-10-17"))]
    assert engine.assess_principal(literal).verdict is MfaEnforcement.NOT_ENFORCED
    assert engine.assess_principal(variable).verdict is MfaEnforcement.AGE_UNBOUNDED


def test_contains_honours_each_sides_variable_flag() -> None:
    # Same text, both variables: the same variable at the same place covers itself.
    assert contains_vars(OWN_USER, True, OWN_USER, True)
    # Literal Deny text against a variable Allow (and the reverse): covers nothing.
    assert not contains_vars(OWN_USER, True, OWN_USER, False)
    assert not contains_vars(OWN_USER, False, OWN_USER, True)
    # Both literal: plain text equality.
    assert contains_vars(OWN_USER, False, OWN_USER, False)
    # A variable in the Allow stands for any name: only "*" in the Deny absorbs it ...
    assert contains_vars(OWN_USER, True, "arn:aws:iam::*:user/*", False)
    # ... never a "?" (a user name is rarely one character) or a literal prefix.
    assert not contains_vars(OWN_USER, True, "arn:aws:iam::*:user/?", False)
    assert not contains_vars(OWN_USER, True, "arn:aws:iam::*:user/$*", False)
    # Variable names are case-insensitive, like the condition keys they name.
    assert contains_vars("arn:aws:iam::*:user/${AWS:Username}", True, OWN_USER, True)


def test_literal_variables_in_a_2012_condition_or_resource_are_not_flagged(
    engine: PolicyEngine,
) -> None:
    problems = lint_policy(SELF_ATTACH, file="f.json", policy_name="f.json", engine=engine)
    assert not any("literal text" in p.message for p in problems)


def test_check_policy_warns_about_variables_without_version_2012(engine: PolicyEngine) -> None:
    problems = lint_policy(own_deny(None), file="d.json", policy_name="d.json", engine=engine)
    warned = [p for p in problems if "literal text" in p.message]
    assert len(warned) == 1
    assert warned[0].statement_id == "#0"
    assert "${aws:username}" in warned[0].message
    assert '"Version": "2012-10-17"' in warned[0].advice
    assert not warned[0].blocks
