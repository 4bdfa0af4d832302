"""Parsing: the grammar's variants are accepted, malformed documents name policy and statement.

IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON policy
language": Statement is an object or a list; Action/NotAction and Resource/NotResource a
string or a list; condition values strings, booleans, numbers or lists; action names and
condition keys case-insensitive.
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.errors import PolicyError
from auditor.policy import parse_policy_document


def test_statement_may_be_a_single_object_with_string_elements() -> None:
    parsed = parse_policy_document(
        {
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "IAM:PassRole", "Resource": "*"},
        },
        policy_name="single",
    )
    (statement,) = parsed.statements
    assert statement.actions == ("iam:passrole",)  # action names are case-insensitive
    assert statement.resources == ("*",)
    assert statement.label == "#0"
    assert parsed.variables


def test_lists_not_elements_and_condition_value_types() -> None:
    parsed = parse_policy_document(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "A",
                    "Effect": "Deny",
                    "NotAction": ["iam:*", "sts:GetSessionToken"],
                    "NotResource": ["arn:aws:s3:::Bucket/*"],
                    "Condition": {
                        "BoolIfExists": {"AWS:MultiFactorAuthPresent": False},
                        "NumericLessThan": {"aws:MultiFactorAuthAge": 300},
                        "StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]},
                    },
                },
            ],
        },
        policy_name="lists",
    )
    (statement,) = parsed.statements
    assert statement.not_action
    assert statement.not_resource
    assert statement.resources == ("arn:aws:s3:::Bucket/*",)  # resources keep their case
    by_key = {c.key: c for c in statement.conditions}
    assert by_key["aws:multifactorauthpresent"].values == ("false",)
    assert by_key["aws:multifactorauthpresent"].if_exists
    assert by_key["aws:multifactorauthage"].values == ("300",)
    assert by_key["aws:requestedregion"].values == ("eu-west-1", "us-east-1")


def test_qualifiers_and_if_exists_are_split_from_the_operator() -> None:
    parsed = parse_policy_document(
        {
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Action": "*",
                "Resource": "*",
                "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "env*"}},
            },
        },
        policy_name="q",
    )
    (condition,) = parsed.statements[0].conditions
    assert (condition.qualifier, condition.base, condition.if_exists) == (
        "foranyvalue",
        "stringlike",
        True,
    )


def test_json_text_is_accepted_and_version_2008_disables_variables() -> None:
    # IAM User Guide, "IAM JSON policy elements: Version": policy variables need 2012-10-17.
    parsed = parse_policy_document(
        '{"Version": "2008-10-17", "Statement": '
        '[{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}',
        policy_name="old",
    )
    assert not parsed.variables
    assert not parse_policy_document({"Statement": []}, policy_name="none").variables


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ([], "must be a JSON object"),
        ({"Version": "2012-10-17"}, "no Statement"),
        ({"Statement": [], "Extra": 1}, "unknown top-level element(s) Extra"),
        ({"Version": "2020-01-01", "Statement": []}, "Version must be one of"),
        ({"Statement": ["x"]}, "statement #0: must be a JSON object"),
        ({"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}, "Effect must be"),
        ({"Statement": {"Effect": "Allow", "Resource": "*"}}, "needs Action or NotAction"),
        (
            {"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "x:y", "Resource": "*"}},
            "both Action and NotAction",
        ),
        ({"Statement": {"Effect": "Allow", "Action": "*"}}, "needs Resource or NotResource"),
        ({"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}, "non-empty string"),
        (
            {"Statement": {"Effect": "Allow", "Action": "CreateUser", "Resource": "*"}},
            "service:action",
        ),
        (
            {"Statement": {"Sid": 3, "Effect": "Allow", "Action": "*", "Resource": "*"}},
            "Sid must be a string",
        ),
        (
            {
                "Statement": {
                    "Sid": "S1",
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Principal": "*",
                }
            },
            "statement S1: unknown element(s) Principal",
        ),
        (
            {
                "Statement": {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"Bool": {"k": None}},
                }
            },
            "values must be strings",
        ),
        (
            {
                "Statement": {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"BoolEquals": {"k": "true"}},
                }
            },
            "unknown condition operator 'BoolEquals'",
        ),
        (
            {
                "Statement": {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"NullIfExists": {"k": "true"}},
                }
            },
            "unknown condition operator",
        ),
        (
            {
                "Statement": {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"ForSomeValues:StringEquals": {"k": "v"}},
                }
            },
            "unknown condition qualifier",
        ),
        (
            {
                "Statement": {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": ["Bool"],
                }
            },
            "Condition must be a JSON object",
        ),
        (
            {
                "Statement": {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"Bool": {}},
                }
            },
            "must map condition keys",
        ),
        ("{not json", "not valid JSON"),
    ],
)
def test_malformed_documents_raise_policy_error_naming_policy(document: Any, fragment: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy_document(document, policy_name="team-policy")
    message = str(caught.value)
    assert "team-policy" in message
    assert fragment in message
    assert "\n" not in message


def test_trust_policies_need_a_principal_and_may_omit_resource() -> None:
    parsed = parse_policy_document(
        {
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:root"]},
                "Action": "sts:AssumeRole",
            },
        },
        policy_name="trust",
        trust=True,
    )
    assert parsed.statements[0].principals == (
        ("AWS", ("111122223333", "arn:aws:iam::111122223333:root")),
    )
    with pytest.raises(PolicyError, match="needs Principal"):
        parse_policy_document(
            {"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}},
            policy_name="t",
            trust=True,
        )
