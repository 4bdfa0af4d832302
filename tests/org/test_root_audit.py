"""``--audit-member-roots``: ``sts:AssumeRoot`` with ``IAMAuditRootUserCredentials`` (Stubber).

moto implements neither ``AssumeRoot`` nor root sessions, so the answers below are played back by
botocore's Stubber, shaped as the STS API reference's AssumeRoot example
(https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html: ``Credentials`` with
``AccessKeyId``/``SecretAccessKey``/``SessionToken``/``Expiration``, ``SourceIdentity``) and the
IAM reference's ListAccessKeys / ListSigningCertificates / ListMFADevices / GetLoginProfile
answers. The task policy and the regional-endpoint requirement follow the IAM User Guide,
"Perform a privileged task on an AWS Organizations member account".
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from auditor.collector.guard import install_read_only_guard
from auditor.errors import AccessDeniedError, ReadOnlyViolation
from auditor.mfa_devices import MfaDeviceKind
from auditor.org.root_audit import (
    AUDIT_TASK_POLICY,
    ROOT_SESSION_ALLOWED,
    ROOT_STS_ALLOWED,
    audit_member_root,
    root_sts_client,
)
from auditor.org.sessions import sts_client

MEMBER = "111111111111"
WHEN = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
ASSUME_ROOT_ANSWER = {
    "Credentials": {
        "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
        "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
        "SessionToken": "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW",
        "Expiration": WHEN,
    },
    "SourceIdentity": "Alice",
}


def _client(service: str, allowed: frozenset[str]) -> tuple[Any, Stubber]:
    client = boto3.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x", region_name="us-east-1"
    ).client(service)
    install_read_only_guard(client, allowed)
    return client, Stubber(client)


def _root_iam(
    *, login_profile: bool, keys: list[str], devices: list[str]
) -> tuple[Any, Stubber, list[boto3.Session]]:
    iam, stub = _client("iam", ROOT_SESSION_ALLOWED)
    if login_profile:
        stub.add_response(
            "get_login_profile",
            {"LoginProfile": {"UserName": "root", "CreateDate": WHEN}},
            expected_params={},
        )
    else:
        stub.add_client_error("get_login_profile", "NoSuchEntity", http_status_code=404)
    stub.add_response(
        "list_access_keys",
        {
            "AccessKeyMetadata": [
                {"AccessKeyId": f"AKIA{index:016d}", "Status": status, "CreateDate": WHEN}
                for index, status in enumerate(keys)
            ]
        },
        expected_params={},
    )
    stub.add_response("list_signing_certificates", {"Certificates": []}, expected_params={})
    stub.add_response(
        "list_mfa_devices",
        {
            "MFADevices": [
                {"UserName": "root", "SerialNumber": serial, "EnableDate": WHEN}
                for serial in devices
            ],
            "IsTruncated": False,
        },
        expected_params={"MaxItems": 1000},  # no UserName: the caller, i.e. root
    )
    stub.activate()
    opened: list[boto3.Session] = []

    def open_iam(session: boto3.Session) -> Any:
        opened.append(session)
        return iam

    return open_iam, stub, opened


def test_assume_root_with_the_audit_task_policy_reads_root_credentials() -> None:
    sts, sts_stub = _client("sts", ROOT_STS_ALLOWED)
    sts_stub.add_response(
        "assume_root",
        ASSUME_ROOT_ANSWER,
        expected_params={
            "TargetPrincipal": MEMBER,
            "TaskPolicyArn": {"arn": AUDIT_TASK_POLICY},
            "DurationSeconds": 900,
        },
    )
    sts_stub.activate()
    fido = f"arn:aws:iam::{MEMBER}:u2f/root/root-key-ABCDEFGHIJ"
    open_iam, iam_stub, opened = _root_iam(
        login_profile=True, keys=["Active", "Inactive"], devices=[fido, "GAHT12345678"]
    )
    root = audit_member_root(
        sts, MEMBER, endpoint_url=None, region_name="us-east-1", max_attempts=1, open_iam=open_iam
    )
    sts_stub.assert_no_pending_responses()
    iam_stub.assert_no_pending_responses()
    assert root.password is True
    assert root.access_keys == 1  # the inactive key does not count
    assert root.kinds == (MfaDeviceKind.FIDO, MfaDeviceKind.HARDWARE)
    credentials = opened[0].get_credentials()
    assert credentials is not None
    assert credentials.access_key == "ASIAIOSFODNN7EXAMPLE"  # the root session's, not ours


def test_a_cleaned_up_root_holds_nothing() -> None:
    sts, sts_stub = _client("sts", ROOT_STS_ALLOWED)
    sts_stub.add_response("assume_root", ASSUME_ROOT_ANSWER)
    sts_stub.activate()
    open_iam, _, _ = _root_iam(login_profile=False, keys=[], devices=[])
    root = audit_member_root(
        sts, MEMBER, endpoint_url=None, region_name="us-east-1", max_attempts=1, open_iam=open_iam
    )
    assert (root.password, root.access_keys, root.devices) == (False, 0, ())


def test_refused_assume_root_names_the_call_and_the_fix() -> None:
    sts, sts_stub = _client("sts", ROOT_STS_ALLOWED)
    sts_stub.add_client_error("assume_root", "AccessDenied", http_status_code=403)
    sts_stub.activate()
    with pytest.raises(AccessDeniedError) as caught:
        audit_member_root(sts, MEMBER, endpoint_url=None, region_name="us-east-1", max_attempts=1)
    assert f"sts:AssumeRoot in {MEMBER}" in caught.value.message
    assert AUDIT_TASK_POLICY in str(caught.value.hint)


def test_assume_root_is_allowed_only_on_the_root_audit_client_and_only_reads_inside() -> None:
    session = boto3.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x", region_name="eu-west-1"
    )
    plain = sts_client(session, endpoint_url=None, max_attempts=1)
    with pytest.raises(ReadOnlyViolation):
        plain.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT_TASK_POLICY})
    root_sts = root_sts_client(session, endpoint_url=None, max_attempts=1)
    assert root_sts.client.meta.endpoint_url == "https://sts.eu-west-1.amazonaws.com"  # regional
    iam, _ = _client("iam", ROOT_SESSION_ALLOWED)
    with pytest.raises(ReadOnlyViolation):
        iam.delete_login_profile()


def test_legacy_global_sts_setting_still_gets_a_regional_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    session = boto3.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x", region_name="us-east-1"
    )
    root_sts = root_sts_client(session, endpoint_url=None, max_attempts=1)
    assert root_sts.client.meta.endpoint_url == "https://sts.us-east-1.amazonaws.com"


def test_member_accounts_get_the_management_answer_and_a_root_column() -> None:
    """The management account's ListOrganizationsFeatures applies to members (they cannot ask);
    the root column comes from the credential report already read."""
    import dataclasses
    from types import SimpleNamespace

    from auditor.mfa_devices import OrganizationFeatures, RootManagement
    from auditor.org.account import _member_root
    from auditor.org.root_audit import root_credentials_text
    from tests.analyzer.conftest import root_row, snapshot

    enabled = OrganizationFeatures(
        RootManagement.MANAGEMENT_ACCOUNT, "o-aa111bb222", ("RootCredentialsManagement",)
    )
    job = SimpleNamespace(organization_features=enabled, root_sts=None)
    member = snapshot(summary={"AccountPasswordPresent": 0, "AccountAccessKeysPresent": 0,
                               "AccountMFAEnabled": 0}, root=root_row(mfa=False))  # fmt: skip
    audited = _member_root(job, member, MEMBER)  # type: ignore[arg-type]
    assert audited.organization_features is not None
    assert audited.organization_features.management is RootManagement.CENTRAL
    assert root_credentials_text(audited) == "none"
    leftover = dataclasses.replace(member, account_summary={"AccountPasswordPresent": 1})
    assert root_credentials_text(leftover) == "password"
    assert root_credentials_text(dataclasses.replace(member, credential_report=None)).startswith(
        "unknown"
    )
