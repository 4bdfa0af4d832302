"""What a policy document means, computed once per document and shared by every principal.

Per statement: the privileged actions it names (indexes into ``PrivilegeModel.actions``),
its conditions in the engine's fixed contexts, whether it only touches the caller's own user,
and the actions the privileged index lacks. Documents are keyed by a hash of their canonical
JSON, so equal documents held by many users are analysed once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

from auditor.policy.actions import PrivilegeModel
from auditor.policy.clock import Clock
from auditor.policy.conditions import EvalContext, Tri, evaluate_block
from auditor.policy.inert import AWS_MANAGED_REASON, never_in_time, only_aws_managed, time_reason
from auditor.policy.member import Pseudo
from auditor.policy.parse import ParsedPolicy, Statement
from auditor.policy.patterns import has_wildcard, is_self_scoped
from auditor.policy.variables import variable_names
from auditor.records import record

# Stands in for a privileged-by-ARN policy whose document was not supplied (fail closed:
# AdministratorAccess, the default such ARN, is exactly this statement).
ALLOW_ALL = Statement(
    index=0,
    sid="",
    effect="Allow",
    actions=("*",),
    not_action=False,
    resources=("*",),
    not_resource=False,
    conditions=(),
    principals=None,
    not_principal=False,
    raw={"Effect": "Allow", "Action": "*", "Resource": "*"},
)


@record
class Analysis:
    """One document's statements, with everything a principal assessment needs per statement."""

    parsed: ParsedPolicy
    matched: tuple[frozenset[int], ...]
    conditions: tuple[tuple[Tri, ...], ...]
    self_scoped: tuple[bool, ...]
    unknown: Sequence[Pseudo]
    keys: tuple[frozenset[str], ...] = ()
    """Per statement, the request-context keys it reads (lower case): condition keys, and the
    variables of condition values and resources when the Version makes them variables."""
    inert: tuple[str, ...] = ()
    """Per statement, why an Allow grants nothing privileged (``auditor.policy.inert``), or
    ``""``; such statements match no privileged action."""

    @property
    def all_keys(self) -> frozenset[str]:
        return frozenset().union(*self.keys)


def fingerprint(document: Any) -> str:
    """A hash of the document's ``repr``: equal documents written alike (the copies of one
    policy an account holds) share every cached result. ``repr`` tells apart every JSON value
    (``"1"`` from ``1``, ``true`` from ``"true"``) at a third of canonical JSON's cost; two
    copies whose keys come in another order only miss the cache, they are never confused.
    Anything but a plain ``dict`` (a string of JSON, another mapping type) is hashed as
    canonical JSON, so a ``repr`` naming an object's address never stands for its content."""
    if type(document) is dict:
        text = repr(document)
    else:
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Fingerprints:
    """``fingerprint`` remembered per document object: a snapshot hands the same managed
    policy object to every principal that holds it. Documents are treated as immutable once
    given to the engine (a reference is kept, so an id is never reused)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, str]] = {}

    def __call__(self, document: Any) -> str:
        known = self._known.get(id(document))
        if known is not None and known[0] is document:
            return known[1]
        value = fingerprint(document)
        if len(self._known) < 100_000:
            self._known[id(document)] = (document, value)
        return value


def analyse(
    parsed: ParsedPolicy,
    model: PrivilegeModel,
    contexts: Sequence[EvalContext],
    clock: Clock | None = None,
) -> Analysis:
    statements = parsed.statements
    always = (True,) * len(contexts)  # a statement without a Condition element holds in each
    matched = [model.expand(s.actions, negate=s.not_action) for s in statements]
    # Only a statement that names privileged actions can be privilege that cannot be used.
    inert = tuple(
        inert_reason(s, parsed.variables, contexts, clock) if hits else ""
        for s, hits in zip(statements, matched, strict=True)
    )
    return Analysis(
        parsed,
        tuple(frozenset() if why else hits for hits, why in zip(matched, inert, strict=True)),
        tuple(
            tuple(
                evaluate_block(s.conditions, c, parsed.variables, not s.is_allow) for c in contexts
            )
            if s.conditions
            else always
            for s in statements
        ),
        tuple(
            not s.not_resource and all(is_self_scoped(r) for r in s.resources) for s in statements
        ),
        unknown_privileged(usable(statements, inert), model),
        tuple(keys_read(s, parsed.variables) for s in statements),
        inert,
    )


def inert_reason(
    statement: Statement,
    variables: bool,
    contexts: Sequence[EvalContext],
    clock: Clock | None,
) -> str:
    """Why an Allow can never be used (``auditor.policy.inert``), or ``""``."""
    if only_aws_managed(statement):
        return AWS_MANAGED_REASON
    if clock is not None and never_in_time(statement, variables, contexts):
        return time_reason(clock)
    return ""


def keys_read(statement: Statement, variables: bool) -> frozenset[str]:
    """The context keys whose values can change what ``statement`` decides."""
    keys = {c.key for c in statement.conditions}
    if variables:
        for condition in statement.conditions:
            for value in condition.values:
                keys |= variable_names(value)
        for resource in statement.resources:
            keys |= variable_names(resource)
    return frozenset(keys)


def usable(statements: Sequence[Statement], inert: Sequence[str]) -> list[Statement]:
    """The statements that can grant something (``inert`` says why the others cannot)."""
    return [s for s, why in zip(statements, inert, strict=True) if not why]


def unknown_privileged(statements: Sequence[Statement], model: PrivilegeModel) -> list[Pseudo]:
    """Actions the privileged index lacks, named by Allow statements, that are judged
    privileged because their service is (or their name says so)."""
    return [
        Pseudo(pattern, True)
        for pattern, known in _patterns(statements, model)
        if not known and model.unknown_is_privileged(pattern)
    ]


def granted_actions(statements: Sequence[Statement], model: PrivilegeModel) -> list[Pseudo]:
    """For a policy privileged by its ARN: every other pattern it grants that the privileged
    index does not hold (asked only for such policies, so ordinary documents skip it)."""
    return [
        Pseudo(pattern, not known)
        for pattern, known in _patterns(statements, model)
        if (known or not model.unknown_is_privileged(pattern)) and pattern not in model.index
    ]


def _patterns(statements: Sequence[Statement], model: PrivilegeModel) -> Iterator[tuple[str, bool]]:
    """Every action pattern Allow statements name, with whether the database knows it."""
    for statement in statements:
        if not statement.is_allow or statement.not_action:
            continue
        for pattern in statement.actions:
            service = pattern.split(":", 1)[0]
            if not has_wildcard(pattern):
                known = pattern in model.database.levels
            else:
                known = (
                    pattern == "*" or has_wildcard(service) or service in model.database.services
                )
            yield pattern, known
