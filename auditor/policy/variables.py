"""Policy variables (``${aws:username}``) in resource patterns, and the Version that decides
whether they are variables at all.

"IAM JSON policy elements: Version": only Version 2012-10-17 has policy variables; under
2008-10-17 (the default when Version is missing) ``${aws:username}`` is literal text ("IAM
policy elements: Variables and tags"). ``contains_vars`` is ``patterns.contains`` with a
flag per side saying which it is; ``resolve_variables`` fills in values a principal supplies.
"""

from __future__ import annotations

import functools

from auditor.policy.patterns import (
    ABSENT,
    SPECIAL,
    TOKENS,
    VARIABLE,
    Lookup,
    contains,
    resolve_variable,
)


def variable_names(text: str) -> set[str]:
    """Lower-case context keys named by the ``${...}`` variables of ``text``."""
    if "${" not in text:
        return set()  # most resources and values: no regex scan
    names = {found.group(1).partition(",")[0].strip().lower() for found in VARIABLE.finditer(text)}
    return names - set(SPECIAL)


_tokens: dict[str, str] = {}


def _token(inner: str) -> str | None:
    """One private-use character per distinct variable (key case-insensitive), so the
    pattern DP in ``contains`` treats a variable as an opaque unit of unknown length."""
    name, sep, default = inner.partition(",")
    canonical = name.strip().lower() + sep + default.strip()
    token = _tokens.get(canonical)
    if token is None:
        if TOKENS[0] + len(_tokens) > TOKENS[1]:
            return None
        token = _tokens[canonical] = chr(TOKENS[0] + len(_tokens))
    return token


def tokenize(pattern: str) -> str | None:
    """``pattern`` with each ``${...}`` replaced by its token; None when tokens run out."""
    out: list[str] = []
    position = 0
    for found in VARIABLE.finditer(pattern):
        token = _token(found.group(1))
        if token is None:
            return None
        out += [pattern[position : found.start()], token]
        position = found.end()
    out.append(pattern[position:])
    return "".join(out)


@functools.lru_cache(maxsize=65_536)
def contains_vars(inner: str, inner_variables: bool, outer: str, outer_variables: bool) -> bool:
    """``contains`` where each side's ``${...}`` is a variable only when its flag says so.

    A variable in ``inner`` stands for any value: only ``*`` in ``outer``, or the very same
    variable at the same place, absorbs it. A variable in ``outer`` matches no literal text
    of ``inner`` (its value is unknown here), so a literal ``user/${aws:username}`` of a
    2008-10-17 Deny covers nothing that a 2012-10-17 Allow on ``user/${aws:username}`` grants.
    """
    if outer == "*":
        return True
    if inner_variables and "${" in inner:
        tokenized = tokenize(inner)
        if tokenized is None:
            return False
        inner = tokenized
    if outer_variables and "${" in outer:
        tokenized = tokenize(outer)
        if tokenized is None:
            return False
        outer = tokenized
    return contains(inner, outer)


def resolve_variables(pattern: str, lookup: Lookup) -> str:
    """``pattern`` with its variables replaced by their values, when every one is known and
    no value holds a wildcard character; otherwise ``pattern`` unchanged."""
    if "${" not in pattern:
        return pattern
    out: list[str] = []
    position = 0
    for found in VARIABLE.finditer(pattern):
        inner = found.group(1).strip()
        value = None if inner in SPECIAL else resolve_variable(inner, lookup)
        if value is None or value == ABSENT or any(c in value for c in "*?$"):
            return pattern
        out += [pattern[position : found.start()], value]
        position = found.end()
    out.append(pattern[position:])
    return "".join(out)


def has_no_value(pattern: str, lookup: Lookup) -> bool:
    """Does a variable of ``pattern`` name a key known to be absent (and give no default)?
    Such a Resource (or NotResource) entry matches no resource ("IAM policy elements:
    Variables and tags", Policy variables with no value)."""
    return any(
        found.group(1).strip() not in SPECIAL and resolve_variable(found.group(1), lookup) == ABSENT
        for found in VARIABLE.finditer(pattern)
    )
