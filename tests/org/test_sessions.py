"""The runner's own AWS clients are the collector's: same timeouts, same one-line failures.

An unreachable endpoint must fail an account with one line naming the call (not a botocore
traceback, not minutes of retries), and AWS's error answers keep the collector's wording for
credential problems. No network: the endpoint is a local port nothing listens on.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from auditor.collector.session import CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS
from auditor.collector.transport import EndpointError
from auditor.config import AccountTarget, AuditorConfig, OrganizationSettings
from auditor.errors import AccessDeniedError, CollectionError, ReadOnlyViolation, UsageError
from auditor.org import AccountStatus, audit_accounts, discover_accounts
from auditor.org.sessions import organizations_client, sts_client, translate
from tests.org.helpers import NOW


@pytest.fixture
def dead_endpoint() -> str:
    """A loopback port that was free a moment ago: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_org_clients_have_the_collectors_timeouts_and_the_runners_guard(
    offline_session: boto3.Session,
) -> None:
    sts = sts_client(offline_session, endpoint_url=None, max_attempts=3)
    config = sts.meta.config
    assert (config.connect_timeout, config.read_timeout) == (
        CONNECT_TIMEOUT_SECONDS,
        READ_TIMEOUT_SECONDS,
    )
    assert config.retries["mode"] == "adaptive"
    assert config.retries["total_max_attempts"] == 3 + 1  # botocore counts the first call too
    orgs = organizations_client(offline_session, endpoint_url=None, max_attempts=3)
    with pytest.raises(ReadOnlyViolation, match="organizations:CreateAccount"):
        orgs.create_account(AccountName="x", Email="x@example.com")


def test_discovery_against_a_dead_endpoint_fails_fast_in_one_line(
    offline_session: boto3.Session, dead_endpoint: str
) -> None:
    started = time.monotonic()
    with pytest.raises(EndpointError) as raised:
        discover_accounts(offline_session, OrganizationSettings(), endpoint_url=dead_endpoint)
    assert time.monotonic() - started < 15
    message = str(raised.value)
    assert message.startswith(
        f"sts:GetCallerIdentity: cannot connect to the AWS endpoint {dead_endpoint}"
    )
    assert "\n" not in message


def test_an_unreachable_account_fails_alone_with_the_call_named(
    offline_session: boto3.Session, dead_endpoint: str, reports_root: Path
) -> None:
    target = AccountTarget(account_id="111111111111", role_arn="arn:aws:iam::111111111111:role/A")
    result = audit_accounts(
        offline_session,
        [target],
        AuditorConfig(),
        reports_root=reports_root,
        max_workers=1,
        now=NOW,
        endpoint_url=dead_endpoint,
    )
    outcome = result.outcomes[0]
    assert outcome.status is AccountStatus.FAILED
    assert outcome.reason.startswith("sts:AssumeRole: cannot connect to the AWS endpoint")
    assert "internal error" not in outcome.reason


def test_an_unknown_profile_fails_its_account_as_the_collector_words_it(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    result = audit_accounts(
        offline_session,
        [AccountTarget(profile="ghost", name="ghost")],
        AuditorConfig(),
        reports_root=reports_root,
        max_workers=1,
        now=NOW,
    )
    outcome = result.outcomes[0]
    assert outcome.status is AccountStatus.FAILED
    assert outcome.reason.startswith("AWS profile 'ghost' not found")


def client_error(code: str, message: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "AssumeRole")


def test_translate_keeps_aws_message_and_the_callers_hint() -> None:
    denied = translate(
        client_error("AccessDenied", "User: x is not authorized\nto perform: sts:AssumeRole"),
        "sts:AssumeRole on arn:aws:iam::1:role/A",
        hint="check the trust policy",
    )
    assert isinstance(denied, AccessDeniedError)
    assert denied.message == (
        "sts:AssumeRole on arn:aws:iam::1:role/A: AccessDenied: "
        "User: x is not authorized to perform: sts:AssumeRole"
    )
    assert denied.hint == "check the trust policy"
    other = translate(client_error("RegionDisabledException", ""), "sts:AssumeRole")
    assert type(other) is CollectionError
    assert other.message == "sts:AssumeRole: RegionDisabledException"


def test_translate_uses_the_collectors_wording_for_expired_credentials() -> None:
    expired = translate(client_error("ExpiredToken", "The security token expired"), "sts:X")
    assert type(expired) is CollectionError
    assert expired.message == "sts:X: the AWS session token has expired"
    assert expired.hint is not None
    assert "aws sso login" in expired.hint
    assert not isinstance(expired, UsageError)
