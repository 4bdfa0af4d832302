"""``collect_snapshot`` against moto's in-process IAM: the whole path, realistic data.

moto differs from AWS (issue 2 §6): it returns every AWS-managed policy, omits ``PolicyName`` on
them, never paginates, and its credential report has no ``<root_account>`` row. These tests pin
how the collector copes with each; the real-AWS shapes are in ``test_collect_stubbed.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import boto3

from auditor.collector import collect_snapshot
from auditor.config import CollectorSettings
from auditor.models import CollectionSource, Unavailable
from auditor.snapshot_io import load_snapshot, save_snapshot
from tests.support.call_counter import count_calls
from tests.support.fakes import FakeClock

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
REQUIRE_MFA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllExceptListedIfNoMFA",
            "Effect": "Deny",
            "NotAction": ["iam:ListMFADevices", "sts:GetSessionToken"],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        }
    ],
}


def _seed(session: boto3.Session) -> None:
    iam = session.client("iam")
    iam.create_account_alias(AccountAlias="acme-dev")
    iam.update_account_password_policy(MinimumPasswordLength=14)
    iam.create_group(GroupName="Admins")
    iam.attach_group_policy(GroupName="Admins", PolicyArn=ADMIN)
    policy = iam.create_policy(PolicyName="RequireMfa", PolicyDocument=json.dumps(REQUIRE_MFA))
    iam.attach_group_policy(GroupName="Admins", PolicyArn=policy["Policy"]["Arn"])
    for name in ("ada", "bea", "cy"):
        iam.create_user(UserName=name, Tags=[{"Key": "owner", "Value": name}])
        iam.add_user_to_group(GroupName="Admins", UserName=name)
    iam.create_login_profile(UserName="ada", Password="Sup3r-secret-pw!")
    iam.create_access_key(UserName="cy")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="ada")["VirtualMFADevice"][
        "SerialNumber"
    ]
    iam.enable_mfa_device(
        UserName="ada",
        SerialNumber=serial,
        AuthenticationCode1="111111",
        AuthenticationCode2="222222",
    )
    iam.create_virtual_mfa_device(VirtualMFADeviceName="unassigned")
    iam.create_role(
        RoleName="breakglass",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                    }
                ],
            }
        ),
    )
    iam.attach_role_policy(RoleName="breakglass", PolicyArn=ADMIN)


def test_collects_a_small_account(moto_session: boto3.Session, clock: FakeClock) -> None:
    _seed(moto_session)
    counter = count_calls(moto_session)
    settings = CollectorSettings(poll_initial_delay_seconds=0.01)
    snapshot = collect_snapshot(moto_session, settings, clock=clock, sleep=clock.sleep)

    assert snapshot.account_id == "123456789012"
    assert snapshot.account_alias == "acme-dev"
    assert snapshot.password_policy is not None
    assert snapshot.password_policy["MinimumPasswordLength"] == 14
    assert {u.name for u in snapshot.users} == {"ada", "bea", "cy"}
    assert all(u.groups == ("Admins",) for u in snapshot.users)
    assert {u.name: dict(u.tags) for u in snapshot.users}["bea"] == {"owner": "bea"}
    # moto returns ~1,000 AWS-managed policies; only the attached ones are kept.
    assert {p.name for p in snapshot.policies} == {"AdministratorAccess", "RequireMfa"}
    admin = snapshot.policy(ADMIN)
    assert admin is not None
    assert admin.is_aws_managed
    assert admin.document is not None
    assert admin.document["Statement"][0]["Action"] == "*"
    require = next(p for p in snapshot.policies if p.name == "RequireMfa")
    assert require.document == REQUIRE_MFA
    assert snapshot.roles[0].trust_policy["Statement"][0]["Condition"] == {
        "Bool": {"aws:MultiFactorAuthPresent": "true"}
    }
    devices = {d.serial_number.rsplit("/", 1)[-1]: d for d in snapshot.virtual_mfa_devices}
    assert devices["ada"].user_arn == "arn:aws:iam::123456789012:user/ada"
    assert devices["unassigned"].user_arn is None

    report = snapshot.credential_report
    assert report is not None
    ada, cy = report.for_user("ada"), report.for_user("cy")
    assert ada is not None
    assert cy is not None
    assert ada.password_enabled is True
    assert ada.mfa_active is True
    assert cy.password_enabled is False
    assert cy.access_key_1.active is True
    assert cy.access_key_1.last_used_date is Unavailable.NOT_APPLICABLE
    # moto's report has no root row: recorded as a gap; moto does not implement
    # iam:ListOrganizationsFeatures either (a context-only gap); nothing else is missing.
    assert sorted(g.source for g in snapshot.gaps) == [
        CollectionSource.ORGANIZATION_FEATURES.value,
        CollectionSource.ROOT_CREDENTIALS.value,
    ]

    # Constant calls, plus ListMFADevices for ada alone: a console user in a group holding a
    # virtual device (a FIDO key could sit beside it); bea and cy have no MFA at all.
    per_operation = counter.by_operation()
    assert per_operation["iam:GetAccountAuthorizationDetails"] == 1
    assert per_operation["iam:GenerateCredentialReport"] == 2  # STARTED, then COMPLETE
    assert per_operation["iam:ListMFADevices"] == 1
    assert per_operation["iam:ListOrganizationsFeatures"] == 1  # moto fails it: a context gap
    iam_and_sts = [call for call in counter.calls if call.split(":")[0] in ("iam", "sts")]
    assert len(iam_and_sts) == 11
    # moto has an Identity Center instance with nothing in it: one page of each listing.
    assert sorted(set(counter.calls) - set(iam_and_sts)) == [
        "identitystore:ListGroups",
        "identitystore:ListUsers",
        "sso:ListInstances",
        "sso:ListPermissionSets",
    ]
    assert counter.total == 15
    assert clock.sleeps == []


def test_snapshot_survives_the_json_round_trip(
    moto_session: boto3.Session, clock: FakeClock, tmp_path: Path
) -> None:
    """The snapshot file is the contract with the analyzer: what is saved loads back equal."""
    _seed(moto_session)
    snapshot = collect_snapshot(moto_session, CollectorSettings(), clock=clock, sleep=clock.sleep)
    path = tmp_path / "snapshot.json"
    save_snapshot(snapshot, path)
    assert load_snapshot(path) == snapshot


def test_empty_account_without_password_policy(
    moto_session: boto3.Session, clock: FakeClock
) -> None:
    snapshot = collect_snapshot(moto_session, CollectorSettings(), clock=clock, sleep=clock.sleep)
    assert snapshot.users == ()
    assert snapshot.policies == ()
    assert snapshot.password_policy is None
    assert snapshot.gap_for(CollectionSource.PASSWORD_POLICY) is None  # absent is a fact
    assert snapshot.account_alias is None
    assert snapshot.gap_for(CollectionSource.ACCOUNT_ALIASES) is None
