"""``mfa-auditor explain --snapshot FILE --principal NAME``: one principal's paths and gates.

The library side: ``explain_principal`` analyses the snapshot (the same ``analyze`` the reports
use, so the paths are the ones ``principals.csv`` and the HTML card show) and adds the graph's
edges in and out of the principal. ``principal_to_json`` is a public interface (README,
"explain --principal --json"); ``render_principal`` is the text form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from auditor.analyzer.graph.records import Edge
from auditor.config import AuditorConfig
from auditor.errors import UsageError
from auditor.models import PrincipalRow, Snapshot

MAX_EDGES = 50


@dataclass(frozen=True)
class PrincipalExplanation:
    row: PrincipalRow
    edges_out: tuple[Edge, ...]
    edges_in: tuple[Edge, ...]
    more_in: int = 0
    """Incoming edges left out beyond ``MAX_EDGES``."""


def explain_principal(
    snapshot: Snapshot, config: AuditorConfig, name: str, *, now: datetime
) -> PrincipalExplanation:
    """``name`` is a user or role name, ``root``, or ``user:NAME`` / ``role:NAME`` when a user
    and a role share it; raises ``UsageError`` naming the choices when it matches none."""
    from auditor.analyzer.context import build_context
    from auditor.analyzer.graph.permissions import PrivilegeIndex
    from auditor.analyzer.run import analyze, default_engine

    result = analyze(snapshot, config, now=now)
    kind, _, bare = name.partition(":") if name.startswith(("user:", "role:")) else ("", "", name)
    matches = [
        row
        for row in result.principals
        if row.name == bare and (not kind or row.principal_type.value == kind)
    ]
    if not matches:
        raise UsageError(
            f"no user, role or root named {name!r} in the snapshot",
            "give a user or role name exactly as IAM spells it, or root",
        )
    if len(matches) > 1:
        raise UsageError(
            f"{name!r} names both a user and a role", f"use user:{name} or role:{name}"
        )
    row = matches[0]
    engine = default_engine(config)
    ctx = build_context(snapshot, config, now, PrivilegeIndex(snapshot, engine))
    key = "root" if row.principal_type.value == "root" else f"{row.principal_type.value}:{row.name}"
    graph = ctx.access.graph
    out = tuple(graph.out(key))
    incoming = graph.into_sample(key)
    return PrincipalExplanation(
        row, out[:MAX_EDGES], tuple(incoming[:MAX_EDGES]), max(0, len(incoming) - MAX_EDGES)
    )


def principal_to_json(explanation: PrincipalExplanation) -> dict[str, Any]:
    """The documented JSON shape (README, "explain --principal")."""
    row = explanation.row
    return {
        "account_id": row.account_id,
        "principal": {"type": row.principal_type.value, "name": row.name, "arn": row.arn},
        "reach": row.reach.value,
        "reach_without_mfa": row.reach_without_mfa.value,
        "mfa_enforced": row.mfa_enforced,
        "exposure": row.exposure,
        "open_rules": list(row.open_rules),
        "paths": [
            {
                "hops": list(path.hops),
                "gate": path.gate.value,
                "decided_by": path.decided_by.value,
                "admin": path.admin,
                "example_actions": list(path.example_actions),
                "description": path.description,
            }
            for path in row.paths
        ],
        "edges_out": [_edge(e, "target") for e in explanation.edges_out],
        "edges_in": [_edge(e, "source") for e in explanation.edges_in],
        "edges_in_not_shown": explanation.more_in,
    }


def _edge(edge: Edge, end: str) -> dict[str, str]:
    return {
        end: edge.target if end == "target" else edge.source,
        "kind": edge.kind,
        "reason": edge.reason,
        "gate": edge.gate.value,
        "decided_by": edge.decided_by.value,
    }


def render_principal(explanation: PrincipalExplanation) -> str:
    row = explanation.row
    lines = [
        f"principal: {row.principal_type.value} {row.name} ({row.arn})",
        f"reach:     {row.reach.value} (without MFA: {row.reach_without_mfa.value})",
        f"mfa:       {row.mfa_enforced}; exposure {row.exposure}",
    ]
    if row.open_rules:
        lines.append(f"findings:  {', '.join(row.open_rules)}")
    lines.append("paths:" if row.paths else "paths:     none to privileged actions")
    lines += [f"  {path.description}" for path in row.paths]
    for title, edges, end in (
        ("can act as:", explanation.edges_out, "target"),
        ("reached from:", explanation.edges_in, "source"),
    ):
        if edges:
            lines.append(title)
        for edge in edges:
            other = edge.target if end == "target" else edge.source
            gate = edge.decided_by.value if edge.decided_by.value != "iam" else edge.gate.value
            lines.append(f"  {other} [{edge.kind}, {gate}]: {edge.reason}")
    if explanation.more_in:
        lines.append(f"  … and {explanation.more_in} more")
    return "\n".join(lines)
