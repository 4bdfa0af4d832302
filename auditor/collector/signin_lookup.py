"""Live sign-in evidence: ``cloudtrail:LookupEvents`` in every region sign-ins can land in.

LookupEvents returns management events of the last 90 days, one region per call, filtered by one
lookup attribute, at most 50 per page, and allows 2 requests per second per account per region
(CloudTrail API reference, LookupEvents). So each region is read in its own thread behind its
own ``RateLimiter`` (2/s), one ``EventName`` at a time (``ConsoleLogin``,
``CredentialVerification``, ``UserAuthentication``), following ``NextToken``; a throttled call
is retried with backoff. The number of calls is

    calls = Σ over regions r, Σ over the 3 event names e of max(1, ⌈events(r, e) / 50⌉)

plus throttled retries and ⌈enabled regions / 50⌉ ``ListRegions`` calls: at least 3 per region,
and a region with N sign-ins takes about N / 100 seconds (regions run in parallel).

A region that cannot be read (access denied, not enabled, unreachable) is a ``RegionFailure``
and a ``signin_events`` gap, never an empty result: the audit exits 4 and says which region.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import error_code, error_message, is_throttled
from auditor.collector.ratelimit import RateLimiter
from auditor.collector.session import make_client
from auditor.collector.signin_regions import choose_regions
from auditor.collector.transport import EndpointError
from auditor.config import CollectorSettings
from auditor.models import CollectionGap, CollectionSource
from auditor.signin.aggregate import SigninAggregator
from auditor.signin.parse import LOOKUP_EVENT_NAMES
from auditor.signin.records import RegionFailure, SigninEvidence

PAGE_SIZE = 50
RATE_PER_REGION = 2.0
THROTTLE_RETRIES = 6
MAX_WORKERS = 8
LOOKUP_MAX_DAYS = 90
"""LookupEvents keeps 90 days: a longer window needs a trail (``--cloudtrail`` or Athena)."""

ClientFactory = Callable[[str, str], Any]
"""``(service, region) -> client``; tests pass Stubber-backed clients."""
Progress = Callable[[str], None]


@dataclass
class RegionRead:
    region: str
    events: list[str] = field(default_factory=list)
    """``CloudTrailEvent`` JSON strings, decoded in the main thread."""
    calls: int = 0
    failure: RegionFailure | None = None


class LookupReader:
    """Reads one region's sign-in events; one instance per region (its own rate limiter)."""

    def __init__(
        self,
        client: Any,
        region: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        progress: Progress | None = None,
    ) -> None:
        self.client = client
        self.region = region
        self.sleep = sleep
        self.limiter = RateLimiter(RATE_PER_REGION, clock=clock, sleep=sleep)
        self.progress = progress

    def read(self, start: datetime, end: datetime) -> RegionRead:
        result = RegionRead(self.region)
        try:
            for name in LOOKUP_EVENT_NAMES:
                self._read_event(name, start, end, result)
        except ClientError as error:
            result.failure = RegionFailure(self.region, _reason(error))
        except (BotoCoreError, EndpointError) as error:
            result.failure = RegionFailure(self.region, f"not reachable ({error})")
        if self.progress is not None:
            self.progress(f"{self.region}: done")
        return result

    def _read_event(self, name: str, start: datetime, end: datetime, result: RegionRead) -> None:
        token: str | None = None
        page_number = 0
        while True:
            params: dict[str, Any] = {
                "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": name}],
                "StartTime": start,
                "EndTime": end,
                "MaxResults": PAGE_SIZE,
            }
            if token:
                params["NextToken"] = token
            page = self._call(params, result)
            page_number += 1
            result.events.extend(
                str(event["CloudTrailEvent"])
                for event in page.get("Events", [])
                if event.get("CloudTrailEvent")
            )
            if self.progress is not None:
                self.progress(
                    f"{self.region}: {name} page {page_number}, {len(result.events)} events"
                )
            token = page.get("NextToken")
            if not token:
                return

    def _call(self, params: dict[str, Any], result: RegionRead) -> dict[str, Any]:
        for attempt in range(THROTTLE_RETRIES + 1):
            self.limiter.wait()
            result.calls += 1
            try:
                page: dict[str, Any] = self.client.lookup_events(**params)
                return page
            except ClientError as error:
                if not is_throttled(error) or attempt == THROTTLE_RETRIES:
                    raise
                self.sleep(min(2.0**attempt, 20.0))
        raise AssertionError("unreachable")  # pragma: no cover


def _reason(error: ClientError) -> str:
    code = error_code(error)
    if code in {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}:
        return f"cloudtrail:LookupEvents was denied ({code}); grant it to read sign-ins"
    return f"{code}: {error_message(error)}"[:300]


def read_signins_live(
    session: boto3.Session,
    settings: CollectorSettings,
    *,
    account_id: str,
    now: datetime,
    days: int,
    regions: Sequence[str] | None = None,
    identity_center_region: str | None = None,
    endpoint_url: str | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    client_factory: ClientFactory | None = None,
) -> tuple[SigninEvidence, tuple[CollectionGap, ...]]:
    """Sign-in evidence of the last ``days`` days (at most 90), and one gap per unread region."""
    if not 0 < days <= LOOKUP_MAX_DAYS:
        raise ValueError(f"LookupEvents reads 1 to {LOOKUP_MAX_DAYS} days, not {days}")

    def default_factory(service: str, region: str) -> Any:
        return make_client(session, service, settings, endpoint_url, region=region)

    factory = client_factory or default_factory
    account = None if regions else factory("account", "us-east-1")
    chosen, notes = choose_regions(
        account, override=regions, identity_center_region=identity_center_region
    )
    start = now - timedelta(days=days)

    def read(region: str) -> RegionRead:
        reader = LookupReader(
            factory("cloudtrail", region), region, sleep=sleep, clock=clock, progress=progress
        )
        return reader.read(start, now)

    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(chosen))) as pool:
        results = list(pool.map(read, chosen))
    aggregator = SigninAggregator(start, now, account_ids=[account_id])
    for result in results:
        for text in result.events:
            _add(aggregator, text)
    failures = [r.failure for r in results if r.failure is not None]
    evidence = aggregator.evidence(
        account_id,
        source="lookup_events",
        days=days,
        regions_read=[r.region for r in results if r.failure is None],
        regions_failed=failures,
        api_calls=sum(r.calls for r in results),
    )
    if notes:
        evidence = SigninEvidence(evidence.coverage, evidence.principals, (*notes, *evidence.notes))
    gaps = tuple(
        CollectionGap(CollectionSource.SIGNIN_EVENTS.value, f"{f.region}: {f.reason}")
        for f in failures
    )
    return evidence, gaps


def _add(aggregator: SigninAggregator, text: str) -> None:
    """One ``CloudTrailEvent``; a string AWS sent that is not JSON counts as an unknown shape."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError:
        record = None
    if isinstance(record, dict):
        aggregator.add_record(record)
    else:
        aggregator.unknown_shapes += 1
