"""One decision: explicit deny beats allow, allow beats the implicit deny.

IAM User Guide, "Policy evaluation logic" (identity-based policies in one account): a request
is allowed when some applicable Allow statement matches it and no applicable Deny does.

Two resource modes. A concrete resource ARN is matched against each statement as AWS does.
``*`` asks "on *some* resource": an Allow then counts unless a Deny that applies in the same
context covers every resource the Allow names (``patterns.contains``), so an Allow on
``arn:aws:s3:::*`` survives a Deny on ``arn:aws:s3:::Production/*`` — deletes elsewhere still
need no MFA. Unknown conditions propagate: a possibly-applying Allow makes the decision
CONDITIONAL, a possibly-applying Deny never turns an allowed request into a denied one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from auditor.policy.conditions import Tri, and3, not3, or3
from auditor.policy.parse import Statement
from auditor.policy.patterns import Lookup, contains, may_overlap, resource_match
from auditor.policy.types import Decision

ANY_RESOURCE = "*"


@dataclass(frozen=True)
class Entry:
    """A statement in a principal's policy set, with the policy it came from."""

    policy_name: str
    statement: Statement
    variables: bool
    order: int


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    deciding: tuple[tuple[Entry, str], ...]
    """Statements that decided, each with a short reason."""


def covers(deny: Statement, allow: Statement) -> bool:
    """Does ``deny`` (if it applies) reach every resource that ``allow`` grants?"""
    if not deny.not_resource and "*" in deny.resources:
        return True
    return _covers(deny.resources, deny.not_resource, allow.resources, allow.not_resource)


@functools.lru_cache(maxsize=65_536)
def _covers(
    denied: tuple[str, ...], deny_not: bool, allowed: tuple[str, ...], allow_not: bool
) -> bool:
    if not deny_not:
        if allow_not:
            return False
        return all(any(contains(a, d) for d in denied) for a in allowed)
    if allow_not:
        # "Everything outside N_d" covers "everything outside N_a" when N_d ⊆ N_a.
        return all(any(contains(n, m) for m in allowed) for n in denied)
    return not any(may_overlap(a, n) for a in allowed for n in denied)


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
    coverage: Mapping[int, Sequence[Entry]] | None = None,
) -> Outcome:
    """The decision for one action in one context, given the statements matching it.

    ``coverage`` (``*`` mode only) may give, per Allow ``order``, the Denies that cover it,
    so callers deciding several contexts compute ``covers`` once."""
    concrete = resource != ANY_RESOURCE
    deny_reach: dict[int, Tri] = {}
    if concrete:
        for deny in denies:
            deny_reach[deny.order] = and3(
                (
                    condition(deny),
                    resource_applies(deny.statement, resource, lookup, deny.variables),
                )
            )
    definite: list[tuple[Entry, str]] = []
    possible: list[tuple[Entry, str]] = []
    blockers: dict[int, tuple[Entry, str]] = {}
    unmet: list[tuple[Entry, str]] = []
    for allow in allows:
        if concrete:
            reach = resource_applies(allow.statement, resource, lookup, allow.variables)
        else:
            reach = not (allow.statement.not_resource and "*" in allow.statement.resources)
        met = condition(allow)
        applies = False if met is False or reach is False else met and reach
        if applies is False:
            if reach is not False:
                unmet.append((allow, "does not apply: condition not met"))
            continue
        blocked: Tri = False
        maybe: list[tuple[Entry, str]] = []
        if concrete:
            candidates: Sequence[Entry] = denies
        elif coverage is not None:
            candidates = coverage[allow.order]
        else:
            candidates = [d for d in denies if covers(d.statement, allow.statement)]
        for deny in candidates:
            effect = deny_reach[deny.order] if concrete else condition(deny)
            if effect is True:
                blocked = True
                blockers[deny.order] = (deny, "denies")
            elif effect is None:
                blocked = None if blocked is False else blocked
                maybe.append((deny, "may deny: condition on a key not supplied"))
        if blocked is True:
            continue
        if applies is True and blocked is False:
            definite.append((allow, "allows"))
        else:
            why = "may allow: condition on a key not supplied"
            possible.append((allow, why if applies is None else "allows"))
            possible.extend(maybe)
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
