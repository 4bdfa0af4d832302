"""The joined view of a snapshot that every rule reads: built once, never mutated.

The credential report and the authorization details are two calls made seconds (or, with a cached
report, hours) apart, so they disagree at the edges: a user created after the report has no row,
a user deleted after it has a row and no entry. The outer join below keeps both cases visible as
facts (``row is None`` / ``deleted_users``) instead of letting either read as "no MFA" or vanish.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from auditor.analyzer.graph.permissions import PrivilegeIndex
from auditor.analyzer.identity_center.grants import UserGrants
from auditor.config import AuditorConfig
from auditor.mfa_devices import UserMfaDevices
from auditor.models import (
    CollectionSource,
    CredentialReportRow,
    MfaDeviceKind,
    Snapshot,
    User,
    VirtualMfaDevice,
)
from auditor.records import cached, record

if TYPE_CHECKING:
    from auditor.analyzer.graph.query import AccessModel


@record
class UserFacts:
    """One IAM user as both sources describe it; ``None`` where a source had nothing."""

    name: str
    arn: str
    user: User | None
    """``None``: in the credential report only (deleted after it, or authorization details lost)."""
    row: CredentialReportRow | None
    """``None``: not in the credential report (created after it was generated)."""
    virtual_devices: tuple[VirtualMfaDevice, ...] = ()
    devices: UserMfaDevices | None = None
    """The collector's per-user device record (schema 2); ``None`` in older inputs."""

    @cached
    def groups(self) -> tuple[str, ...]:
        return self.user.groups if self.user else ()

    @cached  # read by every rule and row; the facts never change
    def has_mfa(self) -> bool | None:
        """An assigned virtual device proves MFA even when the report predates it; so does (or
        disproves it) a live ``ListMFADevices`` answer."""
        if self.virtual_devices:
            return True
        if self.devices is not None and self.devices.listed:
            return bool(self.devices.devices)
        return None if self.row is None else self.row.mfa_active

    @cached
    def device_kinds(self) -> tuple[MfaDeviceKind, ...]:
        """Each device's kind (``fido, virtual``), from the collector's per-user record.

        Without one (AWS CLI exports, version-1 snapshots) virtual devices are still known, and
        a report-says-MFA user without one has ``hardware_or_fido``: telling those apart needs
        the per-user ``ListMFADevices`` call such inputs do not contain.
        """
        if self.devices is not None:
            return self.devices.kinds
        kinds = [MfaDeviceKind.VIRTUAL for _ in self.virtual_devices]
        if not kinds and self.row is not None and self.row.mfa_active:
            kinds.append(MfaDeviceKind.HARDWARE_OR_FIDO)
        return tuple(kinds)

    @property
    def console(self) -> bool | None:
        """Has a console password; ``None`` when unknown (no report row, or a non-boolean)."""
        if self.row is None or not isinstance(self.row.password_enabled, bool):
            return None
        return self.row.password_enabled

    @cached
    def active_keys(self) -> int | None:
        return None if self.row is None else self.row.active_access_keys

    @property
    def can_authenticate(self) -> bool | None:
        """Can sign in or call APIs today: a console password or an active access key."""
        if self.console or (self.active_keys or 0) > 0:
            return True
        if self.console is False and self.active_keys == 0:
            return False
        return None


@dataclass(frozen=True)
class AnalysisContext:
    snapshot: Snapshot
    config: AuditorConfig
    now: datetime
    privilege: PrivilegeIndex
    users: tuple[UserFacts, ...]
    """Authorization details ⟗ credential report, sorted by name; deleted users excluded."""
    deleted_users: tuple[str, ...]
    """In the credential report only, while the authorization details are complete."""
    group_members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """About the data (report age, users in one source only); checks yield their own ``Note``."""
    identity_center_users: tuple[UserGrants, ...] = ()
    """Identity-store users with the permission sets they hold (``analyzer.identity_center``)."""

    @property
    def account_id(self) -> str:
        return self.snapshot.account_id

    @cached_property
    def partition(self) -> str:
        """The account's partition (``aws``, ``aws-cn``, ``aws-us-gov`` …), read from its ARNs.

        GovCloud and China accounts have no ``arn:aws:`` ARNs, so nothing the analyzer writes or
        compares may assume that prefix; ``aws`` only when the snapshot holds no ARN at all.
        """
        return account_partition(self.snapshot)

    @cached_property
    def access(self) -> AccessModel:
        """The access graph of this snapshot and its reach index (built on first use)."""
        from auditor.analyzer.graph.query import AccessModel
        from auditor.policy.engine import PolicyEngine

        engine = self.privilege.engine
        if not isinstance(engine, PolicyEngine):
            analysis = self.config.analysis
            engine = PolicyEngine(
                analysis.privilege,
                fresh_age=analysis.fresh_mfa_age_seconds,
                stale_age=analysis.stale_mfa_age_seconds,
                max_age=analysis.max_mfa_age_seconds,
            )
        return AccessModel(self.snapshot, self.privilege, engine, self.partition)

    @property
    def root_arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:root"

    @cached_property
    def users_by_name(self) -> dict[str, UserFacts]:
        return {facts.name: facts for facts in self.users}

    @cached_property
    def report_age_hours(self) -> float | None:
        report = self.snapshot.credential_report
        if report is None:
            return None
        return (self.snapshot.collected_at - report.generated_time).total_seconds() / 3600

    @property
    def report_is_stale(self) -> bool:
        age = self.report_age_hours
        return age is not None and age > self.config.analysis.credential_report_max_age_hours

    @cached_property
    def root_devices(self) -> tuple[VirtualMfaDevice, ...]:
        """The virtual MFA devices assigned to root (``is_root_device``), found once."""
        return tuple(d for d in self.snapshot.virtual_mfa_devices if self.is_root_device(d))

    def is_root_device(self, device: VirtualMfaDevice) -> bool:
        """Assigned to root (ListVirtualMFADevices' ``User.Arn``, any partition), not named so.

        ``root-account-mfa-device`` is only the console's old default name: any IAM user may
        name a device so, and root's devices may have any name.
        """
        return (
            device.user_arn is not None
            and _root_arn(self.account_id).fullmatch(device.user_arn) is not None
        )


def _root_arn(account_id: str) -> re.Pattern[str]:
    return re.compile(rf"arn:aws(?:-[a-z]+)*:iam::{re.escape(account_id)}:root")


def account_partition(snapshot: Snapshot) -> str:
    """The partition of the first ARN of the account's own principals and report rows."""
    report = snapshot.credential_report
    arns = itertools.chain(
        (snapshot.caller_arn or "",),
        (p.arn for kind in (snapshot.users, snapshot.groups, snapshot.roles) for p in kind),
        (row.arn for row in (report.rows if report is not None else ())),
    )
    for arn in arns:
        parts = arn.split(":", 2)
        if len(parts) == 3 and parts[0] == "arn" and parts[1].startswith("aws"):
            return parts[1]
    return "aws"


def build_context(
    snapshot: Snapshot, config: AuditorConfig, now: datetime, privilege: PrivilegeIndex
) -> AnalysisContext:
    """Join users, credential-report rows and virtual devices; record the mismatches as notes."""
    devices: dict[str, list[VirtualMfaDevice]] = defaultdict(list)
    for device in snapshot.virtual_mfa_devices:
        if device.user_arn:
            devices[device.user_arn].append(device)
    listed = {entry.user_name: entry for entry in snapshot.user_mfa_devices}
    rows = [] if snapshot.credential_report is None else snapshot.credential_report.rows
    report_rows = {row.user: row for row in rows if not row.is_root}
    users = {user.name: user for user in snapshot.users}
    joined = _outer_join(list(users), list(report_rows))
    authz_complete = snapshot.gap_for(CollectionSource.AUTHORIZATION_DETAILS) is None
    facts: list[UserFacts] = []
    deleted: list[str] = []
    created: list[str] = []
    for name, in_authz, in_report in joined:
        user = users.get(name) if in_authz else None
        row = report_rows.get(name) if in_report else None
        if user is None and authz_complete:
            deleted.append(name)
            continue
        if row is None and snapshot.credential_report is not None:
            created.append(name)
        arn = user.arn if user else row.arn if row else ""
        facts.append(UserFacts(name, arn, user, row, tuple(devices.get(arn, ())), listed.get(name)))
    members: dict[str, list[str]] = defaultdict(list)
    for item in facts:
        for group in item.groups:
            members[group].append(item.name)
    notes = list(snapshot.notes)
    notes.extend(_mismatch_notes(snapshot, config, created, deleted))
    return AnalysisContext(
        snapshot=snapshot,
        config=config,
        now=now,
        privilege=privilege,
        users=tuple(facts),
        deleted_users=tuple(deleted),
        group_members={group: tuple(names) for group, names in members.items()},
        notes=tuple(notes),
    )


def _outer_join(authz_names: list[str], report_names: list[str]) -> list[tuple[str, bool, bool]]:
    """``(name, in_authz, in_report)`` for every user either source knows, sorted by name.

    Two sets and one sort: at 50,000 users a pandas outer merge took ten times as long."""
    authz, report = set(authz_names), set(report_names)
    return [(name, name in authz, name in report) for name in sorted(authz | report)]


def _mismatch_notes(
    snapshot: Snapshot, config: AuditorConfig, created: list[str], deleted: list[str]
) -> list[str]:
    notes: list[str] = []
    report = snapshot.credential_report
    if report is None:
        return notes
    generated = report.generated_time.strftime("%Y-%m-%d %H:%M UTC")
    age = (snapshot.collected_at - report.generated_time).total_seconds() / 3600
    limit = config.analysis.credential_report_max_age_hours
    if age > limit:
        notes.append(
            f"The credential report was generated {generated}, {age:.1f} hours before the rest "
            f"of the snapshot (limit {limit:g} h): MFA and password facts may be out of date; "
            "regenerate it (IAM console → Credential report) and collect again."
        )
    if created:
        notes.append(
            f"{len(created)} user(s) are not in the credential report generated {generated} "
            f"(created after it?): {names(created)}; their MFA status is reported as unknown."
        )
    if deleted:
        notes.append(
            f"{len(deleted)} user(s) in the credential report no longer exist in the "
            f"authorization details (deleted after {generated}?): {names(deleted)}; "
            "they were not evaluated."
        )
    return notes


def names(items: Iterable[str], limit: int = 10) -> str:
    """``a, b, c and 4 more``: the first ``limit`` names, the rest counted."""
    listed = list(items)
    shown = ", ".join(listed[:limit])
    return shown if len(listed) <= limit else f"{shown} and {len(listed) - limit} more"
