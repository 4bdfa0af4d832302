"""Seeding into moto's mock creates exactly what the data file declares, checked with list calls."""

from __future__ import annotations

import csv
import io
from typing import Any

from auditor.demo import DemoAccount


def names(pages: Any, key: str, field: str) -> set[str]:
    return {item[field] for page in pages for item in page[key]}


def test_exactly_the_declared_principals_exist(seeded_iam: Any, demo_data: DemoAccount) -> None:
    users = names(seeded_iam.get_paginator("list_users").paginate(), "Users", "UserName")
    groups = names(seeded_iam.get_paginator("list_groups").paginate(), "Groups", "GroupName")
    roles = names(seeded_iam.get_paginator("list_roles").paginate(), "Roles", "RoleName")
    local = seeded_iam.get_paginator("list_policies").paginate(Scope="Local")
    assert users == {u.name for u in demo_data.users}
    assert groups == {g.name for g in demo_data.groups}
    assert roles == {r.name for r in demo_data.roles}
    assert names(local, "Policies", "PolicyName") == {p.name for p in demo_data.policies}


def test_virtual_devices_are_assigned_as_declared(seeded_iam: Any, demo_data: DemoAccount) -> None:
    devices = seeded_iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assigned = {d["SerialNumber"]: d["User"]["UserName"] for d in devices if "User" in d}
    unassigned = {d["SerialNumber"] for d in devices if "User" not in d}
    assert assigned == {
        demo_data.mfa_serial(u.name): u.name for u in demo_data.users if u.virtual_mfa
    }
    assert unassigned == {demo_data.mfa_serial(d) for d in demo_data.unassigned_mfa_devices}
    # IAM cannot give root a device; apply_demo_root supplies it after collection.
    assert demo_data.root.mfa_serial not in assigned.keys() | unassigned


def test_each_user_has_the_declared_credentials_groups_and_policies(
    seeded_iam: Any, demo_data: DemoAccount
) -> None:
    for user in demo_data.users:
        groups = seeded_iam.list_groups_for_user(UserName=user.name)["Groups"]
        assert {g["GroupName"] for g in groups} == set(user.groups), user.name
        keys = seeded_iam.list_access_keys(UserName=user.name)["AccessKeyMetadata"]
        assert sorted(k["Status"] == "Active" for k in keys) == sorted(user.access_keys)
        attached = seeded_iam.list_attached_user_policies(UserName=user.name)["AttachedPolicies"]
        assert [p["PolicyArn"] for p in attached] == [
            demo_data.policy_arn(a) for a in user.attached
        ]
        inline = seeded_iam.list_user_policies(UserName=user.name)["PolicyNames"]
        assert set(inline) == {p.name for p in user.inline}
        tags = seeded_iam.list_user_tags(UserName=user.name)["Tags"]
        assert {t["Key"]: t["Value"] for t in tags} == dict(user.tags)
        arn = seeded_iam.get_user(UserName=user.name)["User"]["Arn"]
        assert arn == f"arn:aws:iam::{demo_data.account_id}:user{user.path}{user.name}"


def test_credential_report_shows_passwords_and_mfa(seeded_iam: Any, demo_data: DemoAccount) -> None:
    seeded_iam.generate_credential_report()
    content = seeded_iam.get_credential_report()["Content"].decode()
    rows = {row["user"]: row for row in csv.DictReader(io.StringIO(content))}
    assert set(rows) == {u.name for u in demo_data.users}  # moto has no <root_account> row
    for user in demo_data.users:
        assert rows[user.name]["password_enabled"] == str(user.console).lower(), user.name
        assert rows[user.name]["mfa_active"] == str(user.has_mfa).lower(), user.name


def test_groups_and_roles_have_their_policies(seeded_iam: Any, demo_data: DemoAccount) -> None:
    for group in demo_data.groups:
        attached = seeded_iam.list_attached_group_policies(GroupName=group.name)
        arns = [p["PolicyArn"] for p in attached["AttachedPolicies"]]
        assert arns == [demo_data.policy_arn(a) for a in group.attached]
    for role in demo_data.roles:
        found = seeded_iam.get_role(RoleName=role.name)["Role"]
        assert found["AssumeRolePolicyDocument"] == role.trust
        assert found["Path"] == role.path
        inline = seeded_iam.list_role_policies(RoleName=role.name)["PolicyNames"]
        assert set(inline) == {p.name for p in role.inline}


def test_account_settings(seeded_iam: Any, demo_data: DemoAccount) -> None:
    assert seeded_iam.list_account_aliases()["AccountAliases"] == [demo_data.alias]
    policy = seeded_iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == demo_data.password_policy["MinimumPasswordLength"]  # type: ignore[index]
