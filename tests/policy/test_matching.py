"""Wildcards, pattern containment and condition operators, at the unit level.

IAM User Guide: "IAM JSON policy elements: Action" (case-insensitive, * and ? wildcards),
"... Resource" (ARNs case-sensitive), "IAM policy elements: Variables and tags",
"IAM JSON policy elements: Condition operators", "Conditions with multiple context keys or
values", "AWS global condition context keys".
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.conditions import build_context, evaluate_block, standard_contexts
from auditor.policy.parse import parse_policy_document
from auditor.policy.patterns import (
    contains,
    glob_match,
    is_self_scoped,
    may_overlap,
    resource_match,
)
from auditor.policy.types import RequestContext

CONSOLE, KEYS, MFA, STALE = (
    RequestContext.CONSOLE_NO_MFA,
    RequestContext.ACCESS_KEY,
    RequestContext.MFA,
    RequestContext.STALE_MFA,
)


def condition_result(
    condition: dict[str, Any], context: RequestContext, extra: dict[str, str] | None = None
) -> bool | None:
    parsed = parse_policy_document(
        {
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Action": "*",
                "Resource": "*",
                "Condition": condition,
            },
        },
        policy_name="c",
    )
    contexts = standard_contexts(60, 86_400, extra)
    return evaluate_block(parsed.statements[0].conditions, contexts[context], True)


def test_glob_wildcards_and_case() -> None:
    assert glob_match("iam:Create*", "iam:createuser", ignore_case=True)
    assert glob_match("iam:?etUser", "iam:GetUser")
    assert not glob_match("iam:?etUser", "iam:GGetUser")
    # Resource ARNs are case-sensitive.
    assert not glob_match("arn:aws:s3:::Production/*", "arn:aws:s3:::production/x")
    assert glob_match("arn:aws:s3:::Production/*", "arn:aws:s3:::Production/x")


def test_containment_is_sound_for_wildcards() -> None:
    assert contains("arn:aws:s3:::Production/x", "arn:aws:s3:::Production/*")
    assert contains("arn:aws:s3:::bucket-*", "arn:aws:s3:::*")
    assert not contains("arn:aws:s3:::*", "arn:aws:s3:::Production/*")
    assert contains("a?c", "a*")
    assert not contains("a*", "a?")  # * can be longer than one character
    assert not contains("a*c", "a*b")
    assert contains("IAM:Create*", "iam:*", True)
    assert contains("user/${aws:username}", "user/*")
    assert contains("user/${aws:username}", "user/${aws:username}")
    assert not contains("user/*", "user/${aws:username}")


def test_overlap_answers_false_only_when_disjoint() -> None:
    assert not may_overlap("arn:aws:s3:::a/*", "arn:aws:s3:::b/*")
    assert may_overlap("arn:aws:s3:::a*", "arn:aws:s3:::ab/*")
    assert not may_overlap("s3:get*", "iam:createvirtualmfadevice")
    assert may_overlap("*", "iam:x")
    assert not may_overlap("*.json", "*.txt")


def test_policy_variables_in_resources() -> None:
    # "IAM policy elements: Variables and tags": ${aws:username} comes from the request.
    known = {"aws:username": "alice"}.get
    unknown: dict[str, str] = {}
    pattern = "arn:aws:iam::*:user/${aws:username}"
    assert resource_match(pattern, "arn:aws:iam::1:user/alice", known, True) is True
    assert resource_match(pattern, "arn:aws:iam::1:user/bob", known, True) is False
    assert resource_match(pattern, "arn:aws:iam::1:user/alice", unknown.get, True) is None
    # Without Version 2012-10-17 the variable is literal text.
    assert resource_match(pattern, "arn:aws:iam::1:user/alice", known, False) is False
    assert resource_match("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", unknown.get, True) is True
    assert resource_match("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", unknown.get, True) is False
    assert resource_match(
        "arn:aws:s3:::${aws:username, 'none'}", "arn:aws:s3:::none", unknown.get, True
    )


def test_self_scoped_resources() -> None:
    assert is_self_scoped("arn:aws:iam::*:user/${aws:username}")
    assert is_self_scoped("arn:aws:iam::123456789012:mfa/${aws:username}")
    assert is_self_scoped("arn:aws:iam::*:user/division/${aws:UserName}")
    assert not is_self_scoped("arn:aws:iam::*:user/*")
    assert not is_self_scoped("arn:aws:iam::*:user/${aws:username}*")
    assert not is_self_scoped("*")


# --- Condition operators in the four contexts ------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        # "AWS global condition context keys", aws:MultiFactorAuthPresent: the key is absent for
        # long-term access keys, "false" for temporary credentials without MFA.
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, (False, False, True, True)),
        ({"Bool": {"aws:MultiFactorAuthPresent": "false"}}, (True, False, False, False)),
        ({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, (False, True, True, True)),
        ({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}, (True, True, False, False)),
        ({"Bool": {"aws:MultiFactorAuthPresent": True}}, (False, False, True, True)),
        # "Condition operators", Null: "true" holds when the key is absent.
        ({"Null": {"aws:MultiFactorAuthPresent": "true"}}, (False, True, False, False)),
        ({"Null": {"aws:MultiFactorAuthPresent": "false"}}, (True, False, True, True)),
        ({"Null": {"aws:MultiFactorAuthAge": "true"}}, (True, True, False, False)),
        # aws:MultiFactorAuthAge is present only when MFA was used (60 s fresh, 86,400 s stale).
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "300"}}, (False, False, True, False)),
        ({"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": 300}}, (True, True, True, False)),
        ({"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}, (False, False, False, True)),
        (
            {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}},
            (True, True, False, True),
        ),
        ({"NumericLessThanEquals": {"aws:MultiFactorAuthAge": "60"}}, (False, False, True, False)),
        (
            {"NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": "60"}},
            (False, False, True, True),
        ),
        ({"NumericEquals": {"aws:MultiFactorAuthAge": ["60", "61"]}}, (False, False, True, False)),
        # A negated operator on an absent key holds ("Condition operators", important note).
        ({"NumericNotEquals": {"aws:MultiFactorAuthAge": "60"}}, (True, True, False, True)),
        # Keys in one block are ANDed ("Conditions with multiple context keys or values").
        (
            {
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
                "NumericLessThan": {"aws:MultiFactorAuthAge": "300"},
            },
            (False, False, True, False),
        ),
        # String operators compare the key's string value.
        ({"StringEquals": {"aws:MultiFactorAuthPresent": "true"}}, (False, False, True, True)),
        ({"StringNotEquals": {"aws:MultiFactorAuthPresent": "true"}}, (True, True, False, False)),
        # ForAllValues holds on an absent key, ForAnyValue does not.
        (
            {"ForAllValues:StringEquals": {"aws:MultiFactorAuthPresent": "true"}},
            (False, True, True, True),
        ),
        (
            {"ForAnyValue:StringEquals": {"aws:MultiFactorAuthPresent": ["true", "x"]}},
            (False, False, True, True),
        ),
    ],
)
def test_mfa_conditions_in_each_context(
    condition: dict[str, Any], expected: tuple[bool, ...]
) -> None:
    got = tuple(condition_result(condition, ctx) for ctx in (CONSOLE, KEYS, MFA, STALE))
    assert got == expected


def test_condition_key_names_are_case_insensitive() -> None:
    assert condition_result({"Bool": {"AWS:MULTIFACTORAUTHPRESENT": "TRUE"}}, MFA) is True


def test_unsupplied_keys_are_unknown_not_guessed() -> None:
    # The answer is None ("conditional"), whichever operator: it is never guessed.
    for operator in (
        "StringEquals",
        "StringNotEquals",
        "StringLikeIfExists",
        "Null",
        "ForAllValues:StringEquals",
    ):
        assert condition_result({operator: {"aws:RequestedRegion": "eu-west-1"}}, CONSOLE) is None
    # One false key decides an AND even when another is unknown.
    mixed = {
        "StringEquals": {"aws:RequestedRegion": "eu-west-1"},
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
    }
    assert condition_result(mixed, CONSOLE) is False
    assert condition_result(mixed, MFA) is None


def test_supplied_keys_use_the_string_family_and_variables() -> None:
    extra = {
        "aws:RequestedRegion": "eu-west-1",
        "aws:username": "alice",
        "aws:PrincipalTag/team": "ops",
    }
    assert (
        condition_result(
            {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}, KEYS, extra
        )
        is True
    )
    # Negated operators NOR their values.
    assert (
        condition_result(
            {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}, KEYS, extra
        )
        is False
    )
    assert (
        condition_result({"StringEquals": {"aws:RequestedRegion": "EU-WEST-1"}}, KEYS, extra)
        is False
    )
    assert (
        condition_result(
            {"StringEqualsIgnoreCase": {"aws:RequestedRegion": "EU-WEST-1"}}, KEYS, extra
        )
        is True
    )
    assert condition_result({"StringLike": {"aws:RequestedRegion": "eu-*"}}, KEYS, extra) is True
    assert (
        condition_result({"StringNotLike": {"aws:RequestedRegion": "eu-*"}}, KEYS, extra) is False
    )
    assert (
        condition_result(
            {"StringEquals": {"aws:PrincipalTag/Team": "${aws:username}"}}, KEYS, extra
        )
        is False
    )
    assert (
        condition_result({"StringEquals": {"aws:username": "${aws:username}"}}, KEYS, extra) is True
    )
    assert (
        condition_result({"StringEquals": {"aws:username": "${aws:userid}"}}, KEYS, extra) is None
    )


def test_other_operator_families_for_supplied_keys() -> None:
    extra = {
        "aws:SourceIp": "10.1.2.3",
        "aws:CurrentTime": "2024-06-01T00:00:00Z",
        "aws:PrincipalArn": "arn:aws:iam::123456789012:role/Admin",
    }
    assert condition_result({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, KEYS, extra) is True
    assert condition_result({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, KEYS, extra) is False
    assert (
        condition_result({"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}, KEYS, extra)
        is True
    )
    assert (
        condition_result(
            {"DateGreaterThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}, KEYS, extra
        )
        is False
    )
    assert (
        condition_result({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Ad*"}}, KEYS, extra)
        is True
    )
    assert (
        condition_result(
            {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Ad*"}}, KEYS, extra
        )
        is False
    )
    assert (
        condition_result(
            {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/admin"}}, KEYS, extra
        )
        is False
    )
    # A value that cannot be compared is unknown, not a silent "false".
    assert condition_result({"NumericLessThan": {"aws:MultiFactorAuthAge": "soon"}}, MFA) is None


def test_multi_valued_keys_with_set_qualifiers() -> None:
    parsed = parse_policy_document(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}},
                },
                {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}},
                },
            ],
        },
        policy_name="tags",
    )
    context = build_context("x", present=None, age=None)
    context = type(context)(
        {**context.values, "aws:tagkeys": ("env", "owner")}, context.known | {"aws:tagkeys"}
    )
    all_values, any_value = (evaluate_block(s.conditions, context, True) for s in parsed.statements)
    assert all_values is False  # "owner" is not in the allowed set
    assert any_value is True
