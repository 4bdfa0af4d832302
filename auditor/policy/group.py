"""One group of actions (matched by the same statements) decided in every context.

A lean pass ranks the decision in all six contexts (the four of ``RequestContext``, the "MFA
older than max age" probe and the "MFA aged 0 s" probe); the deciding statements, which cost
more to assemble, are then worked out by ``evaluate.decide`` only for the contexts that explain
the verdict. A permissions boundary caps each context's decision ("Permissions boundaries for
IAM entities": an action must be allowed by both). When every fixed context is denied but an
Allow tests the MFA age, the ages around its thresholds are probed too (see ``ages``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from auditor.models import MfaEnforcement
from auditor.policy.ages import (
    AgeLimits,
    age_context,
    age_label,
    has_age_test,
    probe_ages,
    window_verdict,
)
from auditor.policy.clock import Clock
from auditor.policy.conditions import EvalContext, Tri, evaluate_block
from auditor.policy.coverage import Parts, cover_table
from auditor.policy.evaluate import ANY_RESOURCE, Entry, Outcome, decide
from auditor.policy.member import Member
from auditor.policy.types import ActionAssessment, Decision, RequestContext
from auditor.policy.verdict import (
    CONTEXTS,
    PROBE,
    ZERO,
    context_label,
    refs_for,
    relevant_contexts,
    trap_for,
    verdict_of,
)

Value = Callable[[Member], Tri]
_MFA = CONTEXTS.index(RequestContext.MFA)


def assess_group(
    chosen: Sequence[Member],
    has_boundary: bool,
    carved: tuple[Entry, ...],
    limits: AgeLimits,
    drop_unless_gap: bool = False,
) -> ActionAssessment | None:
    """None when the actions are not privileged-allowed; ``drop_unless_gap`` for MFA removal
    on the caller's own user, which only matters when it works without MFA."""
    identity = _Side([m for m in chosen if not m.boundary])
    boundary = _Side([m for m in chosen if m.boundary]) if has_boundary else None
    ranks = [_capped(identity, boundary, context) for context in range(PROBE + 1)]
    # The 0 s probe only matters when every other context is denied (see verdict_of).
    ranks.append(0 if any(ranks) else _capped(identity, boundary, ZERO))
    decisions = {ctx: _DECISIONS[ranks[i]] for i, ctx in enumerate(CONTEXTS)}
    verdict = verdict_of(decisions, _DECISIONS[ranks[PROBE]], _DECISIONS[ranks[ZERO]])
    relevant: list[tuple[str, tuple[tuple[Entry, str], ...]]] = []
    if verdict is MfaEnforcement.NOT_APPLICABLE:
        verdict, window = _age_window(identity, boundary, limits)
        if window is None:
            return None
        relevant.append(window)
    if drop_unless_gap and verdict.rank <= MfaEnforcement.AGE_UNBOUNDED.rank:
        return None
    for index in relevant_contexts(verdict, fresh_denied=ranks[_MFA] == 0):
        side = identity
        if boundary is not None and boundary.rank(index) < identity.rank(index):
            side = boundary
        relevant.append((context_label(index, limits.label), side.outcome(index).deciding))
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


def _capped(identity: _Side, boundary: _Side | None, context: int) -> int:
    rank = identity.rank(context)
    return rank if boundary is None else min(rank, boundary.rank(context))


def _age_window(
    identity: _Side, boundary: _Side | None, limits: AgeLimits
) -> tuple[MfaEnforcement, tuple[str, tuple[tuple[Entry, str], ...]] | None]:
    """Probe the ages around the age thresholds (rare: only when every fixed context is
    denied and an Allow tests the age). Returns the verdict and the first allowing age's
    deciding statements, or NOT_APPLICABLE and None."""
    if not any(has_age_test(m.entry.statement) for m in identity.allows):
        return MfaEnforcement.NOT_APPLICABLE, None
    members = list(identity.members) + (list(boundary.members) if boundary else [])
    allowed: list[float] = []
    first: tuple[str, tuple[tuple[Entry, str], ...]] | None = None
    for age in probe_ages((m.entry.statement for m in members), skip=(0.0,)):
        value = _at_age(age, limits.clock)
        rank = identity.rank_with(value)
        side = identity
        if boundary is not None and boundary.rank_with(value) < rank:
            rank, side = boundary.rank_with(value), boundary
        if rank:
            allowed.append(age)
            if first is None:
                first = (age_label(age), side.outcome_with(("age", age), value).deciding)
    return window_verdict(allowed, limits.max_age), first


def _at_age(age: float, clock: Clock | None) -> Value:
    """Condition results in an MFA session of ``age`` seconds, with each member's keys."""
    contexts: dict[tuple[tuple[str, str | None], ...], EvalContext] = {}

    def value(member: Member) -> Tri:
        key = tuple(member.extra.items())
        if key not in contexts:
            contexts[key] = age_context(age, member.extra, clock)
        statement = member.entry.statement
        deny = not statement.is_allow
        return evaluate_block(statement.conditions, contexts[key], member.entry.variables, deny)

    return value


class _Side:
    """The identity policies (or the boundary) of one group, decided in any context.

    Which Denies cover which part of each Allow is worked out once (``evaluate.cover_table``);
    ``rank`` is the lean decision (0 denied, 1 conditional, 2 allowed), ``outcome`` the full
    one with its reasons."""

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
        entries = [d.entry for d in self.denies]
        self.cover: list[Parts] = cover_table([a.entry for a in self.allows], entries, entries)
        self.coverage = {a.entry.order: p for a, p in zip(self.allows, self.cover, strict=True)}
        self._by_order = {d.entry.order: d for d in self.denies}
        self._ranks: dict[int, int] = {}
        self._outcomes: dict[tuple[object, ...], Outcome] = {}

    def rank(self, context: int) -> int:
        """``rank_with`` for a fixed context, inlined: it runs for every group and context."""
        cached = self._ranks.get(context)
        if cached is not None:
            return cached
        by_order = self._by_order
        result = 0
        for allow, parts in zip(self.allows, self.cover, strict=True):
            met = allow.conditions[context]
            if met is False:
                continue
            blocked: Tri = True
            for part in parts:
                reached: Tri = False
                for deny in part:
                    state = by_order[deny.order].conditions[context]
                    if state is True:
                        reached = True
                        break
                    if state is None:
                        reached = None
                if reached is False:
                    blocked = False
                    break
                if reached is None:
                    blocked = None
            if blocked is True:
                continue
            if met is True and blocked is False:
                result = 2
                break
            result = 1
        self._ranks[context] = result
        return result

    def rank_with(self, value: Value) -> int:
        applies = {order: value(d) for order, d in self._by_order.items()}
        result = 0
        for allow, parts in zip(self.allows, self.cover, strict=True):
            met = value(allow)
            if met is False:
                continue
            blocked = _blocked(parts, applies)
            if blocked is True:
                continue
            if met is True and blocked is False:
                return 2
            result = 1
        return result

    def outcome(self, context: int) -> Outcome:
        vector = tuple(m.conditions[context] for m in self.members)
        return self.outcome_with(vector, lambda m: m.conditions[context])

    def outcome_with(self, key: tuple[object, ...], value: Value) -> Outcome:
        cached = self._outcomes.get(key)
        if cached is None:
            table = {m.entry.order: value(m) for m in self.members}
            cached = decide(
                [m.entry for m in self.members if m.is_allow],
                [m.entry for m in self.denies],
                lambda e: table[e.order],
                ANY_RESOURCE,
                _no_lookup,
                coverage=self.coverage,
            )
            self._outcomes[key] = cached
        return cached


def _blocked(parts: Parts, applies: dict[int, Tri]) -> Tri:
    """Every part holds a Deny that applies (True), maybe does (None), or some part none."""
    blocked: Tri = True
    for part in parts:
        reached: Tri = False
        for deny in part:
            state = applies[deny.order]
            if state is True:
                reached = True
                break
            if state is None:
                reached = None
        if reached is False:
            return False
        if reached is None:
            blocked = None
    return blocked


def _no_lookup(_key: str) -> None:
    return None
