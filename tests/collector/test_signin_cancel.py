"""Sign-in reads that run beside the IAM collection: cancelled with it, and quiet until joined.

LookupEvents pages follow ``NextToken`` at 2 requests/s per region (CloudTrail API reference,
LookupEvents), so an account with many sign-ins keeps a reader busy for minutes: when the IAM
collection fails, the scan must stop its readers instead of waiting for them at exit.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

import boto3

from auditor.collector.signin_lookup import HeldProgress, start_signins_live
from auditor.config import CollectorSettings

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


class EndlessPages:
    """A CloudTrail client whose every page says there is another one."""

    def __init__(self) -> None:
        self.calls = 0

    def lookup_events(self, **_: Any) -> dict[str, Any]:
        self.calls += 1
        return {"Events": [], "NextToken": f"page-{self.calls}"}


def test_cancel_stops_readers_between_calls() -> None:
    client = EndlessPages()
    pending = start_signins_live(
        boto3.Session(region_name="us-east-1"),
        CollectorSettings(),
        now=NOW,
        days=90,
        regions=["us-east-1"],
        client_factory=lambda service, region: client,
    )
    time.sleep(0.7)  # the limiter allows a call every 0.5 s: one or two made
    pending.cancel()
    started = time.monotonic()
    [future] = pending.futures.values()
    result = future.result(timeout=5)
    assert time.monotonic() - started < 1.0  # the limiter's wait is cut short too
    assert result.failure is not None
    assert result.failure.reason == "cancelled"
    calls = client.calls
    time.sleep(0.6)
    assert client.calls == calls <= 3  # no call after the cancel


def test_progress_is_held_until_release_then_replayed_unfinished_first() -> None:
    lines: list[str] = []
    held = HeldProgress(lines.append)
    held("us-east-1: ConsoleLogin page 1, 50 events")
    held("us-east-1: done")
    held("eu-west-1: ConsoleLogin page 3, 150 events")
    assert lines == []  # nothing printed while the IAM collection prints its own lines
    held.release()
    assert lines == ["eu-west-1: ConsoleLogin page 3, 150 events", "us-east-1: done"]
    held("eu-west-1: done")
    assert lines[-1] == "eu-west-1: done"
