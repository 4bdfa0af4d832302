"""Statements as one principal sees them, for ``PolicyEngine.assess_principal(principal=...)``.

Only statements that read a key the principal supplies (``Analysis.keys``) are re-derived:
their conditions are decided in the engine's contexts plus the principal's keys, and policy
variables in their resources (2012-10-17 documents only) are filled in, so a Deny on
``user/bob`` covers an Allow on ``user/${aws:username}`` for bob. Derived statements are kept
alive here, so their ``id`` (part of the engine's group cache keys) is never reused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from auditor.errors import UsageError
from auditor.policy.conditions import (
    BASELINE,
    MFA_KEYS,
    PRINCIPAL_TAG,
    EvalContext,
    Tri,
    evaluate_block,
)
from auditor.policy.parse import Statement
from auditor.policy.variables import has_no_value, resolve_variables

Contexts = Callable[[Mapping[str, "str | None"]], tuple[EvalContext, ...]]
Keys = Mapping[str, "str | None"]
"""A principal's context keys: a value, or None for a key known to be absent (a tag the
principal does not have)."""


def principal_values(principal: Keys) -> dict[str, str | None]:
    """Lower-case keys to values (None: known absent); ``UsageError`` for a key the request
    contexts set themselves (the MFA keys, aws:ViaAWSService) or a value that is not a string."""
    values: dict[str, str | None] = {}
    for name, value in principal.items():
        lower = str(name).lower()
        if lower in MFA_KEYS or lower in BASELINE:
            raise UsageError(f"principal key {name} is set by each request context")
        if value is not None and not isinstance(value, str):
            raise UsageError(f"principal key {name} must have a string value")
        values[lower] = value
    return values


def relevant_keys(
    principal: Mapping[str, str], tags: Mapping[str, str] | None, read: set[str]
) -> tuple[tuple[str, str | None], ...]:
    """The principal's keys among ``read`` (the keys its statements read), sorted: a cache key.

    With ``tags`` (all the principal's tags), each ``aws:PrincipalTag/<k>`` read is the tag's
    value, or None (absent) for a tag the principal lacks ("AWS global condition context keys",
    aws:PrincipalTag: present only for the tags the principal has; tag keys compared ignoring
    case, as condition keys are)."""
    values = principal_values(principal)
    if tags is not None:
        own = {f"{PRINCIPAL_TAG}{k.lower()}": v for k, v in tags.items()}
        values.update((k, own.get(k)) for k in read if k.startswith(PRINCIPAL_TAG))
    return tuple(sorted((k, v) for k, v in values.items() if k in read))


class PrincipalStatements:
    """A cache of statements derived for principals' keys (see the module docstring)."""

    def __init__(self, contexts: Contexts) -> None:
        self._build = contexts
        self._derived: dict[tuple[object, ...], tuple[Statement, tuple[Tri, ...]]] = {}
        self._contexts: dict[tuple[tuple[str, str | None], ...], tuple[EvalContext, ...]] = {}

    def derive(
        self, statement: Statement, variables: bool, extra: Keys
    ) -> tuple[Statement, tuple[Tri, ...]]:
        """``statement`` with resources resolved, and its conditions in every context.

        A Resource entry whose variable names an absent key matches no resource ("IAM policy
        elements: Variables and tags", Policy variables with no value): it is dropped; a
        statement left with none applies nowhere, a NotResource left with none excludes
        nothing."""
        values = tuple(sorted(extra.items()))
        key = (id(statement), values)
        cached = self._derived.get(key)
        if cached is None:
            contexts = self._contexts.get(values)
            if contexts is None:
                contexts = self._contexts[values] = self._build(extra)
            resources, not_resource, nowhere = statement.resources, statement.not_resource, False
            if variables:
                lookup = contexts[0].lookup
                kept = tuple(r for r in resources if not has_no_value(r, lookup))
                if not kept and not not_resource:
                    nowhere = True
                elif not kept:
                    resources, not_resource = ("*",), False
                else:
                    resources = tuple(resolve_variables(r, lookup) for r in kept)
            derived = dataclasses.replace(statement, resources=resources, not_resource=not_resource)
            deny = not statement.is_allow
            conditions = tuple(
                False if nowhere else evaluate_block(statement.conditions, c, variables, deny)
                for c in contexts
            )
            cached = self._derived[key] = (derived, conditions)
        return cached
