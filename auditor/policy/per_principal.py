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
from auditor.policy.conditions import BASELINE, MFA_KEYS, EvalContext, Tri, evaluate_block
from auditor.policy.parse import Statement
from auditor.policy.variables import resolve_variables

Contexts = Callable[[Mapping[str, str]], tuple[EvalContext, ...]]


def principal_values(principal: Mapping[str, str]) -> dict[str, str]:
    """Lower-case keys to values; ``UsageError`` for a key the request contexts set
    themselves (the MFA keys, aws:ViaAWSService) or a value that is not a string."""
    values: dict[str, str] = {}
    for name, value in principal.items():
        lower = str(name).lower()
        if lower in MFA_KEYS or lower in BASELINE:
            raise UsageError(f"principal key {name} is set by each request context")
        if not isinstance(value, str):
            raise UsageError(f"principal key {name} must have a string value")
        values[lower] = value
    return values


class PrincipalStatements:
    """A cache of statements derived for principals' keys (see the module docstring)."""

    def __init__(self, contexts: Contexts) -> None:
        self._build = contexts
        self._derived: dict[tuple[object, ...], tuple[Statement, tuple[Tri, ...]]] = {}
        self._contexts: dict[tuple[tuple[str, str], ...], tuple[EvalContext, ...]] = {}

    def derive(
        self, statement: Statement, variables: bool, extra: Mapping[str, str]
    ) -> tuple[Statement, tuple[Tri, ...]]:
        """``statement`` with resources resolved, and its conditions in every context."""
        values = tuple(sorted(extra.items()))
        key = (id(statement), values)
        cached = self._derived.get(key)
        if cached is None:
            contexts = self._contexts.get(values)
            if contexts is None:
                contexts = self._contexts[values] = self._build(extra)
            resources = statement.resources
            if variables:
                lookup = contexts[0].lookup
                resources = tuple(resolve_variables(r, lookup) for r in resources)
            derived = dataclasses.replace(statement, resources=resources)
            conditions = tuple(evaluate_block(statement.conditions, c, variables) for c in contexts)
            cached = self._derived[key] = (derived, conditions)
        return cached
