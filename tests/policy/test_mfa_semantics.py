"""MFA verdicts for AWS's documented combinations and example policies.

Sources (IAM User Guide): "AWS global condition context keys" (aws:MultiFactorAuthPresent,
aws:MultiFactorAuthAge: the four documented combinations and their warnings), "IAM JSON policy
elements: Condition operators" (...IfExists, Null), "Policy evaluation logic", and the example
policies copied verbatim into conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auditor.models import MfaEnforcement
from auditor.policy import Decision, NamedPolicy, PolicyEngine, RequestContext

from .conftest import (
    ADMIN,
    AWS_S3_PRODUCTION_RECENT_MFA,
    AWS_S3_WRITE_DELETE_WITH_MFA,
    AWS_SELF_MANAGE_CREDENTIALS,
    AWS_SELF_MANAGE_MFA_DEVICE,
    AWS_SELF_MANAGE_MFA_ONLY,
    allow,
    deny,
    named,
)

A, D = Decision.ALLOWED, Decision.DENIED
NOT_ENFORCED, BYPASSABLE = MfaEnforcement.NOT_ENFORCED, MfaEnforcement.BYPASSABLE
AGE_UNBOUNDED, ENFORCED = MfaEnforcement.AGE_UNBOUNDED, MfaEnforcement.ENFORCED
NA = MfaEnforcement.NOT_APPLICABLE
Copier = Callable[[dict[str, Any]], dict[str, Any]]


def row(
    engine: PolicyEngine, policies: list[NamedPolicy], action: str, resource: str = "*"
) -> tuple[tuple[Decision, ...], MfaEnforcement, str]:
    result = engine.explain(policies, action, resource)
    return tuple(result.decisions[c] for c in RequestContext), result.verdict, result.trap


# --- The four combinations documented for aws:MultiFactorAuthPresent --------------------------


def test_deny_bool_if_exists_false_is_the_recommended_combination(engine: PolicyEngine) -> None:
    # "Recommended combination": denies temporary credentials without MFA *and* long-term keys.
    policies = named(
        ADMIN, deny(condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})
    )
    decided, verdict, _ = row(engine, policies, "iam:PassRole")
    assert decided == (D, D, A, A)
    assert verdict is AGE_UNBOUNDED  # MFA required, but any MFA session age is accepted
    assert engine.assess_principal(policies).verdict is AGE_UNBOUNDED


def test_bool_false_in_a_deny_is_bypassable_with_access_keys(engine: PolicyEngine) -> None:
    # "WARNING: NOT RECOMMENDED": Deny + Bool false "does not deny access to requests that are
    # made using long-term credentials".
    policies = named(ADMIN, deny(condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}))
    decided, verdict, trap = row(engine, policies, "iam:CreateAccessKey")
    assert decided == (D, A, A, A)
    assert verdict is BYPASSABLE
    assert trap.startswith("Bool false in a Deny")
    assessment = engine.assess_principal(policies)
    assert assessment.verdict is BYPASSABLE
    assert assessment.actions[0].trap.startswith("Bool false in a Deny")


def test_bool_if_exists_true_in_an_allow_is_bypassable(engine: PolicyEngine) -> None:
    # "Alternative combinations": Allow + BoolIfExists true (what the console's "MFA required"
    # writes) "allows ... requests made using long-term access keys".
    policies = named(allow(condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}))
    decided, verdict, trap = row(engine, policies, "iam:AttachUserPolicy")
    assert decided == (D, A, A, A)
    assert verdict is BYPASSABLE
    assert trap.startswith("BoolIfExists in an Allow")


def test_bool_true_in_an_allow_requires_mfa_for_everyone(engine: PolicyEngine) -> None:
    # Allow + Bool true "allows only MFA-authenticated requests".
    decided, verdict, _ = row(
        engine,
        named(allow(condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
        "iam:PassRole",
    )
    assert decided == (D, D, A, A)
    assert verdict is AGE_UNBOUNDED


def test_null_true_in_a_deny_leaves_console_sessions_without_mfa_open(engine: PolicyEngine) -> None:
    # AWS calls Deny + Null true "the same" as Deny + Bool false; by the Null rule ("Condition
    # operators": Null true holds when the key is absent) it denies only long-term keys, so a
    # console session signed in without MFA ("false", present) gets through: not enforced.
    policies = named(ADMIN, deny(condition={"Null": {"aws:MultiFactorAuthPresent": "true"}}))
    decided, verdict, trap = row(engine, policies, "iam:PassRole")
    assert decided == (A, D, A, A)
    assert verdict is NOT_ENFORCED
    assert trap.startswith("Null true in a Deny")


def test_null_false_in_an_allow_admits_any_temporary_credentials(engine: PolicyEngine) -> None:
    # "Do not use": Allow + Null false "does not test whether MFA-authentication was used".
    _, verdict, trap = row(
        engine,
        named(allow(condition={"Null": {"aws:MultiFactorAuthPresent": "false"}})),
        "iam:PassRole",
    )
    assert verdict is NOT_ENFORCED
    assert trap.startswith("Null false in an Allow")


# --- aws:MultiFactorAuthAge -------------------------------------------------------------------


def test_seed_article_age_under_300_seconds_is_enforced(engine: PolicyEngine) -> None:
    # NumericLessThan aws:MultiFactorAuthAge 300: only fresh MFA sessions; the key is absent
    # without MFA, so the Allow does not apply then.
    policies = named(allow(condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "300"}}))
    decided, verdict, _ = row(engine, policies, "iam:PassRole")
    assert decided == (D, D, A, D)
    assert verdict is ENFORCED
    assert engine.assess_principal(policies).verdict is ENFORCED


def test_if_exists_age_test_in_an_allow_lets_requests_without_mfa_in(engine: PolicyEngine) -> None:
    # "...IfExists": when the key is absent the condition is true.
    _, verdict, trap = row(
        engine,
        named(allow(condition={"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "300"}})),
        "iam:PassRole",
    )
    assert verdict is NOT_ENFORCED
    assert "IfExists on aws:MultiFactorAuthAge" in trap


def test_age_limit_above_max_age_is_age_unbounded() -> None:
    # A limit of 7,200 s is a limit, but a longer one than the configured 3,600 s maximum.
    engine = PolicyEngine(max_age=3_600)
    policies = named(allow(condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "7200"}}))
    decided, verdict, _ = row(engine, policies, "iam:PassRole")
    assert decided == (D, D, A, D)  # the stale (one day) session is still refused
    assert verdict is AGE_UNBOUNDED
    assert PolicyEngine(max_age=7_200).explain(policies, "iam:PassRole").verdict is ENFORCED


def test_age_deny_without_if_exists_ignores_requests_without_mfa(engine: PolicyEngine) -> None:
    _, verdict, trap = row(
        engine,
        named(ADMIN, deny(condition={"NumericGreaterThan": {"aws:MultiFactorAuthAge": "300"}})),
        "iam:PassRole",
    )
    assert verdict is NOT_ENFORCED
    assert "without IfExists" in trap


# --- AWS's example policies -------------------------------------------------------------------


def test_self_manage_credentials_example_is_not_a_privilege_gap(engine: PolicyEngine) -> None:
    # The NotAction Deny lets a user without MFA enrol a device and change their own password;
    # every grant is on the caller's own user. That is self-service, not privilege.
    alone = engine.assess_principal([NamedPolicy("SelfManage", AWS_SELF_MANAGE_CREDENTIALS)])
    assert alone.verdict is NA
    assert alone.errors == ()
    # Without MFA the user can enrol a device on their own user (AWS's intent) ...
    result = engine.explain(
        [NamedPolicy("SelfManage", AWS_SELF_MANAGE_CREDENTIALS)], "iam:EnableMFADevice"
    )
    assert result.decisions[RequestContext.CONSOLE_NO_MFA] is A
    assert any("bootstrap" in note for note in result.notes)
    # ... but not create access keys, even for themselves, until signed in with MFA.
    keys = engine.explain(
        [NamedPolicy("SelfManage", AWS_SELF_MANAGE_CREDENTIALS)], "iam:CreateAccessKey"
    )
    assert (keys.decisions[RequestContext.CONSOLE_NO_MFA], keys.decisions[RequestContext.MFA]) == (
        D,
        A,
    )


def test_self_manage_example_plus_admin_is_mfa_enforced_without_false_positive(
    engine: PolicyEngine,
) -> None:
    # AWS's tutorial pairs this policy with broad permissions. The carve-out actions (enrol a
    # device, change one's own password) stay open without MFA on every resource through the
    # admin policy; they grant nothing, so they must not make the admin "not_enforced".
    for example in (
        AWS_SELF_MANAGE_CREDENTIALS,
        AWS_SELF_MANAGE_MFA_ONLY,
        AWS_SELF_MANAGE_MFA_DEVICE,
    ):
        assessment = engine.assess_principal(
            [NamedPolicy("Admin", ADMIN), NamedPolicy("ForceMFA", example)]
        )
        assert assessment.verdict is AGE_UNBOUNDED, example
        assert all(a.verdict is AGE_UNBOUNDED for a in assessment.actions)
        assert any(
            r.statement_id in ("DenyAllExceptListedIfNoMFA", "BlockMostAccessUnlessSignedInWithMFA")
            for r in assessment.deciding
        )


def test_mfa_device_example_alone_is_not_privileged(engine: PolicyEngine) -> None:
    # CreateVirtualMFADevice on any mfa/ resource, DeactivateMFADevice on oneself with MFA.
    assert (
        engine.assess_principal([NamedPolicy("MfaSelf", AWS_SELF_MANAGE_MFA_DEVICE)]).verdict is NA
    )
    assert engine.assess_principal([NamedPolicy("MfaOnly", AWS_SELF_MANAGE_MFA_ONLY)]).verdict is NA


def test_aws_2023_001_carve_out_must_not_open_other_users_keys(
    engine: PolicyEngine, example
) -> None:  # type: ignore[no-untyped-def]
    # Adding iam:CreateAccessKey to the NotAction list, with a grant on every user, lets a
    # caller without MFA create keys for *other* users: not enforced, carve-out named.
    carved = example(AWS_SELF_MANAGE_CREDENTIALS)
    carved["Statement"][-1]["NotAction"].append("iam:CreateAccessKey")
    carved["Statement"].append(
        {
            "Sid": "HelpDesk",
            "Effect": "Allow",
            "Action": "iam:CreateAccessKey",
            "Resource": "arn:aws:iam::*:user/*",
        }
    )
    assessment = engine.assess_principal([NamedPolicy("Carved", carved)])
    assert assessment.verdict is NOT_ENFORCED
    (gap,) = [a for a in assessment.actions if a.verdict is NOT_ENFORCED]
    assert gap.actions == ("iam:CreateAccessKey",)
    assert "NotAction" in gap.trap
    assert "DenyAllExceptListedIfNoMFA" in gap.trap
    assert [r.statement_id for r in gap.deciding] == ["HelpDesk"]
    # The same carve-out with the grant kept to the caller's own user stays self-service.
    own_only = example(AWS_SELF_MANAGE_CREDENTIALS)
    own_only["Statement"][-1]["NotAction"].append("iam:CreateAccessKey")
    assert engine.assess_principal([NamedPolicy("OwnOnly", own_only)]).verdict is NA


def test_removing_mfa_without_mfa_is_a_gap_even_on_ones_own_user(
    engine: PolicyEngine, example
) -> None:  # type: ignore[no-untyped-def]
    # AWS's warning on the MFA-only example: never allow deleting an MFA device without MFA.
    risky = example(AWS_SELF_MANAGE_MFA_ONLY)
    risky["Statement"][-1]["NotAction"].append("iam:DeactivateMFADevice")
    assessment = engine.assess_principal([NamedPolicy("Risky", risky)])
    assert assessment.verdict is NOT_ENFORCED
    assert assessment.actions[0].actions == ("iam:DeactivateMFADevice",)


def test_s3_production_bucket_denied_without_recent_mfa(engine: PolicyEngine) -> None:
    # NumericGreaterThanIfExists aws:MultiFactorAuthAge 1800 in a Deny: no MFA (no age) or MFA
    # older than 30 minutes is denied on the Production bucket only.
    policies = [NamedPolicy("S3Admin", AWS_S3_PRODUCTION_RECENT_MFA)]
    decided, verdict, _ = row(
        engine, policies, "s3:DeleteObject", "arn:aws:s3:::Production/report.csv"
    )
    assert decided == (D, D, A, D)
    assert verdict is ENFORCED
    decided, verdict, _ = row(engine, policies, "s3:DeleteObject", "arn:aws:s3:::scratch/tmp.csv")
    assert decided == (A, A, A, A)
    assert verdict is NOT_ENFORCED
    # On "some resource", deletes need no MFA: other buckets are open.
    assert row(engine, policies, "s3:DeleteObject")[1] is NOT_ENFORCED


def test_s3_deletes_allowed_only_with_mfa(engine: PolicyEngine) -> None:
    # "Configuring MFA-protected API access": PutObject/DeleteObject with Bool true.
    policies = [NamedPolicy("Writers", AWS_S3_WRITE_DELETE_WITH_MFA)]
    decided, verdict, _ = row(
        engine, policies, "s3:DeleteObject", "arn:aws:s3:::ACCOUNT-A-BUCKET-NAME/x"
    )
    assert decided == (D, D, A, A)
    assert verdict is AGE_UNBOUNDED
    assert row(engine, policies, "s3:DeleteBucket")[1] is NA


def test_self_scoped_grant_of_permission_changes_is_still_privileged(engine: PolicyEngine) -> None:
    # Attaching a policy to oneself is privilege escalation (Rhino Security Labs' list), not
    # self-service: scoping it to ${aws:username} does not make it harmless.
    policies = named(
        allow(["iam:AttachUserPolicy", "iam:PutUserPolicy"], "arn:aws:iam::*:user/${aws:username}")
    )
    assessment = engine.assess_principal(policies)
    assert assessment.verdict is NOT_ENFORCED
    assert set(assessment.actions[0].actions) == {"iam:AttachUserPolicy", "iam:PutUserPolicy"}


def test_own_mfa_removal_with_mfa_under_a_boundary_is_not_privilege(engine: PolicyEngine) -> None:
    boundary = NamedPolicy("boundary", allow())
    policies = [NamedPolicy("MfaSelf", AWS_SELF_MANAGE_MFA_DEVICE)]
    assert engine.assess_principal(policies, boundary=boundary).verdict is NA
