"""``scan --org`` with Identity Center: read once in the management account, mapped per account.

An organization's Identity Center instance lives in the management (or delegated administrator)
account and its assignments name member accounts, where Identity Center creates each set's
``AWSReservedSSO_`` role (IAM Identity Center User Guide, "Referencing permission sets in
resource policies, Amazon EKS, and AWS KMS"; "Delegated administration"). moto (in process)
does not provision those roles and does not implement ``GetPermissionsBoundaryForPermissionSet``:
the seed creates the roles, the boundary read is answered as AWS answers for a set without one,
and provisioning records the assigned accounts, which moto ignores (``tests.support.moto_ic_shim``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from auditor.config import AccountTarget, AuditorConfig
from auditor.models import PrincipalType
from auditor.org import audit_accounts, write_org_summary
from tests.org.helpers import NOW
from tests.support.call_counter import count_calls
from tests.support.identity_center_seed import (
    ADMIN_ARN,
    READ_ONLY_ARN,
    SetSpec,
    create_reserved_role,
)
from tests.support.moto_ic_shim import install, provision_to_targets
from tests.support.seeding import member_session

ROLE = "OrganizationAccountAccessRole"
SETS = (SetSpec("Admin", managed=(ADMIN_ARN,)), SetSpec("ReadOnly", managed=(READ_ONLY_ARN,)))


@pytest.fixture
def org(moto_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    from moto.ssoadmin.models import SSOAdminBackend
    from moto.ssoadmin.responses import SSOAdminResponse

    monkeypatch.setattr(
        SSOAdminBackend,
        "list_accounts_for_provisioned_permission_set",
        SSOAdminBackend.list_accounts_for_provisioned_permission_set,
    )
    provision_to_targets()

    # Restore moto's own (missing) method after the test; install() adds AWS's answer.
    monkeypatch.setattr(
        SSOAdminResponse,
        "get_permissions_boundary_for_permission_set",
        getattr(SSOAdminResponse, "get_permissions_boundary_for_permission_set", None),
        raising=False,
    )
    install()
    with mock_aws():
        organizations = boto3.client("organizations")
        organizations.create_organization(FeatureSet="ALL")
        ids = {
            name: organizations.create_account(AccountName=name, Email=f"{name}@example.com")[
                "CreateAccountStatus"
            ]["AccountId"]
            for name in ("alpha", "bravo")
        }
        sso, store = boto3.client("sso-admin"), boto3.client("identitystore")
        instance = sso.list_instances()["Instances"][0]
        arn, store_id = instance["InstanceArn"], instance["IdentityStoreId"]
        users = {
            name: store.create_user(
                IdentityStoreId=store_id,
                UserName=name,
                DisplayName=name,
                Name={"GivenName": name, "FamilyName": "Example"},
            )["UserId"]
            for name in ("ana", "ben")
        }
        admins = store.create_group(IdentityStoreId=store_id, DisplayName="Admins")["GroupId"]
        store.create_group_membership(
            IdentityStoreId=store_id, GroupId=admins, MemberId={"UserId": users["ana"]}
        )
        sets = {}
        for spec in SETS:
            ps = sso.create_permission_set(InstanceArn=arn, Name=spec.name)["PermissionSet"]
            sets[spec.name] = ps["PermissionSetArn"]
            sso.attach_managed_policy_to_permission_set(
                InstanceArn=arn,
                PermissionSetArn=ps["PermissionSetArn"],
                ManagedPolicyArn=spec.managed[0],
            )
        # alpha: group Admins → Admin; bravo: ben → ReadOnly.
        for account, set_name, kind, principal in (
            (ids["alpha"], "Admin", "GROUP", admins),
            (ids["bravo"], "ReadOnly", "USER", users["ben"]),
        ):
            sso.create_account_assignment(
                InstanceArn=arn,
                TargetId=account,
                TargetType="AWS_ACCOUNT",
                PermissionSetArn=sets[set_name],
                PrincipalType=kind,
                PrincipalId=principal,
            )
            sso.provision_permission_set(
                InstanceArn=arn,
                PermissionSetArn=sets[set_name],
                TargetType="AWS_ACCOUNT",
                TargetId=account,
            )
            spec = next(s for s in SETS if s.name == set_name)
            create_reserved_role(member_session(account).client("iam"), account, spec)
        yield ids


def test_identity_center_read_once_and_mapped_onto_member_accounts(
    org: dict[str, str], reports_root: Path
) -> None:
    session = boto3.Session(region_name="us-east-1")
    counter = count_calls(session)
    targets = [
        AccountTarget(account_id=account, role_arn=f"arn:aws:iam::{account}:role/{ROLE}")
        for account in org.values()
    ]
    result = audit_accounts(
        session, targets, AuditorConfig(), reports_root=reports_root, max_workers=2, now=NOW
    )
    # Read once, with the caller's credentials; the member sessions never list instances.
    assert counter.calls.count("sso:ListInstances") == 1
    outcomes = {o.account_id: o for o in result.outcomes}
    assert outcomes[org["alpha"]].identity_center_privileged == 1
    assert outcomes[org["bravo"]].identity_center_privileged == 0  # ReadOnly is not privileged
    folder = reports_root / "organization"
    write_org_summary(result, folder, generated_at=NOW)
    with (folder / "accounts.csv").open(encoding="utf-8", newline="") as stream:
        rows = {row["account_id"]: row for row in csv.DictReader(stream)}
    assert rows[org["alpha"]]["identity_center_privileged_users"] == "1"
    assert rows[org["bravo"]]["identity_center_privileged_users"] == "0"
    # alpha's own report names ana, through the group, in alpha (and only alpha's assignments).
    alpha_csv = outcomes[org["alpha"]].report_folder
    assert alpha_csv is not None
    with (alpha_csv / "findings.csv").open(encoding="utf-8", newline="") as stream:
        findings = [
            r for r in csv.DictReader(stream) if r["rule_id"] == "identity_center_mfa_unverified"
        ]
    assert [f["status"] for f in findings] == ["open"]
    assert f"ana: permission_set:Admin (group Admins) in {org['alpha']}" in findings[0]["evidence"]
    assert PrincipalType.IDENTITY_CENTER_USER.value == "identity_center_user"
