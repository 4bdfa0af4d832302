"""Frozen records for the sample company, validated once by ``auditor.demo.loader``.

The seeder, ``apply_demo_root`` and the analyzer's demo tests all read these instead of the YAML,
so a typo in the data file is caught when it is loaded, not half-way through seeding moto.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditor.config import Exemption
from auditor.errors import AuditorError
from auditor.models import InlinePolicy, PolicyDocument

AWS_MANAGED_POLICY_PREFIX = "arn:aws:iam::aws:policy/"


class DemoError(AuditorError):
    """The demo could not run: moto missing or refusing a call, or a non-emulated endpoint."""


class RootMfa(str, enum.Enum):
    NONE = "none"
    VIRTUAL = "virtual"
    HARDWARE = "hardware"


@dataclass(frozen=True)
class DemoRoot:
    """Root's credentials as the data file declares them (moto has no root user to seed)."""

    created: datetime
    mfa: RootMfa
    mfa_serial: str | None
    """The virtual device's serial (``arn:aws:iam::<account>:mfa/...``); ``None`` otherwise."""
    mfa_enabled: datetime | None
    password_last_used: datetime | None
    """``None`` means never used (the report's ``no_information``)."""
    access_keys: tuple[bool, ...] = ()
    """One entry per access key: ``True`` when active."""


@dataclass(frozen=True)
class DemoPolicy:
    """A customer-managed policy, referenced by name from ``attach:`` lists."""

    name: str
    path: str
    description: str
    document: PolicyDocument


@dataclass(frozen=True)
class DemoGroup:
    name: str
    path: str
    attached: tuple[str, ...]
    """Policy ARNs (AWS-managed) or customer-managed policy names, in file order."""
    inline: tuple[InlinePolicy, ...] = ()


@dataclass(frozen=True)
class DemoUser:
    name: str
    path: str
    groups: tuple[str, ...]
    console: bool
    """Has a password (login profile)."""
    virtual_mfa: bool
    access_keys: tuple[bool, ...]
    """One entry per access key: ``True`` when active."""
    attached: tuple[str, ...] = ()
    inline: tuple[InlinePolicy, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    other_mfa: tuple[str, ...] = ()
    """Non-virtual devices, ``fido`` or ``hardware``, seeded by their serials (``mfa:
    virtual+fido`` in the data file): moto's EnableMFADevice accepts any serial."""

    @property
    def has_mfa(self) -> bool:
        return self.virtual_mfa or bool(self.other_mfa)

    def device_serial(self, account_id: str, kind: str) -> str:
        """A FIDO key's ARN (``u2f/user/<name>/…``, as IAM writes it) or a token's serial."""
        if kind == "fido":
            return f"arn:aws:iam::{account_id}:u2f/user/{self.name}/{self.name}-key"
        digits = sum(ord(char) * (index + 1) for index, char in enumerate(self.name))
        return f"GAHT{digits:08d}"


@dataclass(frozen=True)
class DemoRole:
    name: str
    path: str
    description: str
    trust: PolicyDocument
    attached: tuple[str, ...] = ()
    inline: tuple[InlinePolicy, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpectedGap:
    """One gap the demo is designed to show: the rule that must report it, and for whom."""

    rule_id: str
    principal: str
    group: str = ""


@dataclass(frozen=True)
class DemoAccount:
    """The whole sample company; ``origin`` is the data file it came from (named in errors)."""

    origin: str
    account_id: str
    alias: str | None
    password_policy: Mapping[str, Any] | None
    root: DemoRoot
    policies: tuple[DemoPolicy, ...]
    groups: tuple[DemoGroup, ...]
    users: tuple[DemoUser, ...]
    roles: tuple[DemoRole, ...]
    unassigned_mfa_devices: tuple[str, ...]
    """Device names; the serial is ``arn:aws:iam::<account>:mfa/<name>``."""
    exemptions: tuple[Exemption, ...] = ()
    """Accepted risks in the config's format; ``--demo`` runs add them to the config."""
    expected_gaps: tuple[ExpectedGap, ...] = ()

    @property
    def root_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"

    def policy_arn(self, reference: str) -> str:
        """The ARN for an ``attach:`` entry (AWS-managed ARNs are returned unchanged)."""
        if reference.startswith(AWS_MANAGED_POLICY_PREFIX):
            return reference
        policy = next(p for p in self.policies if p.name == reference)
        return f"arn:aws:iam::{self.account_id}:policy{policy.path}{policy.name}"

    def mfa_serial(self, device_name: str) -> str:
        return f"arn:aws:iam::{self.account_id}:mfa/{device_name}"

    def user(self, name: str) -> DemoUser | None:
        return next((user for user in self.users if user.name == name), None)
