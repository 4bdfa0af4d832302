"""Same-account ``sts:AssumeRole`` (and role chaining, the same edge from a role session).

A trust policy naming a user's or role's ARN lets it in on its own: within one account either
the trust (a resource-based policy) or the identity policy may allow (IAM User Guide, "Policy
evaluation logic", "Cross-account policy evaluation" for the contrast). A trust naming only the
account root (or ``*``) delegates to the caller's identity policy, which must allow
``sts:AssumeRole`` on the role (``identity``). The hop's gate is the better of the trust's and
the identity policy's verdicts: MFA demanded by either is MFA demanded.

Principals that share the statements deciding ``sts:AssumeRole`` share one ``EdgeBundle``.
Sessions of Identity Center roles (``assumed-role/AWSReservedSSO_…``) belong to
``edges_federation``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from auditor.analyzer.graph.identity import AssumeKey, allowed_gates
from auditor.analyzer.graph.inputs import GraphInputs, Trusted
from auditor.analyzer.graph.records import Edge, EdgeBundle, best
from auditor.analyzer.graph.trustees import ARN_ACCOUNT
from auditor.models import MfaEnforcement


def _source(inputs: GraphInputs, principal: str) -> str | None:
    """``user:dana`` / ``role:Deploy`` for an ARN of this account naming one that exists."""
    match = ARN_ACCOUNT.fullmatch(principal)
    if match is None:
        return None
    kind, _, rest = match.group(2).partition("/")
    name = rest.rsplit("/", 1)[-1]
    if kind == "user" and name in inputs.users:
        return f"user:{name}"
    if kind == "role" and name in inputs.roles:
        return f"role:{name}"
    if kind == "assumed-role":
        role = rest.split("/", 1)[0]
        if role in inputs.roles and not role.startswith("AWSReservedSSO_"):
            return f"role:{role}"
    return None


def edges(inputs: GraphInputs) -> Iterator[Edge | EdgeBundle]:
    for principal, entries in inputs.trust_index.by_principal.items():
        source = _source(inputs, principal)
        if source is None:
            continue
        for entry in entries:
            target = f"role:{entry.role.name}"
            if target == source or entry.gate is MfaEnforcement.NOT_APPLICABLE:
                continue
            reason = f"{entry.role.name}'s trust policy names {principal} (sts:AssumeRole)"
            yield Edge(source, target, "assume_role", reason, entry.gate)
    yield from _account_wide(inputs)


def _account_wide(inputs: GraphInputs) -> Iterator[EdgeBundle]:
    trusted = [
        t for t in inputs.trust_index.account_wide if t.gate is not MfaEnforcement.NOT_APPLICABLE
    ]
    if not trusted:
        return
    gates = {t.role.arn: t for t in trusted}
    groups: dict[tuple[object, ...], tuple[AssumeKey, list[str]]] = {}
    for source, key in inputs.assume_keys.items():
        if key is not None:
            groups.setdefault(key.ident, (key, []))[1].append(source)
    # Principal groups often allow the same roles with the same gates: their edges are shared,
    # as one tuple, so the reach query answers once for every bundle holding it.
    shared: dict[tuple[tuple[str, MfaEnforcement], ...], tuple[Edge, ...]] = {}
    for key, sources in groups.values():
        allowed = allowed_gates(inputs, key, list(gates))
        signature = tuple(allowed.items())
        edges = shared.get(signature)
        if edges is None:
            edges = shared[signature] = tuple(_targets(gates, allowed).values())
        if edges:
            yield from _split(sources, edges)


def _targets(gates: dict[str, Trusted], allowed: dict[str, MfaEnforcement]) -> dict[str, Edge]:
    """Role name → the edge into it, gated by the better of the trust and identity verdicts."""
    by_target: dict[str, Edge] = {}
    for arn, identity_gate in allowed.items():
        entry = gates[arn]
        name = entry.role.name
        reason = (
            f"{name}'s trust policy names the account ({entry.principal}) and the caller's "
            "identity policy allows sts:AssumeRole on it"
        )
        gate = best((entry.gate, identity_gate))
        by_target[name] = Edge("", f"role:{name}", "assume_role", reason, gate)
    return by_target


def _split(sources: list[str], edges: tuple[Edge, ...]) -> Iterator[EdgeBundle]:
    """One bundle, minus the self-edge of a role that may assume itself."""
    targets = {edge.target for edge in edges}
    selves: dict[str, list[str]] = defaultdict(list)
    plain: list[str] = []
    for source in sources:
        (selves[source] if source in targets else plain).append(source)
    if plain:
        yield EdgeBundle(tuple(plain), edges)
    for source in selves:
        yield EdgeBundle((source,), tuple(e for e in edges if e.target != source))
