"""Which Denies cover which resources of an Allow, for decisions on "some resource" (``*``).

"Policy evaluation logic": any applicable explicit Deny wins. When the question is whether an
action is allowed on *some* resource, an Allow is blocked only if the Denies that apply cover
every resource it grants; Denies in different statements or policies add up, per resource
pattern of the Allow. The set reasoning is ``patterns.contains`` (sure or not at all) and
``variables.contains_vars`` (policy variables only under Version 2012-10-17).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TypeVar

from auditor.policy.conditions import Tri
from auditor.policy.entry import Entry
from auditor.policy.patterns import may_overlap
from auditor.policy.variables import contains_vars

Parts = tuple[tuple[Entry, ...], ...]
"""Per resource pattern of an Allow (one part for a NotResource Allow), the Denies that
certainly cover that pattern. The Allow is blocked in a context when every part holds a Deny
that applies there: "Policy evaluation logic" lets any matching explicit Deny win, so Denies
in different statements or policies add up (user/* in one, role/* in another)."""

T = TypeVar("T")
_EVERY_PART = -1
ANYTHING = ("*",)


def cover_parts(
    allow: Entry, denies: Sequence[T], entries: Sequence[Entry]
) -> tuple[tuple[T, ...], ...]:
    """The Denies (``entries[i]`` is the ``Entry`` of ``denies[i]``) covering each part of
    ``allow`` (see ``Parts``). Conservative: a pattern that only several Denies together
    cover (user/a* in one, the rest of user/* in another) counts as uncovered."""
    return cover_table([allow], denies, entries)[0]


def cover_table(
    allows: Sequence[Entry], denies: Sequence[T], entries: Sequence[Entry]
) -> list[tuple[tuple[T, ...], ...]]:
    """``cover_parts`` for several Allows against the same Denies, worked out once per
    distinct Resource element (policies repeat a few), so alike Allows share one tuple."""
    universal = [not e.statement.not_resource and "*" in e.statement.resources for e in entries]
    by_shape: dict[tuple[tuple[str, ...], bool, bool], tuple[tuple[T, ...], ...]] = {}
    out: list[tuple[tuple[T, ...], ...]] = []
    for allow in allows:
        statement = allow.statement
        shape = (statement.resources, statement.not_resource, allow.variables)
        parts = by_shape.get(shape)
        if parts is None:
            parts = by_shape[shape] = _parts(shape, denies, entries, universal)
        out.append(parts)
    return out


def _parts(
    shape: tuple[tuple[str, ...], bool, bool],
    denies: Sequence[T],
    entries: Sequence[Entry],
    universal: Sequence[bool],
) -> tuple[tuple[T, ...], ...]:
    resources, not_resource, _ = shape
    count = 1 if not_resource else len(resources)
    anything = resources == ANYTHING and not not_resource  # only a Deny on "*" covers it
    masks = [
        _EVERY_PART
        if whole
        else 0
        if anything
        else _mask(e.statement.resources, e.statement.not_resource, e.variables, *shape)
        for e, whole in zip(entries, universal, strict=True)
    ]
    if count == 1:
        return (tuple([deny for deny, mask in zip(denies, masks, strict=True) if mask & 1]),)
    return tuple(
        tuple([deny for deny, mask in zip(denies, masks, strict=True) if mask >> i & 1])
        for i in range(count)
    )


@functools.lru_cache(maxsize=65_536)
def _mask(
    denied: tuple[str, ...],
    deny_not: bool,
    deny_vars: bool,
    allowed: tuple[str, ...],
    allow_not: bool,
    allow_vars: bool,
) -> int:
    if allow_not:
        # "Everything outside N_d" covers "everything outside N_a" when N_d is within N_a.
        return int(
            deny_not
            and all(
                any(contains_vars(n, deny_vars, m, allow_vars) for m in allowed) for n in denied
            )
        )
    mask = 0
    for i, pattern in enumerate(allowed):
        if deny_not:
            covered = not any(may_overlap(pattern, n) for n in denied)
        else:
            covered = any(contains_vars(pattern, allow_vars, d, deny_vars) for d in denied)
        mask |= covered << i
    return mask


def blocking(
    parts: Sequence[Sequence[T]], effect: Callable[[T], Tri]
) -> tuple[Tri, list[T], list[T]]:
    """Is the Allow blocked (True when every part holds a Deny whose ``effect`` is True,
    None when unsure), with the Denies that do apply and those that may."""
    state: Tri = True
    hits: list[T] = []
    maybe: list[T] = []
    for part in parts:
        reached: Tri = False
        for deny in part:
            applies = effect(deny)
            if applies is True:
                reached = True
                hits.append(deny)
            elif applies is None:
                maybe.append(deny)
                if reached is False:
                    reached = None
        if reached is False:
            return False, [], []
        if reached is None:
            state = None
    return state, hits, maybe
