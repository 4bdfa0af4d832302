"""Add sign-in evidence to a collected snapshot: what ``scan`` and ``collect`` do after IAM.

``SigninRequest`` is the caller's choice (days, regions, or an Athena table for an
organization); ``attach_live_signins`` reads it with LookupEvents and returns the snapshot with
``signins`` set and one ``signin_events`` gap per region that could not be read. ``days == 0``
leaves the snapshot as it was: sign-ins "not read".

Identity Center writes its sign-in events in its home region only, which need not be one of the
default sign-in regions (nor listed, when ``account:ListRegions`` is refused); so LookupEvents
also reads the region ``lookup_identity_center_region`` picks.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import boto3

from auditor.collector.signin_lookup import (
    LOOKUP_MAX_DAYS,
    ClientFactory,
    PendingLookup,
    start_signins_live,
)
from auditor.config import CollectorSettings
from auditor.errors import UsageError
from auditor.identity_center_models import IdentityCenterStatus
from auditor.models import CollectionGap, CollectionSource, Snapshot
from auditor.signin.records import SigninEvidence

DEFAULT_SIGNIN_DAYS = 90


@dataclass(frozen=True)
class SigninRequest:
    days: int = DEFAULT_SIGNIN_DAYS
    """0 turns sign-in reading off."""
    regions: tuple[str, ...] | None = None
    """``--signin-regions``: replaces the default region list."""
    identity_center_region: str | None = None
    """Overrides the Identity Center region found or configured (see
    ``lookup_identity_center_region``)."""
    athena_table: str | None = None
    athena_workgroup: str = "primary"

    def check_lookup(self) -> None:
        if self.days < 0:
            raise UsageError(f"--signin-days must be 0 or more, got {self.days}")
        if self.days > LOOKUP_MAX_DAYS and self.athena_table is None:
            raise UsageError(
                f"--signin-days {self.days}: LookupEvents keeps {LOOKUP_MAX_DAYS} days of events",
                hint="use --signin-days 90 or less, or read a trail's files with "
                "`report --cloudtrail`",
            )


def attach_live_signins(
    snapshot: Snapshot,
    session: boto3.Session,
    settings: CollectorSettings,
    request: SigninRequest,
    *,
    now: datetime,
    endpoint_url: str | None = None,
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    client_factory: ClientFactory | None = None,
) -> Snapshot:
    """``snapshot`` with the account's sign-ins of the last ``request.days`` days."""
    pending = start_live_signins(
        session,
        settings,
        request,
        now=now,
        endpoint_url=endpoint_url,
        progress=progress,
        sleep=sleep,
        client_factory=client_factory,
    )
    return (
        snapshot if pending is None else finish_live_signins(snapshot, pending, request, settings)
    )


def start_live_signins(
    session: boto3.Session,
    settings: CollectorSettings,
    request: SigninRequest,
    *,
    now: datetime,
    endpoint_url: str | None = None,
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    client_factory: ClientFactory | None = None,
) -> PendingLookup | None:
    """``attach_live_signins`` in two steps, so the reads run while IAM is collected: start
    with the regions known before collecting (``None`` when sign-ins are off) ..."""
    request.check_lookup()
    if request.days == 0:
        return None
    return start_signins_live(
        session,
        settings,
        now=now,
        days=request.days,
        regions=request.regions,
        identity_center_region=request.identity_center_region or settings.identity_center_region,
        endpoint_url=endpoint_url,
        progress=progress,
        sleep=sleep,
        client_factory=client_factory,
    )


def finish_live_signins(
    snapshot: Snapshot, pending: PendingLookup, request: SigninRequest, settings: CollectorSettings
) -> Snapshot:
    """... then add the Identity Center home region the collection found, wait, and attach."""
    region = lookup_identity_center_region(request, settings, snapshot)
    evidence, gaps = pending.finish(snapshot.account_id, region)
    return with_evidence(snapshot, evidence, gaps)


def lookup_identity_center_region(
    request: SigninRequest, settings: CollectorSettings, snapshot: Snapshot
) -> str | None:
    """The Identity Center home region whose sign-in events LookupEvents should also read.

    The request's own choice first; then the region where this account's instance was found
    (that is where its sign-ins are written, and it is known even when no region was
    configured); then ``collector.identity_center_region``. An instance read in another account
    (an organization run's management account) logs its sign-ins there, not here.
    """
    if request.identity_center_region:
        return request.identity_center_region
    found = snapshot.identity_center
    if (
        found is not None
        and found.status is IdentityCenterStatus.COLLECTED
        and found.region
        and found.read_from_account in ("", snapshot.account_id)
    ):
        return found.region
    return settings.identity_center_region


def with_evidence(
    snapshot: Snapshot, evidence: SigninEvidence, gaps: Sequence[CollectionGap] = ()
) -> Snapshot:
    """``snapshot`` carrying ``evidence`` (and its gaps), replacing sign-ins read before."""
    kept = tuple(g for g in snapshot.gaps if g.source != CollectionSource.SIGNIN_EVENTS.value)
    return dataclasses.replace(snapshot, signins=evidence, gaps=kept + tuple(gaps))
