"""One group of actions (matched by the same statements) decided in every context.

A lean pass ranks the decision in all five contexts (the four of ``RequestContext`` and the
"MFA older than max age" probe); the deciding statements, which cost more to assemble, are
then worked out by ``evaluate.decide`` only for the contexts that explain the verdict. A
permissions boundary caps each context's decision ("Permissions boundaries for IAM
entities": an action must be allowed by both).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from auditor.models import MfaEnforcement
from auditor.policy.conditions import Tri
from auditor.policy.evaluate import ANY_RESOURCE, Entry, Outcome, covers, decide
from auditor.policy.types import ActionAssessment, Decision
from auditor.policy.verdict import (
    CONTEXTS,
    PROBE,
    context_label,
    refs_for,
    relevant_contexts,
    trap_for,
    verdict_of,
)

if TYPE_CHECKING:
    from auditor.policy.principal import Member


def assess_group(
    chosen: Sequence[Member],
    has_boundary: bool,
    carved: tuple[Entry, ...],
    age_label: str,
    drop_unless_gap: bool = False,
) -> ActionAssessment | None:
    """None when the actions are not privileged-allowed; ``drop_unless_gap`` for MFA removal
    on the caller's own user, which only matters when it works without MFA.

    Decisions come first from a lean pass over all five contexts; the deciding statements
    are then worked out (by ``evaluate.decide``) only for the contexts that explain the
    verdict."""
    identity = _Side([m for m in chosen if not m.boundary])
    boundary = _Side([m for m in chosen if m.boundary]) if has_boundary else None
    ranks = []
    for context in range(PROBE + 1):
        rank = identity.rank(context)
        if boundary is not None:
            rank = min(rank, boundary.rank(context))
        ranks.append(rank)
    decisions = {ctx: _DECISIONS[ranks[i]] for i, ctx in enumerate(CONTEXTS)}
    verdict = verdict_of(decisions, _DECISIONS[ranks[PROBE]])
    if verdict is MfaEnforcement.NOT_APPLICABLE:
        return None
    if drop_unless_gap and verdict.rank <= MfaEnforcement.AGE_UNBOUNDED.rank:
        return None
    relevant: list[tuple[str, tuple[tuple[Entry, str], ...]]] = []
    for index in relevant_contexts(verdict):
        side = identity
        if boundary is not None and boundary.rank(index) < identity.rank(index):
            side = boundary
        relevant.append((context_label(index, age_label), side.outcome(index).deciding))
    allowing = [entry for _, deciding in relevant[:1] for entry, _ in deciding]
    denies = [m.entry for m in identity.denies]
    return ActionAssessment(
        action="",
        decisions=decisions,
        verdict=verdict,
        deciding=refs_for(relevant),
        trap=trap_for(verdict, allowing, denies, carved),
    )


_DECISIONS = (Decision.DENIED, Decision.CONDITIONAL, Decision.ALLOWED)


class _Side:
    """The identity policies (or the boundary) of one group, decided in any context.

    Which Deny covers which Allow is worked out once; ``rank`` is the lean decision
    (0 denied, 1 conditional, 2 allowed), ``outcome`` the full one with its reasons."""

    def __init__(self, members: Sequence[Member]) -> None:
        self.members = members
        self.denies = [m for m in members if not m.is_allow]
        # An Allow with "NotResource": "*" reaches nothing (evaluate.resource_applies).
        self.allows = [
            m
            for m in members
            if m.is_allow
            and not (m.entry.statement.not_resource and "*" in m.entry.statement.resources)
        ]
        self.cover = [
            [d for d in self.denies if covers(d.entry.statement, a.entry.statement)]
            for a in self.allows
        ]
        self._ranks: dict[int, int] = {}
        self._outcomes: dict[tuple[Tri, ...], Outcome] = {}

    def rank(self, context: int) -> int:
        cached = self._ranks.get(context)
        if cached is not None:
            return cached
        result = 0
        for allow, blockers in zip(self.allows, self.cover, strict=True):
            met = allow.conditions[context]
            if met is False:
                continue
            blocked: Tri = False
            for deny in blockers:
                applies = deny.conditions[context]
                if applies is True:
                    blocked = True
                    break
                if applies is None:
                    blocked = None
            if blocked is True:
                continue
            if met is True and blocked is False:
                result = 2
                break
            result = 1
        self._ranks[context] = result
        return result

    def outcome(self, context: int) -> Outcome:
        vector = tuple(m.conditions[context] for m in self.members)
        cached = self._outcomes.get(vector)
        if cached is None:
            table = {m.entry.order: m.conditions[context] for m in self.members}
            reach = {
                a.entry.order: [d.entry for d in c]
                for a, c in zip(self.allows, self.cover, strict=True)
            }
            cached = decide(
                [m.entry for m in self.members if m.is_allow],
                [m.entry for m in self.denies],
                lambda e: table[e.order],
                ANY_RESOURCE,
                _no_lookup,
                coverage=reach,
            )
            self._outcomes[vector] = cached
        return cached


def _no_lookup(_key: str) -> None:
    return None
