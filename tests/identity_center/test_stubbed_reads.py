"""Identity Center reads moto cannot play, answered by botocore's ``Stubber``.

Stubbed because moto 5.2.5 lacks them or answers them unlike AWS: several pages (moto never
pages), ``ExternalIds`` on users, a permissions boundary (``GetPermissionsBoundaryForPermissionSet``
is not implemented) and ``ResourceNotFoundException`` for a set without one, a managed policy
under a path (``job-function/ViewOnlyAccess``, refused by moto), AccessDenied and throttling.
Response shapes follow the sso-admin and identitystore API references (botocore validates them).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from auditor.collector.identity_center import ApiSource
from auditor.collector.identity_center_read import read_identity_center
from auditor.identity_center_models import IdentityCenterStatus
from tests.support.fakes import stubbed_client

INSTANCE = "arn:aws:sso:::instance/ssoins-1111111111111111"
STORE = "d-1111111111"
ADMIN_SET = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa"
VIEW_SET = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-bbbbbbbbbbbbbbbb"
ACCOUNT = "111111111111"
VIEW_ONLY = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ANA = "a1b2c3d4-0000-4000-8000-00000000000a"
BEN = "a1b2c3d4-0000-4000-8000-00000000000b"
OPS = "a1b2c3d4-0000-4000-8000-0000000000f0"


class Stubs:
    def __init__(self) -> None:
        self.sso, self.sso_stub = stubbed_client("sso-admin")
        self.store, self.store_stub = stubbed_client("identitystore")

    def read(self) -> Any:
        source = ApiSource(self.sso, self.store, "audit")
        return read_identity_center(source, region="eu-west-1", workers=1, say=lambda _: None)

    def done(self) -> None:
        self.sso_stub.assert_no_pending_responses()
        self.store_stub.assert_no_pending_responses()


def _instance(stub: Stubber) -> None:
    stub.add_response(
        "list_instances",
        {
            "Instances": [
                {
                    "InstanceArn": INSTANCE,
                    "IdentityStoreId": STORE,
                    "OwnerAccountId": ACCOUNT,
                    "Status": "ACTIVE",
                }
            ]
        },
        {"MaxResults": 100},
    )


def _set_reads(stub: Stubber, arn: str, name: str, managed: str, boundary: str | None) -> None:
    params = {"InstanceArn": INSTANCE, "PermissionSetArn": arn}
    stub.add_response(
        "describe_permission_set",
        {"PermissionSet": {"Name": name, "PermissionSetArn": arn, "SessionDuration": "PT1H"}},
        params,
    )
    policy_name = managed.rsplit("/", 1)[-1]
    stub.add_response(
        "list_managed_policies_in_permission_set",
        {"AttachedManagedPolicies": [{"Arn": managed, "Name": policy_name}]},
        {**params, "MaxResults": 100},
    )
    stub.add_response("get_inline_policy_for_permission_set", {}, params)  # none: omitted
    stub.add_response(
        "list_customer_managed_policy_references_in_permission_set",
        {"CustomerManagedPolicyReferences": []},
        {**params, "MaxResults": 100},
    )
    if boundary is None:
        stub.add_client_error(
            "get_permissions_boundary_for_permission_set",
            "ResourceNotFoundException",
            "Permissions boundary not found",
            http_status_code=400,
            expected_params=params,
        )
    else:
        stub.add_response(
            "get_permissions_boundary_for_permission_set",
            {"PermissionsBoundary": {"ManagedPolicyArn": boundary}},
            params,
        )
    stub.add_response(
        "list_accounts_for_provisioned_permission_set",
        {"AccountIds": [ACCOUNT]},
        {**params, "MaxResults": 100},
    )


def _full(stubs: Stubs) -> None:
    _instance(stubs.sso_stub)
    users = [
        {
            "UserId": ANA,
            "UserArn": f"arn:aws:identitystore:::user/{ANA}",
            "Revision": "1",
            "UserName": "ana",
            "IdentityStoreId": STORE,
            "ExternalIds": [{"Issuer": "https://scim.example.okta.com", "Id": "00u1"}],
        }
    ]
    stubs.store_stub.add_response(
        "list_users",
        {"Users": users, "NextToken": "page-2"},
        {"IdentityStoreId": STORE, "MaxResults": 100},
    )
    stubs.store_stub.add_response(
        "list_users",
        {
            "Users": [
                {
                    "UserId": BEN,
                    "UserArn": f"arn:aws:identitystore:::user/{BEN}",
                    "Revision": "3",
                    "UserName": "ben",
                    "IdentityStoreId": STORE,
                    "UserStatus": "DISABLED",
                }
            ]
        },
        {"IdentityStoreId": STORE, "MaxResults": 100, "NextToken": "page-2"},
    )
    stubs.store_stub.add_response(
        "list_groups",
        {
            "Groups": [
                {
                    "GroupId": OPS,
                    "GroupArn": f"arn:aws:identitystore:::group/{OPS}",
                    "Revision": "1",
                    "DisplayName": "Ops",
                    "IdentityStoreId": STORE,
                }
            ]
        },
        {"IdentityStoreId": STORE, "MaxResults": 100},
    )
    stubs.store_stub.add_response(
        "list_group_memberships",
        {
            "GroupMemberships": [
                {
                    "IdentityStoreId": STORE,
                    "MembershipId": "a1b2c3d4-0000-4000-8000-0000000000e1",
                    "MembershipArn": "arn:aws:identitystore:::membership/"
                    "a1b2c3d4-0000-4000-8000-0000000000e1",
                    "GroupId": OPS,
                    "MemberId": {"UserId": ANA},
                }
            ]
        },
        {"IdentityStoreId": STORE, "GroupId": OPS, "MaxResults": 100},
    )
    stubs.sso_stub.add_response(
        "list_permission_sets",
        {"PermissionSets": [ADMIN_SET, VIEW_SET]},
        {"InstanceArn": INSTANCE, "MaxResults": 100},
    )
    _set_reads(stubs.sso_stub, ADMIN_SET, "BoundedAdmin", ADMIN, READ_ONLY)
    _set_reads(stubs.sso_stub, VIEW_SET, "ViewOnly", VIEW_ONLY, None)
    for arn, principal in ((ADMIN_SET, ("GROUP", OPS)), (VIEW_SET, ("USER", BEN))):
        stubs.sso_stub.add_response(
            "list_account_assignments",
            {
                "AccountAssignments": [
                    {
                        "AccountId": ACCOUNT,
                        "PermissionSetArn": arn,
                        "PrincipalType": principal[0],
                        "PrincipalId": principal[1],
                    }
                ]
            },
            {
                "InstanceArn": INSTANCE,
                "AccountId": ACCOUNT,
                "PermissionSetArn": arn,
                "MaxResults": 100,
            },
        )


def test_every_read_in_aws_shape_with_pages_boundary_and_a_path() -> None:
    stubs = Stubs()
    _full(stubs)
    data, gaps = stubs.read()
    stubs.done()
    assert gaps == ()
    assert data.status is IdentityCenterStatus.COLLECTED
    assert (data.instance_arn, data.identity_store_id, data.owner_account_id) == (
        INSTANCE,
        STORE,
        ACCOUNT,
    )
    assert [u.user_name for u in data.users] == ["ana", "ben"]  # both pages
    assert data.users[0].external_id_issuers == ("https://scim.example.okta.com",)
    assert data.users[0].user_arn == f"arn:aws:identitystore:::user/{ANA}"
    assert (data.users[0].enabled, data.users[1].enabled) == (True, False)
    assert data.groups[0].member_ids == (ANA,)
    admin, view = data.permission_sets
    assert admin.boundary_policy_arn == READ_ONLY
    assert admin.session_duration == "PT1H"
    # ResourceNotFoundException on the boundary read: the set has none (a fact, not a gap).
    assert view.boundary_policy_arn is None
    assert view.unread == ()
    assert [p.arn for p in view.managed_policies] == [VIEW_ONLY]
    assert {(a.permission_set_arn, a.principal_type) for a in data.assignments} == {
        (ADMIN_SET, "GROUP"),
        (VIEW_SET, "USER"),
    }


def test_list_instances_denied_is_a_gap_not_no_instance() -> None:
    stubs = Stubs()
    stubs.sso_stub.add_client_error(
        "list_instances", "AccessDeniedException", "not authorized", http_status_code=400
    )
    data, gaps = stubs.read()
    assert data.status is IdentityCenterStatus.FAILED
    (gap,) = gaps
    assert gap.source == "identity_center"
    assert gap.reason == data.reason
    assert "access denied to sso:ListInstances" in gap.reason


def test_no_instance_is_a_fact() -> None:
    stubs = Stubs()
    stubs.sso_stub.add_response("list_instances", {"Instances": []}, {"MaxResults": 100})
    data, gaps = stubs.read()
    assert (data.status, gaps) == (IdentityCenterStatus.NO_INSTANCE, ())
    assert data.reason == "no IAM Identity Center instance in this account in eu-west-1"


def test_throttled_listing_of_users_is_a_gap() -> None:
    stubs = Stubs()
    _instance(stubs.sso_stub)
    stubs.store_stub.add_client_error(
        "list_users", "ThrottlingException", "Rate exceeded", http_status_code=400
    )
    data, gaps = stubs.read()
    assert data.status is IdentityCenterStatus.FAILED
    assert [g.reason for g in gaps] == [
        "AWS kept throttling identitystore:ListUsers after all retries"
    ]
    assert data.users == ()  # never "no Identity Center users": the status says FAILED


def test_one_set_denied_marks_that_set_only() -> None:
    stubs = Stubs()
    _instance(stubs.sso_stub)
    stubs.store_stub.add_response("list_users", {"Users": []})
    stubs.store_stub.add_response("list_groups", {"Groups": []})
    stubs.sso_stub.add_response("list_permission_sets", {"PermissionSets": [ADMIN_SET]})
    params = {"InstanceArn": INSTANCE, "PermissionSetArn": ADMIN_SET}
    stubs.sso_stub.add_response(
        "describe_permission_set",
        {"PermissionSet": {"Name": "Admin", "PermissionSetArn": ADMIN_SET}},
        params,
    )
    stubs.sso_stub.add_response(
        "list_managed_policies_in_permission_set", {"AttachedManagedPolicies": []}
    )
    stubs.sso_stub.add_client_error(
        "get_inline_policy_for_permission_set", "AccessDeniedException", "no", 400
    )
    stubs.sso_stub.add_response(
        "list_customer_managed_policy_references_in_permission_set",
        {"CustomerManagedPolicyReferences": []},
    )
    stubs.sso_stub.add_client_error(
        "get_permissions_boundary_for_permission_set", "ResourceNotFoundException", "none", 400
    )
    stubs.sso_stub.add_response("list_accounts_for_provisioned_permission_set", {"AccountIds": []})
    data, gaps = stubs.read()
    stubs.done()
    assert data.status is IdentityCenterStatus.COLLECTED
    (admin,) = data.permission_sets
    assert admin.unread == (
        "access denied to sso:GetInlinePolicyForPermissionSet (grant it to collect this data)",
    )
    assert [g.reason for g in gaps] == [f"permission set Admin: {admin.unread[0]}"]


@pytest.mark.parametrize("code", ["ExpiredTokenException", "UnrecognizedClientException"])
def test_credential_errors_stay_fatal(code: str) -> None:
    """A dead session is not an Identity Center gap: every later read would fail too."""
    from auditor.errors import CollectionError

    stubs = Stubs()
    stubs.sso_stub.add_client_error("list_instances", code, "bad", http_status_code=400)
    with pytest.raises(CollectionError):
        stubs.read()
