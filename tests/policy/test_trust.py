"""Role trust policies: who may call sts:AssumeRole, and is MFA required to do so.

IAM User Guide, "Configuring MFA-protected API access" (roles: MFA is enforced in the trust
policy when the role is assumed; cross-account example uses Bool aws:MultiFactorAuthPresent
true) and "IAM JSON policy elements: Principal".
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.errors import PolicyError
from auditor.models import MfaEnforcement
from auditor.policy import PolicyEngine

from .conftest import ACCOUNT


def trust(
    principal: Any, condition: Any = None, action: Any = "sts:AssumeRole", effect: str = "Allow"
) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": effect, "Principal": principal, "Action": action}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.mark.parametrize(
    "principal",
    [
        {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        {"AWS": ACCOUNT},
        {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/alice"]},
        {"AWS": f"arn:aws:iam::{ACCOUNT}:role/ops"},
        {"AWS": "*"},
        "*",
    ],
)
def test_account_principals_can_assume(engine: PolicyEngine, principal: Any) -> None:
    result = engine.assess_trust_policy("ops", trust(principal), ACCOUNT)
    assert result.assumable_by_iam_principals
    assert result.verdict is MfaEnforcement.NOT_ENFORCED
    assert result.deciding
    assert result.deciding[0].policy_name == "ops (trust policy)"


def test_mfa_required_in_the_trust_policy(engine: PolicyEngine) -> None:
    # The documented cross-account example: Bool aws:MultiFactorAuthPresent true.
    result = engine.assess_trust_policy(
        "admin", trust({"AWS": ACCOUNT}, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}), ACCOUNT
    )
    assert result.assumable_by_iam_principals
    assert result.verdict is MfaEnforcement.AGE_UNBOUNDED
    fresh = {
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
        "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"},
    }
    assert (
        engine.assess_trust_policy("admin", trust({"AWS": ACCOUNT}, fresh), ACCOUNT).verdict
        is MfaEnforcement.ENFORCED
    )
    # BoolIfExists: a user calling AssumeRole with long-term keys and no MFA gets in.
    lax = engine.assess_trust_policy(
        "admin",
        trust({"AWS": ACCOUNT}, {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}),
        ACCOUNT,
    )
    assert lax.verdict is MfaEnforcement.BYPASSABLE
    assert lax.trap.startswith("BoolIfExists")


def test_services_and_federation_are_not_iam_principals(engine: PolicyEngine) -> None:
    service = engine.assess_trust_policy(
        "lambda-exec", trust({"Service": "lambda.amazonaws.com"}), ACCOUNT
    )
    assert not service.assumable_by_iam_principals
    assert service.verdict is MfaEnforcement.NOT_APPLICABLE
    assert service.trusted_principals == ("Service:lambda.amazonaws.com",)
    saml = engine.assess_trust_policy(
        "sso",
        trust(
            {"Federated": f"arn:aws:iam::{ACCOUNT}:saml-provider/Okta"},
            action="sts:AssumeRoleWithSAML",
        ),
        ACCOUNT,
    )
    assert not saml.assumable_by_iam_principals
    assert saml.verdict is MfaEnforcement.NOT_APPLICABLE


def test_other_accounts_are_listed_but_not_of_this_account(engine: PolicyEngine) -> None:
    result = engine.assess_trust_policy(
        "x", trust({"AWS": "arn:aws:iam::999999999999:root"}), ACCOUNT
    )
    assert not result.assumable_by_iam_principals
    assert result.trusted_principals == ("arn:aws:iam::999999999999:root",)
    assert result.verdict is MfaEnforcement.NOT_ENFORCED


def test_deny_in_trust_policy_and_unknown_conditions(engine: PolicyEngine) -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"},
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "sts:AssumeRole",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ],
    }
    assert (
        engine.assess_trust_policy("x", document, ACCOUNT).verdict is MfaEnforcement.AGE_UNBOUNDED
    )
    external = trust({"AWS": ACCOUNT}, {"StringEquals": {"sts:ExternalId": "abc"}})
    assert engine.assess_trust_policy("x", external, ACCOUNT).verdict is MfaEnforcement.NOT_ENFORCED


def test_malformed_trust_policy_raises_policy_error(engine: PolicyEngine) -> None:
    with pytest.raises(PolicyError, match="broken \\(trust policy\\)"):
        engine.assess_trust_policy(
            "broken", {"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}, ACCOUNT
        )


def test_account_id_and_root_arn_are_the_same_principal(engine: PolicyEngine) -> None:
    # "IAM JSON policy elements: Principal": an account id stands for the account's root ARN.
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"},
            {
                "Effect": "Deny",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ],
    }
    assert (
        engine.assess_trust_policy("x", document, ACCOUNT).verdict is MfaEnforcement.AGE_UNBOUNDED
    )


def test_not_principal_deny_is_not_credited_for_everyone(engine: PolicyEngine) -> None:
    # A Deny on "everyone except ops" does not protect a grant to "*" (ops still gets in
    # without MFA): judged fail-closed.
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
            {
                "Effect": "Deny",
                "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/ops"},
                "Action": "sts:AssumeRole",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ],
    }
    assert engine.assess_trust_policy("x", document, ACCOUNT).verdict is MfaEnforcement.NOT_ENFORCED
