"""The read-only guard for the org runner's own clients (Organizations and STS).

The collector's guard (``auditor.collector.guard``) is used whenever its allow-list covers the
three calls made here. Until it does, an equivalent guard with the collector's allow-list plus
exactly these calls is installed instead, with the same two botocore hooks, so no client made by
this package can ever send a write either way.
"""

from __future__ import annotations

from typing import Any

from botocore.client import BaseClient

from auditor.collector.guard import ALLOWED_OPERATIONS, install_read_only_guard
from auditor.errors import ReadOnlyViolation

ORG_OPERATIONS: frozenset[str] = frozenset(
    {"organizations:ListAccounts", "sts:AssumeRole", "sts:GetCallerIdentity"}
)
"""Every call the org runner sends itself; the collector makes the per-account reads."""

_GUARD_ID = "mfa-auditor-org-read-only-guard"


def install_org_guard(client: BaseClient) -> None:
    """Refuse, before sending, any call not on the collector's list or in ``ORG_OPERATIONS``."""
    if ORG_OPERATIONS <= ALLOWED_OPERATIONS:
        install_read_only_guard(client)
        return
    allowed = ALLOWED_OPERATIONS | ORG_OPERATIONS
    prefix = client.meta.service_model.signing_name

    def check(operation_name: str) -> None:
        qualified = f"{prefix}:{operation_name}"
        if qualified not in allowed:
            raise ReadOnlyViolation(
                f"refused to send {qualified}: mfa-auditor only reads, and this operation is "
                "not on its allow-list",
                hint="this is a bug in mfa-auditor; please report it",
            )

    def on_params(model: Any = None, **_: Any) -> None:
        check(str(getattr(model, "name", "<unknown>")))

    def on_sign(operation_name: str = "<unknown>", **_: Any) -> None:
        check(operation_name)

    events = client.meta.events
    events.register_first("provide-client-params", on_params, unique_id=f"{_GUARD_ID}-params")
    events.register_first("before-sign", on_sign, unique_id=f"{_GUARD_ID}-sign")
