"""Endpoints that are not AWS, or do not answer: one line naming the operation and the endpoint,
never the response body, and a failure within a bounded time.

QA found a captive portal's HTML turning into a multi-line "internal error ... this is a bug"
(botocore's ``ResponseParserError`` is not a ``BotoCoreError``), and a port that accepted the
connection and never answered taking 11 min 21 s to fail (60 s read timeout × 10 attempts).
"""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore import exceptions as bex

from auditor.collector import collect_snapshot
from auditor.collector import session as session_module
from auditor.collector.account import AccountReader
from auditor.collector.session import TRANSPORT_MAX_ATTEMPTS, make_client
from auditor.collector.transport import EndpointError, redact
from auditor.config import CollectorSettings
from auditor.errors import CollectionError, ReadOnlyViolation
from auditor.models import CollectionSource
from tests.support.fake_endpoints import html_portal, silent_listener

SETTINGS = CollectorSettings(poll_timeout_seconds=1, max_attempts=10)
"""A generous ``max_attempts``: the cap on unanswered attempts must hold regardless of it."""
NOT_AWS = "is --endpoint-url / AWS_ENDPOINT_URL / a proxy pointing somewhere that is not AWS?"
ENDPOINT = "https://aws.example.test"


def _one_line(error: CollectionError) -> str:
    text = str(error)
    assert "\n" not in text
    assert "Traceback" not in text
    return text


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        # Not XML at all: botocore.parsers.ResponseParserError with the body in its message.
        (b"<html><body>Sign in to Hotel WiFi<br><input name=room></body></html>", "Response"),
        # Well-formed, but no GetCallerIdentityResult inside: a KeyError deep in the parser.
        (b"<html><body><p>Sign in to Hotel WiFi</p></body></html>", "KeyError"),
    ],
)
def test_html_answer_is_one_line_without_the_body(aws_env: None, body: bytes, kind: str) -> None:
    with html_portal(body) as url, pytest.raises(EndpointError) as caught:
        collect_snapshot(boto3.Session(), SETTINGS, endpoint_url=url)
    text = _one_line(caught.value)
    assert caught.value.message.startswith(
        f"sts:GetCallerIdentity: the answer from {url} is not an AWS API response ({kind}"
    )
    assert caught.value.hint == NOT_AWS
    assert "Hotel WiFi" not in text
    assert "<html" not in text


def test_silent_endpoint_fails_after_two_short_attempts(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real defaults (5 s connect, 20 s read) measured about 41 s in all; scaled down here."""
    monkeypatch.setattr(session_module, "READ_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(session_module, "CONNECT_TIMEOUT_SECONDS", 0.5)
    with silent_listener() as listener:
        started = time.monotonic()
        with pytest.raises(EndpointError) as caught:
            collect_snapshot(boto3.Session(), SETTINGS, endpoint_url=listener.url)
        elapsed = time.monotonic() - started
        attempts = len(listener.accepted)
    assert SETTINGS.max_attempts == 10
    assert attempts == TRANSPORT_MAX_ATTEMPTS == 2
    # Two read timeouts plus at most one second of botocore's jittered backoff, plus slack.
    assert elapsed < 2 * 0.5 + 1 + 2.5, elapsed
    assert caught.value.message == (
        f"sts:GetCallerIdentity: {listener.url} accepted the connection but sent no answer "
        "within 0.5 s"
    )
    assert caught.value.hint == NOT_AWS
    _one_line(caught.value)


def _failing_session(
    error: Exception, event: str = "before-send"
) -> tuple[boto3.Session, list[str]]:
    """A session whose clients fail at the HTTP layer with ``error``, through botocore's real
    retry handling (an exception in ``before-send`` is treated like one from the socket)."""
    session = boto3.Session()
    tries: list[str] = []

    def fail(**_: Any) -> None:
        tries.append(event)
        raise error

    session.events.register(event, fail)
    return session, tries


@pytest.mark.parametrize(
    ("error", "message", "hint"),
    [
        (
            bex.EndpointConnectionError(endpoint_url=ENDPOINT),
            f"sts:GetCallerIdentity: cannot connect to the AWS endpoint {ENDPOINT}",
            "HTTPS_PROXY",
        ),
        (
            bex.ConnectTimeoutError(endpoint_url=ENDPOINT),
            f"sts:GetCallerIdentity: connecting to {ENDPOINT} timed out after 5 s",
            "HTTPS_PROXY",
        ),
        (
            bex.SSLError(endpoint_url=ENDPOINT, error="[SSL: CERTIFICATE_VERIFY_FAILED] failed"),
            f"sts:GetCallerIdentity: TLS with {ENDPOINT} failed "
            "([SSL: CERTIFICATE_VERIFY_FAILED] failed)",
            "AWS_CA_BUNDLE",
        ),
        (
            bex.ProxyConnectionError(proxy_url="http://ann:s3cret@proxy.corp:3128", error="no"),
            f"sts:GetCallerIdentity: cannot connect to {ENDPOINT} through the proxy "
            "http://proxy.corp:3128",
            "HTTPS_PROXY",
        ),
        (
            bex.ConnectionClosedError(endpoint_url=ENDPOINT),
            f"sts:GetCallerIdentity: the connection to {ENDPOINT} failed (ConnectionClosedError)",
            "HTTPS_PROXY",
        ),
    ],
    ids=["refused", "connect-timeout", "tls", "proxy", "closed"],
)
def test_transport_failures_name_operation_endpoint_and_a_hint(
    aws_env: None, error: Exception, message: str, hint: str
) -> None:
    session, tries = _failing_session(error)
    with pytest.raises(EndpointError) as caught:
        collect_snapshot(session, SETTINGS, endpoint_url=ENDPOINT)
    assert caught.value.message == message
    assert hint in str(caught.value.hint)
    assert "s3cret" not in _one_line(caught.value)
    assert len(tries) == TRANSPORT_MAX_ATTEMPTS  # not max_attempts (10)


def test_an_optional_read_losing_the_endpoint_stops_the_run(
    moto_session: boto3.Session,
) -> None:
    """Mid-run, a silent endpoint is not "a gap in virtual MFA devices": nothing later works."""
    error = bex.ReadTimeoutError(endpoint_url="https://iam.amazonaws.com/")
    event = "before-send.iam.ListVirtualMFADevices"

    def fail(**_: Any) -> None:
        raise error

    moto_session.events.register(event, fail)
    with pytest.raises(
        EndpointError, match=r"^iam:ListVirtualMFADevices: .* no answer within 20 s"
    ):
        collect_snapshot(moto_session, SETTINGS)


def test_optional_reads_record_gaps_but_pass_endpoint_errors_on() -> None:
    reader = AccountReader(iam=None, sts=None, profile=None)

    def lost() -> None:
        raise EndpointError("iam:GetAccountSummary: cannot connect to the AWS endpoint x")

    def refused() -> None:
        raise CollectionError("some other problem")

    with pytest.raises(EndpointError):
        reader.optional(CollectionSource.ACCOUNT_SUMMARY, "iam:GetAccountSummary", lost)
    assert reader.gaps == []
    assert (
        reader.optional(CollectionSource.ACCOUNT_SUMMARY, "iam:GetAccountSummary", refused) is None
    )
    assert [gap.source for gap in reader.gaps] == [CollectionSource.ACCOUNT_SUMMARY.value]


def test_our_own_mistakes_are_not_blamed_on_the_endpoint(aws_env: None) -> None:
    """Wrong parameters and the read-only guard's refusal stay what they are."""
    iam = make_client(boto3.Session(), "iam", SETTINGS, "http://127.0.0.1:9")
    with pytest.raises(bex.ParamValidationError):
        iam.list_account_aliases(MaxItems="many")
    with pytest.raises(ReadOnlyViolation):
        iam.create_user(UserName="mallory")
    assert iam.meta.service_model.signing_name == "iam"  # everything else is the client's own


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://ann:s3cret@proxy.corp:3128", "http://proxy.corp:3128"),
        ("https://iam.amazonaws.com", "https://iam.amazonaws.com"),
        ("http://ann@proxy.corp", "http://proxy.corp"),
    ],
)
def test_redact_drops_credentials_from_urls(url: str, shown: str) -> None:
    assert redact(url) == shown
