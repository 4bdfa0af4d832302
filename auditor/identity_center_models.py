"""Frozen records of IAM Identity Center as the collector reads it (snapshot schema version 2).

Kept out of ``auditor.models`` to keep that module's merges small; ``Snapshot.identity_center``
holds one ``IdentityCenterData``. Nothing here comes from an MFA API, because there is none:
``sso-admin`` and ``identitystore`` expose users, groups, permission sets and assignments, never
the instance's MFA setting or a user's devices. So these records say *who holds what*; whether
those people use MFA is decided by Identity Center (or its external IdP) and verified elsewhere.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RESERVED_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/"
"""Path prefix of the roles Identity Center creates in each assigned account; a region segment
follows unless the instance is in us-east-1 (IAM Identity Center User Guide, "Referencing
permission sets in resource policies, Amazon EKS, and AWS KMS")."""
_RESERVED_ROLE_NAME = re.compile(r"AWSReservedSSO_(?P<set>.+)_(?P<suffix>[0-9a-fA-F]{16})")


def reserved_role_permission_set(name: str, path: str) -> str | None:
    """The permission set name of an ``AWSReservedSSO_<set>_<suffix>`` role, else ``None``."""
    if not path.startswith(RESERVED_ROLE_PATH):
        return None
    match = _RESERVED_ROLE_NAME.fullmatch(name)
    return match.group("set") if match else None


class IdentityCenterStatus(str, enum.Enum):
    """What the collector could say about Identity Center in the audited account."""

    COLLECTED = "collected"
    NO_INSTANCE = "no_instance"
    """``ListInstances`` answered with no instance: a fact about the account and region."""
    SKIPPED = "skipped"
    """Skipped on purpose (``--no-identity-center``); no verdict is given, none is implied."""
    FAILED = "failed"
    """A read was refused or failed; a ``CollectionGap`` (``identity_center``) says which."""


@dataclass(frozen=True)
class IdentityCenterUser:
    user_id: str
    user_name: str
    display_name: str = ""
    external_id_issuers: tuple[str, ...] = ()
    """Issuers of the user's ``ExternalIds`` (set when an external system provisions it)."""
    user_arn: str = ""
    """``UserArn`` (``arn:aws:identitystore:::user/<id>``) when the API gives it."""
    enabled: bool = True
    """``UserStatus`` is not ``DISABLED``: a disabled user cannot sign in."""


@dataclass(frozen=True)
class IdentityCenterGroup:
    group_id: str
    display_name: str
    member_ids: tuple[str, ...] = ()
    """User ids of the direct members (``ListGroupMemberships``)."""


@dataclass(frozen=True)
class CustomerPolicyRef:
    """A customer-managed policy named by a permission set: resolved by name and path in each
    assigned account, which must hold a policy of that name."""

    name: str
    path: str = "/"


@dataclass(frozen=True)
class ManagedPolicyRef:
    arn: str
    name: str


@dataclass(frozen=True)
class PermissionSet:
    arn: str
    name: str
    description: str = ""
    session_duration: str = ""
    managed_policies: tuple[ManagedPolicyRef, ...] = ()
    inline_policy: Mapping[str, Any] | None = None
    """The decoded inline policy; ``None`` when the set has none (or it was unreadable)."""
    customer_policies: tuple[CustomerPolicyRef, ...] = ()
    boundary_policy_arn: str | None = None
    boundary_customer_policy: CustomerPolicyRef | None = None
    provisioned_accounts: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    """What of this set could not be read, one sentence each (the gap says the same)."""

    @property
    def id(self) -> str:
        """``ps-…``: the last part of the ARN, used in export file names."""
        return self.arn.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class AccountAssignment:
    account_id: str
    permission_set_arn: str
    principal_type: str
    """``USER`` or ``GROUP``."""
    principal_id: str


@dataclass(frozen=True)
class IdentityCenterData:
    status: IdentityCenterStatus
    region: str = ""
    instance_arn: str = ""
    identity_store_id: str = ""
    owner_account_id: str = ""
    users: tuple[IdentityCenterUser, ...] = ()
    groups: tuple[IdentityCenterGroup, ...] = ()
    permission_sets: tuple[PermissionSet, ...] = ()
    assignments: tuple[AccountAssignment, ...] = ()
    reason: str = ""
    """Why it was skipped, or the plain fact when no instance exists."""
    read_from_account: str = ""
    """The account the data was read from (the management or delegated administrator account
    in an organization run, where one read serves every member account)."""

    def permission_set(self, arn: str) -> PermissionSet | None:
        return next((p for p in self.permission_sets if p.arn == arn), None)
