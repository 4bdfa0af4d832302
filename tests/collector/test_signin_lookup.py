"""Live sign-in reading with ``cloudtrail:LookupEvents`` played back by botocore's ``Stubber``.

moto does not implement LookupEvents, so answers are written from the CloudTrail API reference
(LookupEvents: ``Events[].CloudTrailEvent`` is the record as a JSON string, ``NextToken`` pages,
at most 50 per page, 2 requests per second per account per region, ``ThrottlingException``) and
the event examples of the CloudTrail User Guide, "AWS Management Console sign-in events" (see
``tests/signin/events.py``). Each client carries the real read-only guard.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from typing import Any

import boto3
from botocore.stub import ANY, Stubber

from auditor.collector.guard import ALLOWED_OPERATIONS, install_read_only_guard
from auditor.collector.ratelimit import RateLimiter
from auditor.collector.signin_lookup import read_signins_live
from auditor.collector.signin_regions import DEFAULT_SIGNIN_REGIONS
from auditor.config import CollectorSettings
from auditor.models import CollectionSource
from auditor.signin.records import SigninKind
from tests.signin.events import ACCOUNT, console_login, ic_signin

NOW = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
NAMES = ("ConsoleLogin", "CredentialVerification", "UserAuthentication")


def params(name: str, token: str | None = None) -> dict[str, Any]:
    expected: dict[str, Any] = {
        "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": name}],
        "StartTime": ANY,
        "EndTime": ANY,
        "MaxResults": 50,
    }
    if token:
        expected["NextToken"] = token
    return expected


def page(records: list[dict[str, Any]], token: str | None = None) -> dict[str, Any]:
    events = [
        {"EventId": str(i), "EventName": r["eventName"], "CloudTrailEvent": json.dumps(r)}
        for i, r in enumerate(records)
    ]
    return {"Events": events, **({"NextToken": token} if token else {})}


class Clients:
    """One guarded, stubbed client per (service, region), with a fake clock."""

    def __init__(self) -> None:
        self.stubbers: dict[tuple[str, str], Stubber] = {}
        self.clients: dict[tuple[str, str], Any] = {}
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def stub(self, service: str, region: str) -> Stubber:
        client = boto3.client(
            service, region_name=region, aws_access_key_id="x", aws_secret_access_key="y"
        )
        install_read_only_guard(client, ALLOWED_OPERATIONS)
        stubber = Stubber(client)
        stubber.activate()
        self.clients[(service, region)] = client
        self.stubbers[(service, region)] = stubber
        return stubber

    def __call__(self, service: str, region: str) -> Any:
        return self.clients[(service, region)]

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)


def test_two_regions_paging_and_throttling() -> None:
    clients = Clients()
    east = clients.stub("cloudtrail", "us-east-1")
    east.add_response(
        "lookup_events",
        page([console_login("dana", time="2026-11-20T08:00:00Z")], token="t1"),
        params("ConsoleLogin"),
    )
    east.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
    east.add_response(
        "lookup_events",
        page([console_login(identity_type="Root", time="2026-11-21T08:00:00Z")]),
        params("ConsoleLogin", "t1"),
    )
    east.add_response("lookup_events", page([]), params("CredentialVerification"))
    east.add_response("lookup_events", page([]), params("UserAuthentication"))
    north = clients.stub("cloudtrail", "eu-north-1")
    flow = ic_signin(("PASSWORD",), workflow="w", time="2026-11-22T08:00:00Z")
    north.add_response(
        "lookup_events",
        page([console_login("dana", region="eu-north-1", time="2026-11-23T08:00:00Z")]),
        params("ConsoleLogin"),
    )
    north.add_response(
        "lookup_events",
        page([r for r in flow if r["eventName"] == "CredentialVerification"]),
        params("CredentialVerification"),
    )
    north.add_response(
        "lookup_events",
        page([r for r in flow if r["eventName"] == "UserAuthentication"]),
        params("UserAuthentication"),
    )
    evidence, gaps = read_signins_live(
        boto3.Session(region_name="us-east-1"),
        CollectorSettings(),
        account_id=ACCOUNT,
        now=NOW,
        days=90,
        regions=["us-east-1", "eu-north-1"],
        client_factory=clients,
        sleep=clients.sleep,
        clock=lambda: 0.0,
    )
    for stubber in clients.stubbers.values():
        stubber.assert_no_pending_responses()
    assert gaps == ()
    dana = evidence.find(SigninKind.IAM_USER, "dana")
    assert dana is not None
    assert (dana.without_mfa, dana.regions) == (2, ("eu-north-1", "us-east-1"))
    assert evidence.find(SigninKind.ROOT, "<root_account>") is not None
    ic_user = evidence.find(SigninKind.IDENTITY_CENTER, "dana")
    assert ic_user is not None
    assert ic_user.without_mfa == 1
    # 4 pages + 1 throttled retry in us-east-1, 3 pages in eu-north-1.
    assert evidence.coverage.api_calls == 8
    assert evidence.coverage.regions_read == ("eu-north-1", "us-east-1")
    assert 1.0 in clients.sleeps  # the throttled call's backoff


def test_a_denied_region_is_a_gap_and_default_regions_include_enabled_ones() -> None:
    clients = Clients()
    account = clients.stub("account", "us-east-1")
    account.add_response(
        "list_regions",
        {"Regions": [{"RegionName": "eu-west-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"}]},
        {"RegionOptStatusContains": ["ENABLED", "ENABLED_BY_DEFAULT"], "MaxResults": 50},
    )
    regions = (*DEFAULT_SIGNIN_REGIONS, "eu-central-1", "eu-west-1")
    for region in regions:
        stubber = clients.stub("cloudtrail", region)
        if region == "us-east-2":
            stubber.add_client_error(
                "lookup_events", "AccessDeniedException", "not authorized", 400
            )
            continue
        for name in NAMES:
            stubber.add_response("lookup_events", page([]), params(name))
    evidence, gaps = read_signins_live(
        boto3.Session(region_name="us-east-1"),
        CollectorSettings(),
        account_id=ACCOUNT,
        now=NOW,
        days=30,
        identity_center_region="eu-central-1",
        client_factory=clients,
        sleep=clients.sleep,
        clock=lambda: 0.0,
    )
    assert set(evidence.coverage.regions_read) == set(regions) - {"us-east-2"}
    assert [f.region for f in evidence.coverage.regions_failed] == ["us-east-2"]
    (gap,) = gaps
    assert gap.source == CollectionSource.SIGNIN_EVENTS.value
    assert "us-east-2" in gap.reason
    assert "cloudtrail:LookupEvents was denied" in gap.reason
    assert evidence.coverage.days == 30
    summary = evidence.notes[0]
    assert summary.startswith("Sign-ins read from CloudTrail LookupEvents: the 30 days")
    assert "NOT read: us-east-2 (cloudtrail:LookupEvents was denied" in summary


def test_rate_limiter_spaces_calls_half_a_second_apart() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.wait()
    assert slept == [0.5, 0.5, 0.5, 0.5]
