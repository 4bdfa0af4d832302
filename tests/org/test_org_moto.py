"""An organization audited end to end on moto: Organizations, STS role assumption, IAM per account.

Three member accounts with different gaps must each report their gap under their own account id;
a fourth whose audit role was deleted must be listed as failed while the others complete, making
the run incomplete (exit code 4, README "Exit codes").
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from moto import mock_aws

from auditor.config import AuditorConfig, OrganizationSettings
from auditor.models import Severity
from auditor.org import (
    AccountStatus,
    OrgRunResult,
    audit_accounts,
    discover_accounts,
    write_org_summary,
)
from tests.org.helpers import NOW
from tests.support.seeding import member_session

ROLE = "OrganizationAccountAccessRole"
MANAGEMENT = "123456789012"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


@dataclass(frozen=True)
class Org:
    ids: dict[str, str]
    session: boto3.Session


def seed_alpha(iam: Any) -> None:
    """alice: console password, no MFA device, admin through group Admins."""
    iam.create_group(GroupName="Admins")
    iam.attach_group_policy(GroupName="Admins", PolicyArn=ADMIN_ARN)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Seeded-Passw0rd!")
    iam.add_user_to_group(GroupName="Admins", UserName="alice")


def seed_bravo(iam: Any) -> None:
    """bob: access key and MFA device, iam:* allowed under BoolIfExists MultiFactorAuthPresent
    true. IAM User Guide, "AWS global condition context keys" (aws:MultiFactorAuthPresent): long-
    term keys carry no such key, so the IfExists condition holds and the keys bypass MFA."""
    iam.create_user(UserName="bob")
    iam.create_access_key(UserName="bob")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob")["VirtualMFADevice"][
        "SerialNumber"
    ]
    iam.enable_mfa_device(
        UserName="bob",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iam:*",
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}},
            }
        ],
    }
    iam.put_user_policy(UserName="bob", PolicyName="iam-admin", PolicyDocument=json.dumps(policy))


def seed_charlie(iam: Any) -> None:
    """carol: console user without MFA, nothing privileged; plus an unassigned MFA device."""
    iam.create_user(UserName="carol")
    iam.create_login_profile(UserName="carol", Password="Seeded-Passw0rd!")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="spare")


def refuse_missing_roles(
    params: dict[str, Any], **_: Any
) -> tuple[AWSResponse, dict[str, Any]] | None:
    """AWS refuses sts:AssumeRole on a role that does not exist; moto hands out credentials for
    any ARN ("the role does not need to exist"), so this hook answers as AWS does."""
    from moto.iam.models import iam_backends

    arn = str(params["body"]["RoleArn"])  # the serialised query-protocol request
    account, name = arn.split(":")[4], arn.rsplit("/", 1)[-1]
    if any(role.name == name for role in iam_backends[account]["global"].roles.values()):
        return None
    message = f"User: arn:aws:iam::{MANAGEMENT}:user/moto is not authorized to perform: " \
        f"sts:AssumeRole on resource: {arn}"  # fmt: skip
    response = AWSResponse("https://sts.amazonaws.com/", 403, HTTPHeaders(), None)
    return response, {"Error": {"Code": "AccessDenied", "Message": message},
                      "ResponseMetadata": {"HTTPStatusCode": 403}}  # fmt: skip


@pytest.fixture
def org(moto_env: None) -> Iterator[Org]:
    with mock_aws():
        client = boto3.client("organizations")
        client.create_organization(FeatureSet="ALL")
        ids: dict[str, str] = {}
        for name in ("alpha", "bravo", "charlie", "norole"):
            status = client.create_account(AccountName=name, Email=f"{name}@example.com")
            ids[name] = status["CreateAccountStatus"]["AccountId"]
        seed_alpha(member_session(ids["alpha"]).client("iam"))
        seed_bravo(member_session(ids["bravo"]).client("iam"))
        seed_charlie(member_session(ids["charlie"]).client("iam"))
        member_session(ids["norole"]).client("iam").delete_role(RoleName=ROLE)
        session = boto3.Session(region_name="us-east-1")
        session.events.register(
            "before-call.sts.AssumeRole",
            refuse_missing_roles,  # type: ignore[arg-type]  # botocore stubs: may answer
        )
        yield Org(ids, session)


def findings_by_account(result: OrgRunResult) -> dict[str, set[tuple[str, str]]]:
    """(rule id, principal name) of every open finding, read from each account's findings.csv."""
    found: dict[str, set[tuple[str, str]]] = {}
    for outcome in result.audited:
        assert outcome.findings_csv is not None
        with outcome.findings_csv.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.DictReader(stream))
        assert {row["account_id"] for row in rows} <= {outcome.account_id}
        found[outcome.account_id] = {
            (row["rule_id"], row["principal_name"]) for row in rows if row["status"] == "open"
        }
    return found


def test_each_gap_is_reported_under_its_account_and_a_missing_role_fails_alone(
    org: Org, reports_root: Path
) -> None:
    config = AuditorConfig(organization=OrganizationSettings(max_workers=3))
    targets = discover_accounts(org.session, config.organization)
    lines: list[str] = []
    result = audit_accounts(
        org.session,
        targets,
        config,
        reports_root=reports_root,
        max_workers=3,
        now=NOW,
        progress=lines.append,
    )
    ids = org.ids
    status = {o.account_id: o for o in result.outcomes}
    assert set(status) == {MANAGEMENT, *ids.values()}
    failed = status[ids["norole"]]
    assert failed.status is AccountStatus.FAILED
    assert f"sts:AssumeRole on arn:aws:iam::{ids['norole']}:role/{ROLE}: AccessDenied" in (
        failed.reason
    )
    for name in ("alpha", "bravo", "charlie"):
        assert status[ids[name]].status is AccountStatus.OK, status[ids[name]].reason
        assert status[ids[name]].via == f"arn:aws:iam::{ids[name]}:role/{ROLE}"
    assert status[MANAGEMENT].via == "caller credentials"
    assert result.complete is False
    assert result.exit_code(Severity.HIGH) == 4

    found = findings_by_account(result)
    assert ("privileged_member_no_mfa", "alice") in found[ids["alpha"]]
    assert ("mfa_condition_bypassable", "bob") in found[ids["bravo"]]
    assert ("console_user_no_mfa", "carol") in found[ids["charlie"]]
    assert ("unassigned_mfa_device", "spare") in {
        (rule, name.rsplit("/", 1)[-1]) for rule, name in found[ids["charlie"]]
    }
    everyone = {"alice", "bob", "carol"}
    for name, mine in (("alpha", "alice"), ("bravo", "bob"), ("charlie", "carol")):
        principals = {principal for _, principal in found[ids[name]]}
        assert not (principals & (everyone - {mine})), f"{name} reports another account's user"
    assert status[ids["alpha"]].open_by_severity[Severity.HIGH] >= 1
    assert any(line.startswith("[") and "collecting" in line for line in lines)

    folder = reports_root / "organization"
    paths = write_org_summary(result, folder, generated_at=NOW)
    html = paths[0].read_text(encoding="utf-8")
    assert ids["norole"] in html.split('id="failed"')[1]
    with paths[2].open(encoding="utf-8-sig", newline="") as stream:
        all_rows = list(csv.DictReader(stream))
    assert {row["account_id"] for row in all_rows} >= {ids["alpha"], ids["bravo"], ids["charlie"]}
    assert {(r["account_id"], r["principal_name"]) for r in all_rows} >= {
        (ids["alpha"], "alice"),
        (ids["bravo"], "bob"),
        (ids["charlie"], "carol"),
    }
