"""Seed IAM Identity Center into moto the way AWS would have it, for tests and the benchmark.

moto 5.2.5 implements users, groups, memberships, permission sets with managed, inline and
customer-managed policies, assignments and ``ProvisionPermissionSet``, but
``CreateAccountAssignment`` provisions nothing: in AWS, assigning a set to an account creates
the role ``AWSReservedSSO_<set>_<unique suffix>`` under ``/aws-reserved/sso.amazonaws.com/``
(plus a region segment outside us-east-1) carrying the set's policies (IAM Identity Center User
Guide, "Referencing permission sets in resource policies, Amazon EKS, and AWS KMS"; "Permission
sets"). So the seed provisions each set and creates those roles itself. moto refuses managed
policies under a path (``job-function/ViewOnlyAccess``) and cannot set a permissions boundary;
those are covered by the Stubber tests. These clients are unguarded on purpose: seeding writes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import boto3

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
PASS_ROLE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}],
}
READ_BUCKETS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}],
}
RESET_PASSWORDS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:UpdateLoginProfile", "Resource": "*"}],
}


@dataclass(frozen=True)
class SetSpec:
    name: str
    managed: tuple[str, ...] = ()
    inline: dict[str, Any] | None = None
    customer: tuple[str, ...] = ()


SETS = (
    SetSpec("AdministratorAccess", managed=(ADMIN_ARN,)),
    SetSpec("ReadOnly", managed=(READ_ONLY_ARN,)),
    SetSpec("Deploy", inline=PASS_ROLE),
    SetSpec("Support", customer=("SupportTools",)),
    SetSpec("Viewer", inline=READ_BUCKETS),
)
USERS = ("alice", "bob", "carol", "dave", "erin")
GROUPS = {"Admins": ("alice",), "Ops": ("carol", "erin")}
ASSIGNMENTS = (
    ("GROUP", "Admins", "AdministratorAccess"),
    ("USER", "bob", "ReadOnly"),
    ("GROUP", "Ops", "Deploy"),
    ("GROUP", "Ops", "Viewer"),
    ("USER", "carol", "Support"),
)
"""alice: admin via group Admins; bob: read-only only; carol: Deploy via Ops and Support
directly; erin: Deploy via Ops; dave: nothing assigned."""


def suffix(name: str) -> str:
    """A stable 16-hex-digit stand-in for the unique suffix AWS picks."""
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def seed_identity_center(session: boto3.Session, endpoint_url: str | None = None) -> str:
    """Seed ``SETS``/``USERS``/``GROUPS``/``ASSIGNMENTS`` into the session's account; returns
    the account id."""
    sso = session.client("sso-admin", endpoint_url=endpoint_url)
    store = session.client("identitystore", endpoint_url=endpoint_url)
    iam = session.client("iam", endpoint_url=endpoint_url)
    account = session.client("sts", endpoint_url=endpoint_url).get_caller_identity()["Account"]
    instance = sso.list_instances()["Instances"][0]
    arn, store_id = instance["InstanceArn"], instance["IdentityStoreId"]
    ids = {}
    for name in USERS:
        created = store.create_user(
            IdentityStoreId=store_id,
            UserName=name,
            DisplayName=name.title(),
            Name={"GivenName": name.title(), "FamilyName": "Example"},
        )
        ids[name] = created["UserId"]
    for group, members in GROUPS.items():
        group_id = store.create_group(IdentityStoreId=store_id, DisplayName=group)["GroupId"]
        ids[group] = group_id
        for member in members:
            store.create_group_membership(
                IdentityStoreId=store_id, GroupId=group_id, MemberId={"UserId": ids[member]}
            )
    iam.create_policy(PolicyName="SupportTools", PolicyDocument=json.dumps(RESET_PASSWORDS))
    set_arns = {spec.name: _create_set(sso, iam, arn, account, spec) for spec in SETS}
    for principal_type, principal, set_name in ASSIGNMENTS:
        sso.create_account_assignment(
            InstanceArn=arn,
            TargetId=account,
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=set_arns[set_name],
            PrincipalType=principal_type,
            PrincipalId=ids[principal],
        )
    return str(account)


def _create_set(sso: Any, iam: Any, instance: str, account: str, spec: SetSpec) -> str:
    ps = sso.create_permission_set(InstanceArn=instance, Name=spec.name)["PermissionSet"]
    ps_arn = ps["PermissionSetArn"]
    for policy in spec.managed:
        sso.attach_managed_policy_to_permission_set(
            InstanceArn=instance, PermissionSetArn=ps_arn, ManagedPolicyArn=policy
        )
    if spec.inline is not None:
        sso.put_inline_policy_to_permission_set(
            InstanceArn=instance, PermissionSetArn=ps_arn, InlinePolicy=json.dumps(spec.inline)
        )
    for name in spec.customer:
        sso.attach_customer_managed_policy_reference_to_permission_set(
            InstanceArn=instance,
            PermissionSetArn=ps_arn,
            CustomerManagedPolicyReference={"Name": name, "Path": "/"},
        )
    sso.provision_permission_set(
        InstanceArn=instance, PermissionSetArn=ps_arn, TargetType="AWS_ACCOUNT", TargetId=account
    )
    create_reserved_role(iam, account, spec)
    return str(ps_arn)


def create_reserved_role(iam: Any, account: str, spec: SetSpec) -> str:
    """The role Identity Center creates for ``spec`` in ``account``, as AWS shapes it: trusted
    by the instance's SAML provider for ``sts:AssumeRoleWithSAML``, holding the set's policies."""
    name = f"AWSReservedSSO_{spec.name}_{suffix(spec.name)}"
    provider = f"arn:aws:iam::{account}:saml-provider/AWSSSO_{suffix(account)}_DO_NOT_DELETE"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider},
                "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
            }
        ],
    }
    iam.create_role(
        RoleName=name,
        Path="/aws-reserved/sso.amazonaws.com/",
        AssumeRolePolicyDocument=json.dumps(trust),
    )
    for policy in spec.managed:
        iam.attach_role_policy(RoleName=name, PolicyArn=policy)
    if spec.inline is not None:
        iam.put_role_policy(
            RoleName=name, PolicyName="AwsSSOInlinePolicy", PolicyDocument=json.dumps(spec.inline)
        )
    for policy in spec.customer:
        iam.attach_role_policy(RoleName=name, PolicyArn=f"arn:aws:iam::{account}:policy/{policy}")
    return name
