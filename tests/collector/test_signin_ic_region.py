"""LookupEvents also reads the Identity Center home region, configured or found.

Identity Center writes its sign-in events (``CredentialVerification``, ``UserAuthentication``)
in its home region only (IAM Identity Center User Guide, "Logging IAM Identity Center API calls
with AWS CloudTrail"; CloudTrail User Guide, "AWS Management Console sign-in events"). When
``account:ListRegions`` is refused, the default regions alone would miss them.
"""

from __future__ import annotations

from datetime import datetime, timezone

import boto3

from auditor.collector.signin_attach import (
    SigninRequest,
    attach_live_signins,
    lookup_identity_center_region,
)
from auditor.collector.signin_regions import DEFAULT_SIGNIN_REGIONS
from auditor.config import CollectorSettings
from auditor.identity_center_models import IdentityCenterData, IdentityCenterStatus
from auditor.models import Snapshot
from auditor.signin.records import SigninKind
from tests.collector.test_signin_lookup import NAMES, NOW, Clients, page, params
from tests.signin.events import ACCOUNT, ic_signin

HOME = "ap-northeast-3"
"""Not one of the default sign-in regions."""


def _snapshot(identity_center: IdentityCenterData | None = None) -> Snapshot:
    return Snapshot(
        schema_version=2,
        tool_version="test",
        source="aws",
        account_id=ACCOUNT,
        account_alias=None,
        caller_arn=None,
        collected_at=datetime(2026, 11, 30, 11, tzinfo=timezone.utc),
        credential_report=None,
        users=(),
        groups=(),
        roles=(),
        policies=(),
        virtual_mfa_devices=(),
        account_summary=None,
        password_policy=None,
        identity_center=identity_center,
    )


def _clients_with_a_signin_in_home() -> Clients:
    """ListRegions refused; empty pages in the default regions; one Identity Center sign-in
    without MFA in ``HOME`` (a stub left unanswered fails ``assert_no_pending_responses``)."""
    clients = Clients()
    clients.stub("account", "us-east-1").add_client_error(
        "list_regions", "AccessDeniedException", "not authorized", 400
    )
    for region in DEFAULT_SIGNIN_REGIONS:
        stubber = clients.stub("cloudtrail", region)
        for name in NAMES:
            stubber.add_response("lookup_events", page([]), params(name))
    flow = ic_signin(("PASSWORD",), workflow="w", region=HOME, time="2026-11-22T08:00:00Z")
    home = clients.stub("cloudtrail", HOME)
    home.add_response("lookup_events", page([]), params("ConsoleLogin"))
    for name in ("CredentialVerification", "UserAuthentication"):
        home.add_response(
            "lookup_events", page([r for r in flow if r["eventName"] == name]), params(name)
        )
    return clients


def _attach(clients: Clients, settings: CollectorSettings, snapshot: Snapshot) -> Snapshot:
    return attach_live_signins(
        snapshot,
        boto3.Session(region_name="us-east-1"),
        settings,
        SigninRequest(days=30),
        now=NOW,
        sleep=clients.sleep,
        client_factory=clients,
    )


def _assert_home_was_read(clients: Clients, result: Snapshot) -> None:
    for stubber in clients.stubbers.values():
        stubber.assert_no_pending_responses()
    assert result.signins is not None
    assert HOME in result.signins.coverage.regions_read
    found = result.signins.find(SigninKind.IDENTITY_CENTER, "dana")
    assert found is not None
    assert found.without_mfa == 1


def test_the_configured_identity_center_region_is_read() -> None:
    clients = _clients_with_a_signin_in_home()
    result = _attach(clients, CollectorSettings(identity_center_region=HOME), _snapshot())
    _assert_home_was_read(clients, result)


def test_the_region_where_the_instance_was_found_is_read_without_configuration() -> None:
    """With no region configured the collector looks in the session's region; wherever it
    found the instance is where its sign-ins are."""
    clients = _clients_with_a_signin_in_home()
    found = IdentityCenterData(IdentityCenterStatus.COLLECTED, HOME, instance_arn="arn:x")
    result = _attach(clients, CollectorSettings(), _snapshot(found))
    _assert_home_was_read(clients, result)


def test_an_instance_read_in_another_account_does_not_add_its_region() -> None:
    """In an organization run a member's snapshot carries the management account's instance,
    whose sign-ins are logged in the management account, not in the member."""
    elsewhere = IdentityCenterData(
        IdentityCenterStatus.COLLECTED, HOME, instance_arn="arn:x", read_from_account="999"
    )
    request = SigninRequest()
    assert lookup_identity_center_region(request, CollectorSettings(), _snapshot(elsewhere)) is None
    configured = CollectorSettings(identity_center_region="eu-west-1")
    assert lookup_identity_center_region(request, configured, _snapshot(elsewhere)) == "eu-west-1"
    explicit = SigninRequest(identity_center_region="us-west-2")
    assert lookup_identity_center_region(explicit, configured, _snapshot()) == "us-west-2"
