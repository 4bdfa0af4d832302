"""``build_graph``: run every edge module once over a snapshot and index the edges they return.

``EDGE_MODULES`` is the registry: a plain list of functions ``(GraphInputs) -> Iterable[Edge |
EdgeBundle]``, run in order. Append to it to add a way of moving between principals (see the
package docstring). Group membership is the one kind not stored: ``edges_membership`` derives
those edges from the snapshot when ``out``, ``into``, ``sources_into`` or ``into_sample`` asks
(every user has them and no reach query follows them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from auditor.analyzer.graph import (
    edges_assume,
    edges_cross_account,
    edges_federation,
    edges_identity_center,
    edges_membership,
    edges_service,
)
from auditor.analyzer.graph.inputs import GraphInputs, is_service_linked
from auditor.analyzer.graph.records import Edge, EdgeBundle, Node, NodeKind
from auditor.models import Group, MfaDecidedBy, Role, User

EdgeModule = Callable[[GraphInputs], Iterable[Edge | EdgeBundle]]

EDGE_MODULES: list[EdgeModule] = [
    edges_assume.edges,
    edges_cross_account.edges,
    edges_federation.edges,
    edges_identity_center.edges,
    edges_service.edges,
]


class AccessGraph:
    """Nodes and "can act as" edges of one snapshot; built once, queried many times."""

    def __init__(self, inputs: GraphInputs) -> None:
        self.inputs = inputs
        self._out: dict[str, list[Edge]] = defaultdict(list)
        self._bundles: dict[str, list[EdgeBundle]] = defaultdict(list)
        self._in: dict[str, list[Edge]] = defaultdict(list)
        self._in_bundled: dict[str, list[tuple[EdgeBundle, Edge]]] = defaultdict(list)

    def add(self, item: Edge | EdgeBundle) -> None:
        if isinstance(item, EdgeBundle):
            for source in item.sources:
                self._bundles[source].append(item)
            for edge in item.edges:
                self._in_bundled[edge.target].append((item, edge))
            return
        self._out[item.source].append(item)
        self._in[item.target].append(item)

    def out(self, key: str) -> Iterator[Edge]:
        """Every edge leaving ``key`` (memberships first), bundled ones named with their real
        source."""
        if key.startswith("user:"):
            yield from edges_membership.out_of(self.inputs, key[5:])
        yield from self._out.get(key, ())
        for bundle in self._bundles.get(key, ()):
            for edge in bundle.edges:
                yield Edge(key, edge.target, edge.kind, edge.reason, edge.gate, edge.decided_by)

    def out_shared(self, key: str) -> tuple[list[Edge], list[EdgeBundle]]:
        """``key``'s own edges and its bundles, unexpanded (for queries that share work; group
        memberships are not among them, see the module docstring)."""
        return self._out.get(key, []), self._bundles.get(key, [])

    def into(self, key: str) -> Iterator[Edge]:
        """Every edge reaching ``key``; bundled ones once per source."""
        yield from self._memberships_into(key)
        yield from self._in.get(key, ())
        for bundle, edge in self._in_bundled.get(key, ()):
            for source in bundle.sources:
                yield Edge(source, key, edge.kind, edge.reason, edge.gate, edge.decided_by)

    def sources_into(self, key: str, bundled: int = 3) -> Iterator[tuple[str, MfaDecidedBy]]:
        """``(source, decided_by)`` of every explicit edge reaching ``key``, then of at most
        ``bundled`` bundles (their first user, else first source): bundles are account-wide
        trust edges, whose targets are IAM-reachable already, so a few name them enough."""
        for edge in [*self._memberships_into(key), *self._in.get(key, ())]:
            yield edge.source, edge.decided_by
        for bundle, edge in self._in_bundled.get(key, ())[:bundled]:
            users = (s for s in bundle.sources if s.startswith("user:"))
            yield next(users, bundle.sources[0]), edge.decided_by

    def into_sample(self, key: str, *, users_first: bool = False) -> list[Edge]:
        """Edges reaching ``key``, a bundle counted once (named by its first source, or by its
        first user when ``users_first``)."""
        edges = [*self._memberships_into(key), *self._in.get(key, ())]
        for bundle, edge in self._in_bundled.get(key, ()):
            source = bundle.sources[0]
            if users_first:
                source = next((s for s in bundle.sources if s.startswith("user:")), source)
            edges.append(Edge(source, key, edge.kind, edge.reason, edge.gate, edge.decided_by))
        return edges

    def _memberships_into(self, key: str) -> Iterator[Edge]:
        """A group's membership edges (derived, not stored); none for any other node."""
        if key.startswith("group:"):
            yield from edges_membership.into(self.inputs, key[6:])

    def node(self, key: str) -> Node:
        """The node ``key`` names, with its ARN when it is a user, group or role of the
        snapshot (built on demand: 50,000 users need no node object to be walked)."""
        kind, _, name = key.partition(":")
        holder: User | Group | Role | None = None
        if kind == NodeKind.USER.value:
            holder = self.inputs.users.get(name)
        elif kind == NodeKind.GROUP.value:
            holder = self.inputs.groups.get(name)
        elif kind == NodeKind.ROLE.value:
            holder = self.inputs.roles.get(name)
        return Node(key, NodeKind(kind), name, holder.arn if holder is not None else "")


def build_graph(inputs: GraphInputs, modules: Iterable[EdgeModule] | None = None) -> AccessGraph:
    graph = AccessGraph(inputs)
    snapshot = inputs.snapshot
    linked = {f"role:{r.name}" for r in snapshot.roles if is_service_linked(r)}
    # Bundles sharing one edges tuple keep sharing one (the reach query caches by it).
    kept_edges: dict[int, tuple[tuple[Edge, ...], tuple[Edge, ...]]] = {}
    for module in EDGE_MODULES if modules is None else modules:
        for item in module(inputs):
            if isinstance(item, Edge) and item.target in linked and item.kind != "service":
                continue  # only its service can assume a service-linked role
            if isinstance(item, EdgeBundle) and linked:
                known = kept_edges.get(id(item.edges))
                if known is None or known[0] is not item.edges:
                    kept = tuple(e for e in item.edges if e.target not in linked)
                    known = kept_edges[id(item.edges)] = (item.edges, kept)
                if not known[1]:
                    continue
                item = EdgeBundle(item.sources, known[1])
            graph.add(item)
    return graph
