"""Where Identity Center answers come from: the live API or a folder of CLI outputs.

Both implement ``Source.fetch``; the readers in ``identity_center_read`` and
``identity_center_sets`` never know which one they are talking to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from auditor.collector.fields import Fields
from auditor.models import CollectionSource

LIST_KEYS: dict[str, str | None] = {
    "ListInstances": "Instances",
    "ListUsers": "Users",
    "ListGroups": "Groups",
    "ListGroupMemberships": "GroupMemberships",
    "ListPermissionSets": "PermissionSets",
    "DescribePermissionSet": None,
    "ListManagedPoliciesInPermissionSet": "AttachedManagedPolicies",
    "GetInlinePolicyForPermissionSet": None,
    "ListCustomerManagedPolicyReferencesInPermissionSet": "CustomerManagedPolicyReferences",
    "GetPermissionsBoundaryForPermissionSet": None,
    "ListAccountsForProvisionedPermissionSet": "AccountIds",
    "ListAccountAssignments": "AccountAssignments",
}
"""Every operation read, and the list its pages carry (``None``: a single answer)."""
IDENTITY_STORE_OPERATIONS = frozenset({"ListUsers", "ListGroups", "ListGroupMemberships"})
SOURCE = CollectionSource.IDENTITY_CENTER.value


class ReadFailed(Exception):
    """A read was refused or failed; ``reason`` is the sentence for the gap."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotFound(Exception):
    """``ResourceNotFoundException``: for the boundary read, a set without a boundary."""


class Source(Protocol):
    def fetch(self, operation: str, **params: str) -> Mapping[str, Any]:
        """The answer (every page merged into ``LIST_KEYS[operation]``); raises ``ReadFailed``,
        ``NotFound`` or ``InputError``; anything fatal (credentials, endpoint) propagates."""
        ...


def records(answer: Mapping[str, Any], key: str, where: str) -> list[Fields]:
    return list(Fields(answer, where).records(key))
