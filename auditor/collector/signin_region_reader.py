"""One region's sign-in events through ``cloudtrail:LookupEvents``, paced and retried.

LookupEvents allows 2 requests per second per account per region and filters by one lookup
attribute per call (CloudTrail API reference, LookupEvents), so each region has its own
``RateLimiter`` and reads the event names one after another, following ``NextToken``; a
throttled call is retried with backoff. ``auditor.collector.signin_lookup`` runs the regions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import error_code, error_message, is_throttled
from auditor.collector.ratelimit import RateLimiter
from auditor.collector.transport import EndpointError
from auditor.signin.parse import LOOKUP_EVENT_NAMES
from auditor.signin.records import RegionFailure

PAGE_SIZE = 50
RATE_PER_REGION = 2.0
THROTTLE_RETRIES = 6

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
        stop: threading.Event | None = None,
    ) -> None:
        self.client = client
        self.region = region
        self.sleep = sleep
        self.limiter = RateLimiter(RATE_PER_REGION, clock=clock, sleep=sleep)
        self.progress = progress
        self.stop = stop
        """Set when the scan gave up (the IAM collection failed): no further call is made."""

    def read(self, start: datetime, end: datetime) -> RegionRead:
        result = RegionRead(self.region)
        try:
            for name in LOOKUP_EVENT_NAMES:
                self._read_event(name, start, end, result)
        except ClientError as error:
            result.failure = RegionFailure(self.region, _reason(error))
        except (BotoCoreError, EndpointError) as error:
            result.failure = RegionFailure(self.region, f"not reachable ({error})")
        except Cancelled:
            result.failure = RegionFailure(self.region, "cancelled")
            return result
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
            if self.stop is not None and self.stop.is_set():
                raise Cancelled
            result.calls += 1
            try:
                page: dict[str, Any] = self.client.lookup_events(**params)
                return page
            except ClientError as error:
                if not is_throttled(error) or attempt == THROTTLE_RETRIES:
                    raise
                self.sleep(min(2.0**attempt, 20.0))
        raise AssertionError("unreachable")  # pragma: no cover


class Cancelled(Exception):
    """The lookup was cancelled between two calls."""


def _reason(error: ClientError) -> str:
    code = error_code(error)
    if code in {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}:
        return f"cloudtrail:LookupEvents was denied ({code}); grant it to read sign-ins"
    return f"{code}: {error_message(error)}"[:300]
