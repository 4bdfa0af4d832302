"""Privilege does not hinge on the sample MFA ages.

IAM User Guide, "AWS global condition context keys" (aws:MultiFactorAuthAge: seconds since
the principal was authenticated with MFA, present only when MFA was used) and "IAM JSON
policy elements: Condition operators" (Numeric condition operators). An Allow that needs
``NumericLessThan aws:MultiFactorAuthAge 60`` is denied in the sample fresh session (60 s) yet
allows a user who acts right after signing in with MFA: the action is privileged, and the
verdict is enforced, not "n/a" (the review's false n/a).
"""

from __future__ import annotations

from typing import Any

from auditor.models import MfaEnforcement
from auditor.policy import Decision, NamedPolicy, PolicyEngine, lint_policy

from .conftest import ACCOUNT, allow

PRESENT = {"aws:MultiFactorAuthPresent": "true"}


def fresh_only(operator: str, seconds: Any) -> dict[str, Any]:
    condition = {"Bool": PRESENT, operator: {"aws:MultiFactorAuthAge": seconds}}
    return allow("*", "*", condition)


def test_age_limit_at_the_fresh_age_is_enforced_not_na(engine: PolicyEngine) -> None:
    policies = [NamedPolicy("strict", fresh_only("NumericLessThan", "60"))]
    assessment = engine.assess_principal(policies)
    assert assessment.privileged
    assert assessment.verdict is MfaEnforcement.ENFORCED
    # explain agrees, and names the statement that allows a 0 s old MFA session.
    explained = engine.explain(policies, "iam:PassRole")
    assert set(explained.decisions.values()) == {Decision.DENIED}
    assert explained.verdict is MfaEnforcement.ENFORCED
    assert any("MFA session aged 0s" in ref.why for ref in explained.statements)
    # check-policy has nothing blocking to say (the policy is strict, not broken).
    problems = lint_policy(policies[0].document, file="s", policy_name="s", engine=engine)
    assert not any(p.blocks for p in problems)


def test_a_stricter_engine_age_does_not_change_privilege() -> None:
    engine = PolicyEngine(fresh_age=300)
    policies = [NamedPolicy("strict", fresh_only("NumericLessThan", "300"))]
    assert engine.assess_principal(policies).verdict is MfaEnforcement.ENFORCED


def test_an_age_window_missing_every_sample_is_still_found(engine: PolicyEngine) -> None:
    # Allowed only at exactly 120 s: none of 0, 60, 3601 or 86400 s; the threshold probes are.
    policies = [NamedPolicy("odd", fresh_only("NumericEquals", "120"))]
    assert engine.assess_principal(policies).verdict is MfaEnforcement.ENFORCED
    assert engine.explain(policies, "iam:PassRole").verdict is MfaEnforcement.ENFORCED


def test_a_window_beyond_the_maximum_age_is_age_unbounded(engine: PolicyEngine) -> None:
    window = {
        "Bool": PRESENT,
        "NumericGreaterThan": {"aws:MultiFactorAuthAge": "5000"},
        "NumericLessThan": {"aws:MultiFactorAuthAge": "6000"},
    }
    policies = [NamedPolicy("late", allow("*", "*", window))]
    # Only sessions between 5000 s and 6000 s old: older than the 3600 s maximum.
    assert engine.assess_principal(policies).verdict is MfaEnforcement.AGE_UNBOUNDED


def test_an_unsatisfiable_age_test_grants_nothing(engine: PolicyEngine) -> None:
    policies = [NamedPolicy("never", fresh_only("NumericLessThan", "0"))]
    assert engine.assess_principal(policies).verdict is MfaEnforcement.NOT_APPLICABLE


def test_a_deny_on_every_age_still_wins(engine: PolicyEngine) -> None:
    deny_all_ages = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": "0"}},
            }
        ],
    }
    policies = [
        NamedPolicy("odd", fresh_only("NumericEquals", "120")),
        NamedPolicy("deny", deny_all_ages),
    ]
    assert engine.assess_principal(policies).verdict is MfaEnforcement.NOT_APPLICABLE


def test_trust_policy_with_a_short_age_limit_is_enforced(engine: PolicyEngine) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": PRESENT, "NumericLessThan": {"aws:MultiFactorAuthAge": "30"}},
            }
        ],
    }
    assessed = engine.assess_trust_policy("Strict", trust, ACCOUNT)
    assert assessed.assumable_by_iam_principals
    assert assessed.verdict is MfaEnforcement.ENFORCED
