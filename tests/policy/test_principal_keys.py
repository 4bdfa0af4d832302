"""Keys that describe the principal are known for an IAM user's own requests.

IAM User Guide, "AWS global condition context keys" (Properties of the principal):
aws:PrincipalArn, aws:PrincipalAccount and aws:PrincipalType ("User" for an IAM user) are
always in the request context; "IAM policy elements: Variables and tags" lists aws:username
and aws:userid for IAM users. Treating them as unknown made a Deny scoped to
``aws:PrincipalArn arn:aws:iam::*:user/*`` CONDITIONAL: the review's false alarm.
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.analyzer.graph.permissions import PrivilegeIndex
from auditor.errors import UsageError
from auditor.models import MfaEnforcement
from auditor.policy import NamedPolicy, PolicyEngine
from auditor.policy.principal_keys import (
    member_principal,
    principal_for_sources,
    user_principal,
)
from tests.analyzer.conftest import group, row, snapshot, user

from .conftest import ACCOUNT, ADMIN, allow, deny

NO_MFA = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
BOB = f"arn:aws:iam::{ACCOUNT}:user/ops/bob"


def users_deny(condition: dict[str, Any]) -> dict[str, Any]:
    return deny("*", "*", {**NO_MFA, **condition})


ARN_DENY = users_deny({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/*"}})


def test_user_principal_keys_come_from_the_arn() -> None:
    assert user_principal(BOB, "AIDABOB") == {
        "aws:PrincipalArn": BOB,
        "aws:PrincipalType": "User",
        "aws:PrincipalAccount": ACCOUNT,
        "aws:username": "bob",
        "aws:userid": "AIDABOB",
    }
    assert member_principal(ACCOUNT) == {
        "aws:PrincipalType": "User",
        "aws:PrincipalAccount": ACCOUNT,
    }


def test_a_deny_on_the_principal_arn_is_decided_for_a_user(engine: PolicyEngine) -> None:
    policies = [NamedPolicy("admin", ADMIN), NamedPolicy("guard", ARN_DENY)]
    unknown = engine.assess_principal(policies)
    assert unknown.conditional
    assert unknown.verdict is MfaEnforcement.NOT_ENFORCED
    known = engine.assess_principal(policies, principal=user_principal(BOB, "AIDABOB"))
    assert not known.conditional
    assert known.verdict is MfaEnforcement.AGE_UNBOUNDED
    role = {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/ops", "aws:PrincipalType": "Role"}
    other = engine.assess_principal(policies, principal=role)
    assert not other.conditional
    assert other.verdict is MfaEnforcement.NOT_ENFORCED  # the Deny is scoped to users only


@pytest.mark.parametrize(
    ("condition", "verdict"),
    [
        ({"StringEquals": {"aws:PrincipalType": "User"}}, MfaEnforcement.AGE_UNBOUNDED),
        ({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}, MfaEnforcement.AGE_UNBOUNDED),
        ({"StringEquals": {"aws:username": "bob"}}, MfaEnforcement.AGE_UNBOUNDED),
        ({"StringNotEquals": {"aws:userid": "AIDABOB"}}, MfaEnforcement.NOT_ENFORCED),
    ],
)
def test_each_principal_key_is_supplied(
    engine: PolicyEngine, condition: dict[str, Any], verdict: MfaEnforcement
) -> None:
    policies = [NamedPolicy("admin", ADMIN), NamedPolicy("guard", users_deny(condition))]
    assessment = engine.assess_principal(policies, principal=user_principal(BOB, "AIDABOB"))
    assert not assessment.conditional
    assert assessment.verdict is verdict


def test_username_in_resources_is_resolved_for_the_user(engine: PolicyEngine) -> None:
    own = allow("iam:AttachUserPolicy", f"arn:aws:iam::{ACCOUNT}:user/ops/${{aws:username}}")
    guard = deny("*", f"arn:aws:iam::{ACCOUNT}:user/ops/bob", NO_MFA)
    policies = [NamedPolicy("own", own), NamedPolicy("guard", guard)]
    bob = user_principal(BOB, "AIDABOB")
    alice = user_principal(f"arn:aws:iam::{ACCOUNT}:user/ops/alice", "AIDAALICE")
    # For bob, "${aws:username}" is bob: the Deny on user/ops/bob covers his only grant.
    assert engine.assess_principal(policies, principal=bob).verdict is (
        MfaEnforcement.AGE_UNBOUNDED
    )
    # For alice (or an unknown user) the Deny guards someone else.
    assert engine.assess_principal(policies, principal=alice).verdict is (
        MfaEnforcement.NOT_ENFORCED
    )
    assert engine.assess_principal(policies).verdict is MfaEnforcement.NOT_ENFORCED


def test_the_cache_separates_principals_only_where_keys_are_read(engine: PolicyEngine) -> None:
    plain = [NamedPolicy("admin", ADMIN), NamedPolicy("guard", deny("*", "*", NO_MFA))]
    first = engine.assess_principal(plain, principal=user_principal(BOB))
    second = engine.assess_principal(plain, principal=user_principal(BOB.replace("bob", "eve")))
    assert first is second  # no statement reads a principal key: one shared answer
    guarded = [NamedPolicy("admin", ADMIN), NamedPolicy("guard", ARN_DENY)]
    user_answer = engine.assess_principal(guarded, principal=user_principal(BOB))
    role_answer = engine.assess_principal(
        guarded, principal={"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/r"}
    )
    assert user_answer.verdict is not role_answer.verdict


def test_principal_keys_cannot_override_the_mfa_keys(engine: PolicyEngine) -> None:
    with pytest.raises(UsageError, match="aws:MultiFactorAuthPresent"):
        engine.assess_principal(
            [NamedPolicy("admin", ADMIN)], principal={"aws:MultiFactorAuthPresent": "true"}
        )


def test_sources_decide_between_user_and_group_keys() -> None:
    users = {"bob": user("bob")}
    reads = [ARN_DENY]
    mine = principal_for_sources(["user:bob (inline)", "group:Ops"], reads, users, ACCOUNT)
    assert mine is not None
    assert mine["aws:username"] == "bob"
    assert principal_for_sources(["group:Ops"], reads, users, ACCOUNT) == member_principal(ACCOUNT)
    assert principal_for_sources(["role:R"], reads, users, ACCOUNT) is None
    assert principal_for_sources(["user:bob"], [ADMIN], users, ACCOUNT) is None  # reads none


def test_the_analyzer_passes_user_keys_and_group_member_keys() -> None:
    type_deny = users_deny({"StringEquals": {"aws:PrincipalType": "User"}})
    snap = snapshot(
        users=[
            user("bob", inline={"admin": ADMIN, "guard": ARN_DENY}),
            user("carol", ["Typed"]),
            user("dave", ["Scoped"]),
        ],
        rows=[row("bob"), row("carol"), row("dave")],
        groups=[
            group("Typed", inline={"admin": ADMIN, "guard": type_deny}),
            group("Scoped", inline={"admin": ADMIN, "guard": ARN_DENY}),
        ],
    )
    index = PrivilegeIndex(snap, PolicyEngine())
    # bob's own policies: his ARN is known, the Deny applies.
    assert index.user_effective("bob").verdict is MfaEnforcement.AGE_UNBOUNDED
    # A group's members are all IAM users of the account: PrincipalType is known ...
    assert index.user_effective("carol").verdict is MfaEnforcement.AGE_UNBOUNDED
    # ... but a member's ARN is not part of the group's shared answer: unknown, fail closed.
    scoped = index.user_effective("dave")
    assert scoped.assessment.conditional
    assert scoped.verdict is MfaEnforcement.NOT_ENFORCED


def test_role_session_tags_are_the_role_tags_unless_the_trust_allows_tag_session() -> None:
    """ "Passing session tags in AWS STS" (IAM User Guide): session tags need sts:TagSession in
    the role's trust policy; without it a session carries exactly the role's tags."""
    from auditor.policy.principal_keys import role_session_tags

    def trust(actions: object) -> dict[str, object]:
        return {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": actions}
            ],
        }

    tags = {"team": "ops"}
    assert role_session_tags(tags, trust("sts:AssumeRole")) == tags
    assert role_session_tags(tags, trust(["sts:AssumeRole", "sts:TagSession"])) is None
    assert role_session_tags(tags, trust("sts:*")) is None
    assert role_session_tags(tags, trust("STS:tagsession")) is None
    assert role_session_tags(tags, {"Statement": "odd"}) is None
    not_action = {"Statement": [{"Effect": "Allow", "NotAction": "s3:*", "Principal": "*"}]}
    assert role_session_tags(tags, not_action) is None
    denied = {
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": "*", "Action": "sts:TagSession"},
        ]
    }
    assert role_session_tags(tags, denied) == tags


def test_document_text_holds_every_place_a_key_can_be_named() -> None:
    """Conditions and policy variables in resources are where an identity policy names context
    keys ("IAM policy elements: Variables and tags"); the rest of the document is left out."""
    from auditor.policy.principal_keys import document_text

    condition = {
        "Statement": [
            {
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:PrincipalArn": "x"}},
            }
        ]
    }
    variable = {
        "Statement": {
            "Effect": "Allow",
            "Action": "iam:*",
            "Resource": ["arn:aws:iam::*:user/${aws:username}"],
        }
    }
    plain = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    odd = {"Statement": ["not an object", {"Condition": {"Bool": {"aws:userid": "x"}}}]}
    assert "aws:principalarn" in document_text(condition)
    assert "aws:username" in document_text(variable)
    assert document_text(plain) == ""
    assert "aws:userid" in document_text(odd)  # shaped otherwise: dumped whole
