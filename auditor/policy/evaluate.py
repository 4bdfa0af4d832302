"""One decision: explicit deny beats allow, allow beats the implicit deny.

IAM User Guide, "Policy evaluation logic" (identity-based policies in one account): a request
is allowed when some applicable Allow statement matches it and no applicable Deny does.

Two resource modes. A concrete resource ARN is matched against each statement as AWS does.
``*`` asks "on *some* resource": an Allow then counts unless the Denies that apply in the same
context together cover every resource pattern the Allow names (``cover_parts``), so an Allow on
``arn:aws:s3:::*`` survives a Deny on ``arn:aws:s3:::Production/*`` — deletes elsewhere still
need no MFA. Unknown conditions propagate: a possibly-applying Allow makes the decision
CONDITIONAL, a possibly-applying Deny never turns an allowed request into a denied one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from auditor.policy.conditions import Tri, and3, not3, or3
from auditor.policy.coverage import Parts, blocking, cover_parts
from auditor.policy.entry import Entry
from auditor.policy.parse import Statement
from auditor.policy.patterns import Lookup, glob_match, resource_match
from auditor.policy.types import Decision
from auditor.records import record

__all__ = ["ANY_RESOURCE", "Entry", "Outcome", "action_matches", "decide", "resource_applies"]

ANY_RESOURCE = "*"


def action_matches(statement: Statement, action: str) -> bool:
    """Action names are case-insensitive; NotAction matches every action it does not list."""
    hit = any(glob_match(pattern, action, ignore_case=True) for pattern in statement.actions)
    return not hit if statement.not_action else hit


@record
class Outcome:
    decision: Decision
    deciding: tuple[tuple[Entry, str], ...]
    """Statements that decided, each with a short reason."""


def resource_applies(statement: Statement, resource: str, lookup: Lookup, variables: bool) -> Tri:
    """Does the statement's Resource/NotResource reach ``resource`` (``*``: some resource)?"""
    if resource == ANY_RESOURCE:
        return not (statement.not_resource and "*" in statement.resources)
    matched = or3(resource_match(p, resource, lookup, variables) for p in statement.resources)
    return not3(matched) if statement.not_resource else matched


def decide(
    allows: Sequence[Entry],
    denies: Sequence[Entry],
    condition: Callable[[Entry], Tri],
    resource: str,
    lookup: Lookup,
    coverage: Mapping[int, Parts] | None = None,
) -> Outcome:
    """The decision for one action in one context, given the statements matching it.

    ``coverage`` (``*`` mode only) may give, per Allow ``order``, its ``cover_parts``, so
    callers deciding several contexts compute them once."""
    concrete = resource != ANY_RESOURCE
    deny_reach = {
        deny.order: and3(
            (condition(deny), resource_applies(deny.statement, resource, lookup, deny.variables))
        )
        for deny in (denies if concrete else ())
    }
    effect: Callable[[Entry], Tri] = (lambda d: deny_reach[d.order]) if concrete else condition
    definite: list[tuple[Entry, str]] = []
    possible: list[tuple[Entry, str]] = []
    blockers: dict[int, tuple[Entry, str]] = {}
    unmet: list[tuple[Entry, str]] = []
    for allow in allows:
        reach = resource_applies(allow.statement, resource, lookup, allow.variables)
        met = condition(allow)
        applies = False if met is False or reach is False else met and reach
        if applies is False:
            if reach is not False:
                unmet.append((allow, "does not apply: condition not met"))
            continue
        if concrete:
            parts: Parts = (tuple(denies),)
        elif coverage is not None:
            parts = coverage[allow.order]
        else:
            parts = cover_parts(allow, denies, denies)
        if len(parts) == 1:  # the common case, inlined: one Resource pattern
            state: Tri = False
            hits: list[Entry] = []
            maybe: list[Entry] = []
            for deny in parts[0]:
                applies_here = effect(deny)
                if applies_here is True:
                    hits.append(deny)
                    state = True
                elif applies_here is None:
                    maybe.append(deny)
                    state = None if state is False else state
            if state is False:
                maybe = []
        else:
            state, hits, maybe = blocking(parts, effect)
        if state is True:
            blockers.update((d.order, (d, "denies")) for d in hits)
            continue
        if applies is True and state is False:
            definite.append((allow, "allows"))
        else:
            why = "may allow: condition on a key not supplied"
            possible.append((allow, why if applies is None else "allows"))
            possible.extend((d, "may deny: condition on a key not supplied") for d in maybe)
    if definite:
        return Outcome(Decision.ALLOWED, tuple(definite))
    if possible:
        return Outcome(Decision.CONDITIONAL, tuple(_unique(possible)))
    if blockers:
        return Outcome(Decision.DENIED, tuple(blockers.values()))
    if concrete and not allows:
        applying = [(d, "denies") for d in denies if deny_reach[d.order] is True]
        return Outcome(Decision.DENIED, tuple(applying))
    return Outcome(Decision.DENIED, tuple(unmet))


def _unique(items: list[tuple[Entry, str]]) -> list[tuple[Entry, str]]:
    seen: set[int] = set()
    out: list[tuple[Entry, str]] = []
    for entry, why in items:
        if entry.order not in seen:
            seen.add(entry.order)
            out.append((entry, why))
    return out
