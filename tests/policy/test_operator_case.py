"""Condition operators are case-sensitive; NotPrincipal has no place in a trust policy.

IAM User Guide, "IAM JSON policy elements: Condition operators" lists each operator by its
exact name, and IAM rejects another spelling: CreatePolicy answers ``"stringEquals"`` with
MalformedPolicyDocument "Invalid Condition type : stringEquals" (condition *keys* are
case-insensitive: "IAM JSON policy elements: Condition"). A mis-cased operator is therefore
an error naming it, never read as the operator it resembles, and a snapshot holding such a
document (impossible in AWS, possible in an export) yields an error, not a pass.

"AWS JSON policy elements: NotPrincipal": "NotPrincipal must be used with "Effect":"Deny".
Using it with "Effect":"Allow" is not supported", and it cannot be used "in an IAM role trust
policy": lint reports it, and the trust assessment treats it fail-closed.
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.errors import PolicyError
from auditor.models import MfaEnforcement
from auditor.policy import NamedPolicy, PolicyEngine, lint_policy, parse_policy_document

from .conftest import ACCOUNT, ADMIN, allow


@pytest.mark.parametrize(
    ("operator", "spelled"),
    [
        ("bool", "Bool"),
        ("numericlessthan", "NumericLessThan"),
        ("BOOLIFEXISTS", "BoolIfExists"),
        ("BoolIfexists", "BoolIfExists"),
        ("stringEquals", "StringEquals"),
        ("forallvalues:StringLike", "ForAllValues:StringLike"),
        ("ForAnyValue:stringlike", "ForAnyValue:StringLike"),
    ],
)
def test_mis_cased_operators_are_errors_naming_them(operator: str, spelled: str) -> None:
    document = allow("*", "*", {operator: {"aws:MultiFactorAuthPresent": "true"}}, Sid="Admin")
    with pytest.raises(PolicyError) as raised:
        parse_policy_document(document, policy_name="ops-admin")
    message = raised.value.message
    assert "policy ops-admin: statement Admin" in message
    assert repr(operator) in message
    assert repr(spelled) in message


def test_condition_keys_stay_case_insensitive() -> None:
    document = allow("*", "*", {"Bool": {"AWS:MultiFactorAuthPRESENT": "true"}})
    parsed = parse_policy_document(document, policy_name="p")
    assert parsed.statements[0].conditions[0].key == "aws:multifactorauthpresent"


def test_a_mis_cased_operator_is_an_error_not_a_pass(engine: PolicyEngine) -> None:
    lower = allow("*", "*", {"bool": {"aws:MultiFactorAuthPresent": "true"}})
    assessment = engine.assess_principal([NamedPolicy("lower", lower)])
    assert assessment.errors
    assert "'bool'" in assessment.errors[0]
    with pytest.raises(PolicyError, match="'bool'"):
        lint_policy(lower, file="lower.json", policy_name="lower.json", engine=engine)


def notprincipal_trust(effect: str, condition: Any = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": effect,
        "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/intern"},
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def test_notprincipal_allow_in_a_trust_policy_is_judged_fail_closed(engine: PolicyEngine) -> None:
    with_mfa = notprincipal_trust("Allow", {"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    assessed = engine.assess_trust_policy("Odd", with_mfa, ACCOUNT)
    assert assessed.assumable_by_iam_principals  # everyone except the intern, i.e. everyone
    assert "NotPrincipal" in assessed.trap


def test_a_notprincipal_deny_is_never_credited(engine: PolicyEngine) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"},
            notprincipal_trust("Deny", {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})[
                "Statement"
            ][0],
        ],
    }
    assessed = engine.assess_trust_policy("Guarded", trust, ACCOUNT)
    assert assessed.verdict is MfaEnforcement.NOT_ENFORCED
    assert "NotPrincipal" in assessed.trap


def test_check_policy_reports_notprincipal_in_a_trust_policy(engine: PolicyEngine) -> None:
    problems = lint_policy(
        notprincipal_trust("Allow"), file="trust.json", policy_name="trust.json", engine=engine
    )
    invalid = [p for p in problems if p.severity == "error"]
    assert len(invalid) == 1
    assert "NotPrincipal is invalid in a role trust policy" in invalid[0].message
    assert invalid[0].blocks  # everyone may assume the role, without MFA
    assert "aws:PrincipalArn" in invalid[0].advice


def test_check_policy_lints_a_trust_policy_next_to_identity_policies(
    engine: PolicyEngine,
) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
        ],
    }
    problems = lint_policy([ADMIN, trust], file="f", policy_name="f", engine=engine)
    by_policy = {p.policy_name for p in problems}
    assert by_policy == {"f[0]", "f[1]"}
    assumed = [p for p in problems if p.policy_name == "f[1]"]
    assert assumed
    assert "assumed" in assumed[0].message
    assert not assumed[0].blocks
