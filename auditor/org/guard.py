"""The read-only guard for the org runner's own clients (Organizations and STS).

The same botocore hooks as the collector's guard (``auditor.collector.guard``), with an allow-list
of the collector's reads plus exactly the calls the runner makes itself, so no client made by this
package can ever send a write.
"""

from __future__ import annotations

from botocore.client import BaseClient

from auditor.collector.guard import ALLOWED_OPERATIONS, install_read_only_guard

ORG_OPERATIONS: frozenset[str] = frozenset(
    {"organizations:ListAccounts", "sts:AssumeRole", "sts:GetCallerIdentity"}
)
"""Every call the org runner sends itself; the collector makes the per-account reads."""

ORG_ALLOWED: frozenset[str] = ALLOWED_OPERATIONS | ORG_OPERATIONS
"""The allow-list of every client this package makes."""


def install_org_guard(client: BaseClient) -> None:
    """Refuse, before sending, any call not on the collector's list or in ``ORG_OPERATIONS``."""
    install_read_only_guard(client, ORG_ALLOWED)
