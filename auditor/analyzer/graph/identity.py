"""Which roles a principal's own identity policies let it call ``sts:AssumeRole`` on.

A trust policy naming the account root delegates the decision to the caller's identity policy
(IAM User Guide, "How IAM roles differ from resource-based policies" and "Policy evaluation
logic": within one account, either policy may allow; when the trust names only the account,
the caller's identity policy must allow ``sts:AssumeRole`` on the role). Only the statements
that can match ``sts:AssumeRole`` matter, so principals are grouped by those statements (plus
their boundary) and each group is decided once; within a group, roles whose ARN the
statements' ``Resource`` patterns match the same way share one ``explain`` call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from auditor.analyzer.graph.inputs import GraphInputs
from auditor.errors import PolicyError
from auditor.models import Group, MfaEnforcement, Role, User
from auditor.policy.explain import action_matches
from auditor.policy.parse import Statement
from auditor.policy.patterns import glob_match, has_wildcard
from auditor.policy.types import Decision, NamedPolicy, RequestContext
from auditor.records import cached, record

ASSUME_ROLE = "sts:AssumeRole"


@record
class AssumeKey:
    """The statements (by document) that decide ``sts:AssumeRole`` for a principal."""

    policies: tuple[NamedPolicy, ...]
    boundary: NamedPolicy | None

    @cached  # read once per principal holding the key
    def ident(self) -> tuple[object, ...]:
        return (
            tuple((p.name, id(p.document)) for p in self.policies),
            id(self.boundary.document) if self.boundary else None,
        )


def owner_policies(inputs: GraphInputs, owner: User | Group | Role) -> list[NamedPolicy]:
    """Inline and managed identity policies of one holder (unreadable ones left out: the
    analyzer reports them, and an unread Allow cannot be credited with an edge)."""
    policies = [
        NamedPolicy(p.name, p.document, f"{owner.name} (inline)")
        for p in owner.inline_policies
        if isinstance(p.document, Mapping)
    ]
    managed = inputs.managed_documents
    policies.extend(managed[ref.arn] for ref in owner.attached_policies if ref.arn in managed)
    return policies


def assume_key(inputs: GraphInputs, owner: User | Role) -> AssumeKey | None:
    """The key of ``owner`` (a user with its groups), or ``None`` when no statement can match
    ``sts:AssumeRole`` (so no identity policy lets it assume a root-trusting role)."""
    relevant = _relevant(inputs, owner)
    if isinstance(owner, User):
        if not relevant:
            # Users with nothing of their own share a key with every user whose groups hold the
            # same deciding policies: usually none, so tens of thousands share ``None``.
            holders = _deciding_groups(inputs)
            deciding: tuple[str, ...] = ()
            if not holders.isdisjoint(owner.groups):
                deciding = tuple(name for name in dict.fromkeys(owner.groups) if name in holders)
            shape = (deciding, owner.permissions_boundary_arn)
            cache = inputs.group_assume_keys
            if shape not in cache:
                cache[shape] = _with_groups(inputs, owner, relevant)
            return cache[shape]
        return _with_groups(inputs, owner, relevant)
    return _key(inputs, owner, relevant)


def _with_groups(
    inputs: GraphInputs, user: User, relevant: tuple[NamedPolicy, ...]
) -> AssumeKey | None:
    groups = inputs.groups
    for name in dict.fromkeys(user.groups):
        if name in groups:
            relevant += _group_relevant(inputs, groups[name])
    return _key(inputs, user, relevant)


def _key(
    inputs: GraphInputs, owner: User | Role, relevant: tuple[NamedPolicy, ...]
) -> AssumeKey | None:
    if not any(s.is_allow for p in relevant for s in _statements(inputs, p)):
        return None
    boundary = None
    if owner.permissions_boundary_arn is not None:
        boundary = inputs.managed_documents.get(owner.permissions_boundary_arn)
        if boundary is None:
            return None  # unread boundary: the analyzer reports it; no edge is credited
    return AssumeKey(relevant, boundary)


def _relevant(inputs: GraphInputs, owner: User | Group | Role) -> tuple[NamedPolicy, ...]:
    """``owner``'s own policies holding a statement that can match ``sts:AssumeRole``."""
    if not owner.inline_policies and not owner.attached_policies:
        return ()
    return tuple(p for p in owner_policies(inputs, owner) if _statements(inputs, p))


def _group_relevant(inputs: GraphInputs, group: Group) -> tuple[NamedPolicy, ...]:
    """``_relevant`` once per group: thousands of members share it."""
    cache = inputs.group_assume_policies
    if group.name not in cache:
        cache[group.name] = _relevant(inputs, group)
    return cache[group.name]


def _deciding_groups(inputs: GraphInputs) -> frozenset[str]:
    """The groups holding a statement that can match ``sts:AssumeRole`` (few, in most
    accounts: most users then need no look at their groups' policies)."""
    if inputs.deciding_groups is None:
        inputs.deciding_groups = frozenset(
            name for name, group in inputs.groups.items() if _group_relevant(inputs, group)
        )
    return inputs.deciding_groups


def _statements(inputs: GraphInputs, policy: NamedPolicy) -> tuple[Statement, ...]:
    """The statements of ``policy`` that can match ``sts:AssumeRole`` (cached per document)."""
    cache = inputs.assume_statements
    key = id(policy.document)
    if key not in cache:
        try:
            parsed = inputs.policies.parse(policy.document, policy.name)
        except PolicyError:
            cache[key] = ()
        else:
            cache[key] = tuple(s for s in parsed.statements if action_matches(s, ASSUME_ROLE))
    return cache[key]


def allowed_gates(
    inputs: GraphInputs, key: AssumeKey, resources: Sequence[str]
) -> dict[str, MfaEnforcement]:
    """``resource`` → the identity side's MFA verdict for ``sts:AssumeRole`` on it, for the
    resources the key's policies allow at all (in some request context)."""
    statements = [s for p in key.policies for s in _statements(inputs, p)]
    if key.boundary is not None:
        statements += list(_statements(inputs, key.boundary))
    literal: set[str] = set()
    patterned = False
    for statement in statements:
        if not statement.is_allow:
            continue
        if statement.not_resource or any(has_wildcard(r) or "${" in r for r in statement.resources):
            patterned = True
            break
        literal.update(statement.resources)
    if not patterned:
        resources = [r for r in resources if r in literal]  # only ARNs some Allow names
    found: dict[str, MfaEnforcement] = {}
    by_signature: dict[tuple[bool, ...], MfaEnforcement | None] = {}
    constant = tuple(_constant_hit(s) for s in statements)
    varying = [s for s, c in zip(statements, constant, strict=True) if c is None]
    fixed = tuple(c for c in constant if c is not None)
    if not varying:  # every statement matches every role alike: one signature, one decision
        if not any(fixed) or not resources:
            return {}
        gate = _decide(inputs, key, resources[0])
        return {} if gate is None else dict.fromkeys(resources, gate)
    for resource in resources:
        signature = fixed + tuple(_resource_hit(s, resource) for s in varying)
        if not any(signature):
            continue
        if signature not in by_signature:
            by_signature[signature] = _decide(inputs, key, resource)
        gate = by_signature[signature]
        if gate is not None:
            found[resource] = gate
    return found


def _constant_hit(statement: Statement) -> bool | None:
    """``Resource: "*"`` matches every role (``NotResource: "*"`` none); else ``None``."""
    if "*" in statement.resources:
        return not statement.not_resource
    return None


def _resource_hit(statement: Statement, resource: str) -> bool:
    hit = any(
        p == "*" or p == resource or (has_wildcard(p) and glob_match(p, resource)) or "${" in p
        for p in statement.resources
    )
    return not hit if statement.not_resource else hit


def _decide(inputs: GraphInputs, key: AssumeKey, resource: str) -> MfaEnforcement | None:
    engine = inputs.policies
    try:
        identity = engine.explain(key.policies, ASSUME_ROLE, resource)
        bounded = (
            engine.explain([key.boundary], ASSUME_ROLE, resource)
            if key.boundary is not None
            else None
        )
    except PolicyError:
        return None
    if not _ever_allowed(identity.decisions) or (
        bounded is not None and not _ever_allowed(bounded.decisions)
    ):
        return None
    verdicts: list[MfaEnforcement] = [identity.verdict]
    if bounded is not None:
        verdicts.append(bounded.verdict)
    return min(verdicts, key=lambda v: v.rank)


def _ever_allowed(decisions: Mapping[RequestContext, Decision]) -> bool:
    return any(d is not Decision.DENIED for d in decisions.values())


def assume_statements(inputs: GraphInputs, key: AssumeKey) -> list[Statement]:
    """The statements of ``key``'s identity policies that can match ``sts:AssumeRole``."""
    return [s for p in key.policies for s in _statements(inputs, p)]
