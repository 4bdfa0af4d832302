"""Which MFA devices each user and root hold, and whether Organizations manages root centrally.

Records only (no AWS, no pandas), kept out of ``auditor.models`` so the device work merges
cleanly; ``auditor.models`` re-exports ``MfaDeviceKind`` and the ``Snapshot`` holds the rest.

A device's kind follows from its serial number alone (IAM User Guide, "Assign an MFA device"
and the ``ListMFADevices`` API reference): a virtual device's serial is an ARN
``arn:aws:iam::<account>:mfa/<name>``, a FIDO security key or passkey's an ARN with ``:u2f/``,
and a hardware TOTP token's the plain serial printed on the token (``GAHT12345678``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class MfaDeviceKind(str, enum.Enum):
    """One device's type as reports show it (``fido;virtual`` in CSV)."""

    VIRTUAL = "virtual"
    """An authenticator app (TOTP): phishable, a code can be relayed."""
    FIDO = "fido"
    """A FIDO2 security key or passkey: phishing-resistant (bound to the sign-in origin)."""
    HARDWARE = "hardware"
    """A hardware TOTP token: a physical device, but its six digits can be phished."""
    HARDWARE_OR_FIDO = "hardware_or_fido"
    """An enabled device that is not virtual, from inputs without a per-user device list (AWS
    CLI exports, version-1 snapshots): which of the two it is cannot be known there."""
    UNKNOWN = "unknown"
    """``ListMFADevices`` was refused or failed for this user: the devices are not known."""


PHISHABLE_KINDS = frozenset({MfaDeviceKind.VIRTUAL, MfaDeviceKind.HARDWARE})
"""Kinds whose one-time codes a phishing site can relay (CISA, NIST SP 800-63B AAL3)."""


DEVICE_TYPES_SEPARATOR = ";"
"""``fido;virtual``: device types are tokens, so CSV joins them without spaces."""


def device_types_text(kinds: tuple[MfaDeviceKind, ...] | tuple[str, ...]) -> str:
    """The CSV cell for a principal's device types (``users.csv``, ``principals.csv``)."""
    return DEVICE_TYPES_SEPARATOR.join(
        kind.value if isinstance(kind, MfaDeviceKind) else kind for kind in kinds
    )


def kind_of_serial(serial_number: str) -> MfaDeviceKind:
    """``fido`` for ``arn:…:u2f/…``, ``virtual`` for another ARN (``:mfa/``), else ``hardware``."""
    if not serial_number.startswith("arn:"):
        return MfaDeviceKind.HARDWARE
    resource = serial_number.split(":", 5)[-1]
    return MfaDeviceKind.FIDO if resource.startswith("u2f/") else MfaDeviceKind.VIRTUAL


@dataclass(frozen=True)
class MfaDevice:
    serial_number: str
    kind: MfaDeviceKind
    enable_date: datetime | None = None


@dataclass(frozen=True)
class UserMfaDevices:
    """One user's devices, as far as the collection could tell.

    ``listed`` says ``ListMFADevices`` answered for this user, so ``devices`` is all of them;
    otherwise ``devices`` are its assigned virtual devices (``ListVirtualMFADevices``) and the
    collector judged that no call could change the answer (see ``auditor.collector.mfa_lookup``).
    ``unknown_reason`` is set when the call was refused or failed: the user then holds its
    virtual devices (if any) and possibly others nobody could read.
    """

    user_name: str
    user_arn: str
    devices: tuple[MfaDevice, ...] = ()
    listed: bool = False
    unknown_reason: str = ""

    @property
    def kinds(self) -> tuple[MfaDeviceKind, ...]:
        """Each device's kind, sorted (``fido, virtual``), plus ``unknown`` if not all known."""
        kinds = sorted((device.kind for device in self.devices), key=lambda kind: kind.value)
        if self.unknown_reason:
            kinds.append(MfaDeviceKind.UNKNOWN)
        return tuple(kinds)


class RootManagement(str, enum.Enum):
    """What ``iam:ListOrganizationsFeatures`` said about centralized root access."""

    CENTRAL = "central"
    """``RootCredentialsManagement`` is enabled for the organization, and this is a member
    account (the management account's own root is never managed centrally)."""
    NOT_ENABLED = "not_enabled"
    """An organization without ``RootCredentialsManagement`` (or without all features, or
    without IAM's trusted access)."""
    MANAGEMENT_ACCOUNT = "management_account"
    """The call succeeded from this account: it is the management or a delegated administrator
    account, whose root central management does not cover or cannot be confirmed to."""
    NOT_IN_ORGANIZATION = "not_in_organization"
    NOT_ANSWERED_HERE = "not_answered_here"
    """``AccountNotManagementOrDelegatedAdministrator``: only the management account can tell."""
    DENIED = "denied"
    """The caller may not call ``iam:ListOrganizationsFeatures``, or it failed."""


@dataclass(frozen=True)
class OrganizationFeatures:
    """``ListOrganizationsFeatures`` as this account's audit saw it (or the org run passed on)."""

    management: RootManagement
    organization_id: str | None = None
    enabled_features: tuple[str, ...] = ()
    reason: str = ""
    """Why the answer is not ``central``/``not_enabled`` (the error AWS gave), for the note."""


@dataclass(frozen=True)
class RootCredentials:
    """Root's credentials as read inside an ``sts:AssumeRoot`` session (``IAMAuditRootUser
    Credentials``, read-only): only ``scan --org --audit-member-roots`` collects this."""

    password: bool
    access_keys: int
    signing_certificates: int
    devices: tuple[MfaDevice, ...]

    @property
    def kinds(self) -> tuple[MfaDeviceKind, ...]:
        return tuple(sorted((device.kind for device in self.devices), key=lambda k: k.value))
