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
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import boto3

from auditor.collector.session import make_client
from auditor.collector.signin_region_reader import LookupReader, Progress, RegionRead
from auditor.collector.signin_regions import choose_regions
from auditor.config import CollectorSettings
from auditor.models import CollectionGap, CollectionSource
from auditor.signin.aggregate import SigninAggregator
from auditor.signin.records import SigninEvidence

MAX_WORKERS = 8
LOOKUP_MAX_DAYS = 90
"""LookupEvents keeps 90 days: a longer window needs a trail (``--cloudtrail`` or Athena)."""

ClientFactory = Callable[[str, str], Any]
"""``(service, region) -> client``; tests pass Stubber-backed clients."""


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
    pending = start_signins_live(
        session,
        settings,
        now=now,
        days=days,
        regions=regions,
        identity_center_region=identity_center_region,
        endpoint_url=endpoint_url,
        progress=progress,
        sleep=sleep,
        clock=clock,
        client_factory=client_factory,
    )
    return pending.finish(account_id)


def start_signins_live(
    session: boto3.Session,
    settings: CollectorSettings,
    *,
    now: datetime,
    days: int,
    regions: Sequence[str] | None = None,
    identity_center_region: str | None = None,
    endpoint_url: str | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    client_factory: ClientFactory | None = None,
) -> PendingLookup:
    """Start reading every chosen region in the background; ``finish`` collects the answer.

    ``scan`` starts this before the IAM collection: each region's reads are paced at 2/s, so
    run alone they would add about a second after IAM is done; overlapped, they cost nothing.
    Clients are created here, in the caller's thread (a boto3 session is not thread-safe)."""
    if not 0 < days <= LOOKUP_MAX_DAYS:
        raise ValueError(f"LookupEvents reads 1 to {LOOKUP_MAX_DAYS} days, not {days}")

    def default_factory(service: str, region: str) -> Any:
        return make_client(session, service, settings, endpoint_url, region=region)

    factory = client_factory or default_factory
    account = None if regions else factory("account", "us-east-1")
    chosen, notes = choose_regions(
        account, override=regions, identity_center_region=identity_center_region
    )
    pending = PendingLookup(
        factory,
        now - timedelta(days=days),
        now,
        days,
        notes,
        progress,
        fixed=bool(regions),
        sleep=sleep,
        clock=clock,
    )
    for region in chosen:
        pending.submit(region)
    return pending


class PendingLookup:
    """Region reads under way; ``finish`` waits for them and builds the evidence."""

    def __init__(
        self,
        factory: ClientFactory,
        start: datetime,
        end: datetime,
        days: int,
        notes: list[str],
        progress: Progress | None,
        *,
        fixed: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.factory = factory
        self.start, self.end, self.days = start, end, days
        self.notes = notes
        self.progress = progress
        self.fixed = fixed
        """``--signin-regions`` was given: the list is the user's, nothing is added to it."""
        self.sleep = sleep
        self.clock = clock
        self.futures: dict[str, Future[RegionRead]] = {}
        self._pool = ThreadPoolExecutor(max_workers=MAX_WORKERS)
        self._stop = threading.Event()
        self._held = HeldProgress(progress)

    def submit(self, region: str) -> None:
        if region in self.futures:
            return
        # The real sleep is cut short by ``cancel``; an injected one (tests) is kept as is.
        sleep = self._interruptible_sleep if self.sleep is time.sleep else self.sleep
        reader = LookupReader(
            self.factory("cloudtrail", region),
            region,
            sleep=sleep,
            clock=self.clock,
            progress=self._held if self.progress is not None else None,
            stop=self._stop,
        )
        self.futures[region] = self._pool.submit(reader.read, self.start, self.end)

    def _interruptible_sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def cancel(self) -> None:
        """The collection failed: no reader makes another call, none is waited for."""
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def finish(
        self, account_id: str, identity_center_region: str | None = None
    ) -> tuple[SigninEvidence, tuple[CollectionGap, ...]]:
        """The evidence, after also reading ``identity_center_region`` (found by the IAM
        collection) when it was not among the regions chosen at the start."""
        if identity_center_region and not self.fixed:
            self.submit(identity_center_region)
        self._held.release()
        try:
            results = [future.result() for future in self.futures.values()]
        except BaseException:
            self.cancel()
            raise
        self._pool.shutdown(wait=False)
        aggregator = SigninAggregator(self.start, self.end, account_ids=[account_id])
        for result in results:
            for text in result.events:
                _add(aggregator, text)
        failures = [r.failure for r in results if r.failure is not None]
        evidence = aggregator.evidence(
            account_id,
            source="lookup_events",
            days=self.days,
            regions_read=[r.region for r in results if r.failure is None],
            regions_failed=failures,
            api_calls=sum(r.calls for r in results),
        )
        if self.notes:
            evidence = SigninEvidence(
                evidence.coverage, evidence.principals, (*self.notes, *evidence.notes)
            )
        gaps = tuple(
            CollectionGap(CollectionSource.SIGNIN_EVENTS.value, f"{f.region}: {f.reason}")
            for f in failures
        )
        return evidence, gaps


class HeldProgress:
    """Progress of reads that run beside the IAM collection, held until ``release`` so their
    lines (a self-overwriting bar on a terminal) do not interleave with the collection's; then
    each region's last line is replayed, unfinished regions first, and the rest goes through."""

    def __init__(self, target: Progress | None) -> None:
        self.target = target
        self._lock = threading.Lock()
        self._last: dict[str, str] = {}
        self._live = False

    def __call__(self, line: str) -> None:
        with self._lock:
            if not self._live:
                self._last[line.split(":", 1)[0]] = line
            elif self.target is not None:
                self.target(line)

    def release(self) -> None:
        with self._lock:
            self._live = True
            held = sorted(self._last.values(), key=lambda line: line.endswith(": done"))
            if self.target is not None:
                for line in held:
                    self.target(line)


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
