"""Exact MFA device types: ``iam:ListMFADevices`` only for the users whose answer it can change.

``ListVirtualMFADevices`` (one account-wide listing) already names every virtual device and its
user. A per-user ``ListMFADevices`` call adds something only for

(a) users whose credential-report row says ``mfa_active`` but who hold no assigned virtual device:
    their device is a FIDO key or a hardware TOTP token, and only this call tells which; and
(b) users who hold a virtual device, have a console password, and *may* be privileged: beside the
    virtual device they may hold a FIDO key, which decides ``privileged_user_phishable_mfa``.

The collector has no policy engine, so "may be privileged" is over-inclusive and cheap: the user
belongs to a group, holds an attached or inline policy, or is named by ARN in some role's trust
policy (a same-account trust naming a user lets it assume the role without any policy of its
own; a trust of ``"*"`` counts for every user). A user with none of these can reach nothing,
so no call could change its verdict. Calls per scan: the account-wide ones plus ``|a| + |b|``,
never one per user of the account. A user not in the credential report (created after it)
counts as a console user in (b); a missing device listing makes every ``mfa_active`` user an (a).

The calls run on a bounded pool (``collector.mfa_device_workers``, default 8) over the same
client, whose adaptive retry mode paces them under IAM's per-account throttling. A refusal stops
further calls (the next would be refused too) and leaves those users' types ``unknown``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import error_code, fatal_error, gap_reason, is_access_denied
from auditor.collector.fields import Fields
from auditor.collector.paging import iam_pages
from auditor.collector.transport import EndpointError
from auditor.errors import CollectionError, InputError
from auditor.mfa_devices import MfaDevice, MfaDeviceKind, UserMfaDevices, kind_of_serial
from auditor.models import (
    CollectionGap,
    CollectionSource,
    CredentialReport,
    Role,
    User,
    VirtualMfaDevice,
)

OPERATION = "iam:ListMFADevices"


@dataclass(frozen=True)
class DeviceLookup:
    """Every user's devices, the gap if some could not be read, and how many calls were made."""

    users: tuple[UserMfaDevices, ...]
    gap: CollectionGap | None
    calls: int
    looked_up: tuple[str, ...] = field(default=())


EVERYONE = "*"
"""Stands in the trusted set when some trust policy names ``"*"`` (any principal): then every
user may assume that role, and every user may be privileged."""


def trusted_user_arns(roles: Iterable[Role]) -> frozenset[str]:
    """Every ``…:user/…`` ARN string anywhere in a role's trust policy (``*`` if one trusts
    everyone: ``"Principal": "*"`` or ``{"AWS": "*"}``)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if ":user/" in value or value == EVERYONE:
                found.add(value)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for role in roles:
        walk(role.trust_policy)
    return frozenset(found)


def may_be_privileged(user: User | None, trusted: frozenset[str]) -> bool:
    """Over-inclusive: anything that could grant the user an action (``None``: unknown user)."""
    if user is None or EVERYONE in trusted:
        return True
    return bool(
        user.groups or user.inline_policies or user.attached_policies or user.arn in trusted
    )


def select_users(
    users: tuple[User, ...],
    roles: tuple[Role, ...],
    report: CredentialReport | None,
    virtual: tuple[VirtualMfaDevice, ...] | None,
) -> list[str]:
    """The users (a) and (b) of the module docstring, sorted by name."""
    holders = {device.user_arn for device in virtual or () if device.user_arn}
    trusted = trusted_user_arns(roles)
    by_name = {user.name: user for user in users}
    names = set(by_name) | {row.user for row in (report.rows if report else ()) if not row.is_root}
    chosen = []
    for name in sorted(names):
        user = by_name.get(name)
        row = report.for_user(name) if report is not None else None
        arn = user.arn if user is not None else row.arn if row is not None else ""
        holds_virtual = arn in holders
        if row is not None and row.mfa_active and not holds_virtual:
            chosen.append(name)  # (a)
        elif (
            holds_virtual
            and (row is None or row.password_enabled is not False)
            and may_be_privileged(user, trusted)
        ):
            chosen.append(name)  # (b)
    return chosen


def lookup_devices(
    iam: Any,
    profile: str | None,
    users: tuple[User, ...],
    roles: tuple[Role, ...],
    report: CredentialReport | None,
    virtual: tuple[VirtualMfaDevice, ...] | None,
    *,
    workers: int,
) -> DeviceLookup:
    """Every user's ``UserMfaDevices``: listed for the selected users, virtual-only for the rest."""
    chosen = select_users(users, roles, report, virtual)
    refused = threading.Event()
    refusal: list[str] = []
    calls = 0
    lock = threading.Lock()

    def one(name: str) -> tuple[tuple[MfaDevice, ...] | None, str]:
        nonlocal calls
        if refused.is_set():
            return None, refusal[0]
        with lock:
            calls += 1
        try:
            return read_user_devices(iam, name), ""
        except (ClientError, BotoCoreError) as error:
            fatal = fatal_error(error, profile)
            if fatal is not None:
                raise fatal from None
            if isinstance(error, ClientError) and error_code(error) == "NoSuchEntity":
                return None, "the user no longer exists (deleted during the collection?)"
            reason = gap_reason(error, OPERATION)
            if is_access_denied(error):
                with lock:
                    refusal.append(reason)
                refused.set()
            return None, reason
        except EndpointError:
            raise  # the endpoint is unreachable or not AWS: fatal for the whole collection
        except (CollectionError, InputError) as error:
            return None, f"{OPERATION}: {error}"

    answers: dict[str, tuple[tuple[MfaDevice, ...] | None, str]] = {}
    if chosen:
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="mfa") as pool:
            answers = dict(zip(chosen, pool.map(one, chosen), strict=True))
    records = _records(users, report, virtual, answers)
    failed = sorted(name for name, (_, reason) in answers.items() if reason)
    gap = None
    if failed:
        reason = answers[failed[0]][1]
        gap = CollectionGap(
            CollectionSource.MFA_DEVICES.value,
            f"{OPERATION} could not be read for {len(failed)} user(s) ({short_names(failed)}): "
            f"{reason}; their MFA device types are reported as unknown",
        )
    return DeviceLookup(users=records, gap=gap, calls=calls, looked_up=tuple(chosen))


def short_names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"


def read_user_devices(iam: Any, name: str | None) -> tuple[MfaDevice, ...]:
    """Every device of one user (IAM allows 8; one page), kinds from the serials. ``None``:
    the caller's own devices (root's, inside a root session)."""
    devices: list[MfaDevice] = []
    params = {} if name is None else {"UserName": name}
    for index, page in enumerate(iam_pages(iam.list_mfa_devices, OPERATION, **params)):
        for device in Fields(page, f"ListMFADevices({name or 'caller'}) page {index + 1}").records(
            "MFADevices"
        ):
            serial = device.text("SerialNumber")
            devices.append(
                MfaDevice(serial, kind_of_serial(serial), device.optional_datetime("EnableDate"))
            )
    return tuple(devices)


def _records(
    users: tuple[User, ...],
    report: CredentialReport | None,
    virtual: tuple[VirtualMfaDevice, ...] | None,
    answers: Mapping[str, tuple[tuple[MfaDevice, ...] | None, str]],
) -> tuple[UserMfaDevices, ...]:
    by_arn: dict[str, list[MfaDevice]] = {}
    for device in virtual or ():
        if device.user_arn:
            by_arn.setdefault(device.user_arn, []).append(
                MfaDevice(device.serial_number, MfaDeviceKind.VIRTUAL, device.enable_date)
            )
    arns = {user.name: user.arn for user in users}
    for row in report.rows if report else ():
        if not row.is_root:
            arns.setdefault(row.user, row.arn)
    records = []
    for name in sorted(arns):
        arn = arns[name]
        known = tuple(by_arn.get(arn, ()))
        if name not in answers:
            records.append(UserMfaDevices(name, arn, known))
            continue
        listed, reason = answers[name]
        if listed is None:
            records.append(UserMfaDevices(name, arn, known, unknown_reason=reason))
        else:
            records.append(UserMfaDevices(name, arn, listed, listed=True))
    return tuple(records)
