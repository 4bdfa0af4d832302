"""Roles trusted by another account's IAM principals.

IAM User Guide, "Secure API access with MFA", section "Scenario: MFA protection for cross-account
delegation" (https://docs.aws.amazon.com/IAM/latest/UserGuide/
id_credentials_mfa_configure-api-require.html#MFAProtectedAPI-cross-account-delegation): the
trusting account puts the MFA condition in the role's trust policy, because that is the only
place where the trusting account can demand MFA of the other account's users. A privileged role
whose trust policy lets another account (its root principal, meaning any of its users or roles
that their own account allows, or a named user or role of it) assume it without that condition
is the same gap as one trusting this account. Services and federated (SAML, OIDC) principals
cannot prove MFA to IAM and are not IAM principals, so they stay out of this rule.
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.models import FindingStatus, PrincipalType, Severity

from .conftest import ACCOUNT, ADMIN_ARN, READ_ONLY, managed, of, role, run, snapshot, trust

OTHER = "210987654321"
MFA_TRUST = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
BOOLIFEXISTS_TRUST = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}


@pytest.mark.parametrize(
    "principal",
    [
        f"arn:aws:iam::{OTHER}:root",
        OTHER,  # a bare account id means the account's root principal
        f"arn:aws:iam::{OTHER}:user/ops/alice",
        f"arn:aws:iam::{OTHER}:role/Deployer",
    ],
)
def test_admin_role_trusting_another_account_without_mfa_is_reported(principal: str) -> None:
    result = run(snapshot(roles=[role("CrossAdmin", trust(principal), attached=[ADMIN_ARN])]))
    [finding] = of(result, "role_assumable_without_mfa")
    assert finding.status is FindingStatus.OPEN
    assert finding.severity is Severity.HIGH
    assert finding.principal_type is PrincipalType.ROLE
    assert principal in finding.detail
    assert f"account {OTHER}" in finding.detail
    assert finding.evidence["trusted_accounts"] == f"{OTHER} (another account)"
    assert principal in finding.evidence["trusted_principals"]


def test_cross_account_role_card_shows_the_trust_verdict_and_a_fix_for_that_account() -> None:
    result = run(snapshot(roles=[role("CrossAdmin", trust(OTHER), attached=[ADMIN_ARN])]))
    [card] = [c for c in result.cards if c.name == "CrossAdmin"]
    assert card.mfa_enforcement.value == "not_enforced"
    assert f"arn:aws:iam::{OTHER}:root" in card.remediation_policy_json
    assert '"aws:MultiFactorAuthPresent": "true"' in card.remediation_policy_json


def test_same_and_other_account_are_both_named_with_their_accounts() -> None:
    both = trust(f"arn:aws:iam::{ACCOUNT}:root")
    both["Statement"][0]["Principal"]["AWS"] = [
        f"arn:aws:iam::{ACCOUNT}:root",
        f"arn:aws:iam::{OTHER}:root",
    ]
    [finding] = of(
        run(snapshot(roles=[role("Shared", both, attached=[ADMIN_ARN])])),
        "role_assumable_without_mfa",
    )
    assert finding.evidence["trusted_accounts"] == (
        f"{ACCOUNT} (this account), {OTHER} (another account)"
    )


def test_cross_account_trust_requiring_mfa_passes() -> None:
    snap = snapshot(roles=[role("CrossAdmin", trust(OTHER, MFA_TRUST), attached=[ADMIN_ARN])])
    result = run(snap)
    assert not of(result, "role_assumable_without_mfa")
    assert not of(result, "mfa_condition_bypassable")


def test_cross_account_trust_with_boolifexists_is_bypassable() -> None:
    """BoolIfExists true holds for the other account's long-term keys, which carry no MFA key."""
    snap = snapshot(
        roles=[role("CrossOps", trust(OTHER, BOOLIFEXISTS_TRUST), attached=[ADMIN_ARN])]
    )
    result = run(snap)
    [finding] = of(result, "mfa_condition_bypassable")
    assert finding.principal_name == "CrossOps"
    assert f"account {OTHER} (another account)" in finding.detail
    assert finding.evidence["trusted_accounts"] == f"{OTHER} (another account)"
    assert not of(result, "role_assumable_without_mfa")


def test_non_privileged_cross_account_role_passes() -> None:
    viewer = managed(f"arn:aws:iam::{ACCOUNT}:policy/View", READ_ONLY)
    snap = snapshot(
        roles=[role("CrossView", trust(OTHER), attached=[viewer.arn])],
        policies=[viewer],
    )
    assert not of(run(snap), "role_assumable_without_mfa")


def _federated(kind: str, principal: str, action: str) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": {kind: principal}, "Action": action}
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.mark.parametrize(
    "document",
    [
        _federated("Service", "ec2.amazonaws.com", "sts:AssumeRole"),
        _federated(
            "Federated", f"arn:aws:iam::{OTHER}:saml-provider/Okta", "sts:AssumeRoleWithSAML"
        ),
        _federated(
            "Federated",
            f"arn:aws:iam::{OTHER}:oidc-provider/token.actions.githubusercontent.com",
            "sts:AssumeRoleWithWebIdentity",
        ),
    ],
    ids=["service", "saml", "oidc"],
)
def test_service_and_federated_principals_stay_out(document: dict[str, Any]) -> None:
    result = run(snapshot(roles=[role("Workload", document, attached=[ADMIN_ARN])]))
    assert not of(result, "role_assumable_without_mfa")
    assert not of(result, "mfa_condition_bypassable")


def test_other_partition_account_is_another_account_too() -> None:
    principal = f"arn:aws-us-gov:iam::{OTHER}:root"
    [finding] = of(
        run(snapshot(roles=[role("GovAdmin", trust(principal), attached=[ADMIN_ARN])])),
        "role_assumable_without_mfa",
    )
    assert f"account {OTHER}" in finding.detail
