"""``Member`` and ``Pseudo``: the records a principal assessment works on.

Their own module so that ``principal`` (the whole set) and ``group`` (one group of actions)
can both use them without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping

from auditor.policy.conditions import MFA_KEYS, Tri
from auditor.policy.entry import Entry
from auditor.records import record


class Member:
    """One statement of the set, with its per-context condition results precomputed."""

    __slots__ = (
        "boundary",
        "conditions",
        "entry",
        "extra",
        "identity",
        "is_allow",
        "matched",
        "mfa_not_action",
        "self_scoped",
    )

    def __init__(
        self,
        entry: Entry,
        conditions: tuple[Tri, ...],
        matched: frozenset[int],
        self_scoped: bool,
        boundary: bool = False,
        extra: Mapping[str, str | None] | None = None,
    ) -> None:
        statement = entry.statement
        self.entry = entry
        self.extra: Mapping[str, str | None] = extra or {}
        """Principal context keys ``conditions`` were evaluated with (for extra age probes)."""
        self.conditions = conditions
        self.matched = matched
        self.self_scoped = self_scoped
        self.boundary = boundary
        self.is_allow = statement.is_allow
        self.identity = (entry.policy_name, id(statement), boundary)
        """Stable across principals: the engine keeps every parsed statement alive."""
        self.mfa_not_action = (
            not self.is_allow
            and statement.not_action
            and not boundary
            and any(c.key in MFA_KEYS for c in statement.conditions)
        )


@record
class Pseudo:
    """An action outside the privileged index: unknown to the database, or a pattern granted
    by a policy that is privileged by attachment (``PrivilegeSettings.privileged_policy_arns``)."""

    name: str
    unknown: bool
