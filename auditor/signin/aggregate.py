"""Fold sign-in events into per-principal totals over a window, in constant memory per principal.

CloudTrail files are not ordered ("CloudTrail log files aren't an ordered stack trace", CloudTrail
User Guide, "Understanding CloudTrail events"), so every total is order-independent: counts,
first/last by comparison, the first three addresses seen. Identity Center sign-ins are judged per
``AuthWorkflowID`` once everything is read, because a workflow's verifications and its
``UserAuthentication`` may sit in different files. Only sign-in events are kept (a few bytes per
workflow), never the records themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditor.signin.parse import UnknownShape, parse_record
from auditor.signin.records import (
    IcFactors,
    PrincipalSignins,
    RegionFailure,
    SigninCoverage,
    SigninEvent,
    SigninEvidence,
    SigninKind,
)
from auditor.signin.tally import MAX_DEVICES, Tally

SECOND_FACTORS = frozenset({"TOTP", "WEBAUTHN", "RESYNC_TOTP"})
"""Credential types that are a second factor: authenticator apps (TOTP), FIDO keys and passkeys."""
EXTERNAL_IDP = "EXTERNAL_IDP"


@dataclass
class _Workflow:
    """One Identity Center sign-in: the credentials verified, and its completion if read."""

    user: SigninEvent
    verified: set[str] = field(default_factory=set)
    completed: SigninEvent | None = None


class SigninAggregator:
    """Feed records (``add_record``) or events (``add_event``); read totals with ``evidence``."""

    def __init__(
        self,
        window_start: datetime,
        window_end: datetime,
        *,
        account_ids: Iterable[str] | None = None,
    ) -> None:
        self.window_start = window_start
        self.window_end = window_end
        self.accounts = frozenset(account_ids) if account_ids is not None else None
        self._tallies: dict[tuple[str, SigninKind, str], Tally] = {}
        self._workflows: dict[tuple[str, str], _Workflow] = {}
        self.records = 0
        self.signin_events = 0
        self.unknown_shapes = 0
        self.unknown_examples: list[str] = []
        self.outside_window = 0
        self.other_accounts = 0
        self.record_regions: set[str] = set()
        self._earliest = ""
        self._latest = ""

    def add_record(self, record: Mapping[str, Any]) -> None:
        """One CloudTrail record of any kind: counted, and kept if it is a sign-in."""
        self.records += 1
        region = record.get("awsRegion")
        if isinstance(region, str):
            self.record_regions.add(region)
        stamp = record.get("eventTime")
        if isinstance(stamp, str):
            if not self._earliest or stamp < self._earliest:
                self._earliest = stamp
            if stamp > self._latest:
                self._latest = stamp
        try:
            event = parse_record(record)
        except UnknownShape as unknown:
            self.unknown_shapes += 1
            if len(self.unknown_examples) < 3 and str(unknown) not in self.unknown_examples:
                self.unknown_examples.append(str(unknown))
            return
        if event is not None:
            self.add_event(event)

    def add_event(self, event: SigninEvent) -> None:
        self.signin_events += 1
        if self.accounts is not None and event.account_id not in self.accounts:
            self.other_accounts += 1
            return
        if not self.window_start <= event.time <= self.window_end:
            self.outside_window += 1
            return
        if event.kind is SigninKind.IDENTITY_CENTER:
            self._add_identity_center(event)
            return
        tally = self._tally(event)
        if not event.success:
            tally.failures += 1
            return
        mfa = event.mfa_used if event.kind is not SigninKind.ROLE_SESSION else None
        tally.success(event.time, mfa, event.source_ip, event.region)
        device = event.mfa_identifier
        if device and device not in tally.devices and len(tally.devices) < MAX_DEVICES:
            tally.devices.append(device)

    def _tally(self, event: SigninEvent) -> Tally:
        key = (event.account_id, event.kind, event.user_id or event.name)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = Tally(event.kind, event.account_id, event.name)
        if event.arn and not tally.arn:
            tally.arn = event.arn
        if event.user_id:
            tally.user_id = event.user_id
            if event.name != event.user_id:
                tally.name = event.name
        return tally

    def _add_identity_center(self, event: SigninEvent) -> None:
        key = (event.account_id, event.workflow_id)
        flow = self._workflows.get(key)
        if flow is None:
            flow = self._workflows[key] = _Workflow(event)
        elif event.name != event.user_id and flow.user.name == flow.user.user_id:
            flow.user = event  # this event also names the user: keep the name
        if event.event_name == "CredentialVerification":
            if event.success:
                flow.verified.add(event.credential_type)
            else:
                self._tally(event).failures += 1
        elif event.event_name == "UserAuthentication" and event.success:
            flow.completed = event

    def _settle_workflows(self) -> None:
        """Judge every completed Identity Center workflow; a workflow never completed is not a
        sign-in (AWS logs ``UserAuthentication`` only when every challenge was met)."""
        for flow in self._workflows.values():
            done = flow.completed
            if done is None:
                continue
            tally = self._tally(flow.user)
            factors = workflow_factors(flow.verified)
            tally.credential_types.update(flow.verified)
            mfa = {IcFactors.MFA: True, IcFactors.NO_MFA: False}.get(factors)
            tally.success(done.time, mfa, done.source_ip, done.region)
            if factors is IcFactors.EXTERNAL_IDP:
                tally.external_idp += 1
            elif factors is IcFactors.UNKNOWN:
                tally.unknown_factors += 1
        self._workflows.clear()

    def accounts_seen(self) -> tuple[str, ...]:
        self._settle_workflows()
        return tuple(sorted({key[0] for key in self._tallies}))

    def evidence(
        self,
        account_id: str,
        *,
        source: str,
        days: int,
        regions_read: Iterable[str] | None = None,
        regions_failed: Iterable[RegionFailure] = (),
        files_read: int = 0,
        api_calls: int = 0,
    ) -> SigninEvidence:
        """The account's totals and what was read; ``regions_read`` defaults to the regions of
        the records seen (offline files)."""
        self._settle_workflows()
        principals = tuple(
            tally.freeze()
            for key, tally in sorted(self._tallies.items(), key=lambda item: item[0][1:])
            if key[0] == account_id
        )
        coverage = SigninCoverage(
            source=source,
            window_start=self.window_start,
            window_end=self.window_end,
            days=days,
            regions_read=tuple(
                sorted(self.record_regions if regions_read is None else regions_read)
            ),
            regions_failed=tuple(regions_failed),
            files_read=files_read,
            records_read=self.records,
            signin_events=self.signin_events,
            unknown_shapes=self.unknown_shapes,
            outside_window=self.outside_window,
            other_accounts=self.other_accounts,
            earliest_record=_time_or_none(self._earliest),
            latest_record=_time_or_none(self._latest),
            api_calls=api_calls,
        )
        return SigninEvidence(coverage, principals, tuple(self._notes(principals, coverage)))

    def _notes(
        self, principals: tuple[PrincipalSignins, ...], coverage: SigninCoverage
    ) -> list[str]:
        from auditor.signin.notes import coverage_notes

        return coverage_notes(principals, coverage, self.unknown_examples)


def workflow_factors(verified: set[str]) -> IcFactors:
    """What one Identity Center sign-in proved, from the credential types it verified."""
    if verified & SECOND_FACTORS:
        return IcFactors.MFA
    if EXTERNAL_IDP in verified:
        return IcFactors.EXTERNAL_IDP
    if verified:
        return IcFactors.NO_MFA
    return IcFactors.UNKNOWN


def _time_or_none(stamp: str) -> datetime | None:
    if not stamp:
        return None
    from auditor.signin.parse import parse_time

    try:
        return parse_time(stamp)
    except UnknownShape:
        return None
