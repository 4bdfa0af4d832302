"""The reach query: what a principal can do itself plus what every node it can become can do.

Roles are numbered and each role's reachable set is a Python ``int`` used as a bitset, computed
once per snapshot on the strongly connected components of the role graph (Tarjan's algorithm,
iterative), so cycles cost nothing and chains are followed to any depth. Two role graphs are
kept: ``open`` (hops a session without MFA can take: gate ``not_enforced`` or ``unknown``; a
role session never signs with long-term keys, so ``bypassable`` is closed after the first hop)
and ``any`` (every hop). A principal's reach is the union over its first hops, so the 5,000
members of one admin group share one answer. Paths are rebuilt on demand by a breadth-first
search (shortest path first) for at most ``MAX_PATHS`` targets, worst first.

A path's gate is the best gate along it (MFA demanded by any hop must be shown to walk it, IAM
User Guide, "Configuring MFA-protected API access": the trust policy of each role is where MFA
is enforced), including the target's own permission verdict.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditor.analyzer.graph.build import AccessGraph
from auditor.analyzer.graph.records import Edge
from auditor.models import MfaDecidedBy, MfaEnforcement

MAX_PATHS = 5
OPEN_IN_SESSION = (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.UNKNOWN)
OPEN_WITH_KEYS = (*OPEN_IN_SESSION, MfaEnforcement.BYPASSABLE)


@dataclass(frozen=True)
class Holder:
    """What a role can do with its own permissions (boundaries and Denies applied)."""

    privileged: bool
    admin: bool
    gate: MfaEnforcement
    """Its permissions' verdict, as a role session meets it (``bypassable`` reads ``enforced``)."""
    unknown: bool
    sample: tuple[str, ...]


@dataclass(frozen=True)
class Chain:
    """One path through roles: the edges from the principal to ``target``."""

    edges: tuple[Edge, ...]
    target: int
    gate: MfaEnforcement


def session_gate(gate: MfaEnforcement) -> MfaEnforcement:
    """A role session carries ``aws:MultiFactorAuthPresent`` and never long-term keys."""
    return MfaEnforcement.ENFORCED if gate is MfaEnforcement.BYPASSABLE else gate


def best(gates: Iterable[MfaEnforcement]) -> MfaEnforcement:
    """The strongest gate: MFA demanded at any of them must be shown."""
    return min(gates, key=lambda g: g.rank, default=MfaEnforcement.NOT_APPLICABLE)


class ReachIndex:
    """Role closures of one graph; ``first_hops`` and ``chains`` answer per principal."""

    def __init__(self, graph: AccessGraph, holders: Sequence[tuple[str, Holder]]) -> None:
        self.graph = graph
        self.keys = [key for key, _ in holders]
        self.holders = [holder for _, holder in holders]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.adjacency: list[list[tuple[int, Edge]]] = [[] for _ in self.keys]
        for i, key in enumerate(self.keys):
            own, bundles = graph.out_shared(key)
            for edge in [*own, *(e for b in bundles for e in b.edges)]:
                j = self.index.get(edge.target)
                if j is not None and j != i and edge.decided_by is not MfaDecidedBy.NOT_HUMAN:
                    self.adjacency[i].append((j, edge))
        self.closure_any = _closures(self.adjacency, lambda e: True)
        self.closure_open = _closures(self.adjacency, lambda e: e.gate in OPEN_IN_SESSION)
        self.masks = {name: self._mask(test) for name, test in _MASKS.items()}
        self._chains: dict[tuple[object, ...], tuple[Chain, ...]] = {}

    def _mask(self, test: object) -> int:
        bits = 0
        for i, holder in enumerate(self.holders):
            if test(holder):  # type: ignore[operator]
                bits |= 1 << i
        return bits

    def reach_bits(self, first: Sequence[Edge], keys: bool) -> tuple[int, int]:
        """(open, any) bitsets of the roles reachable through ``first`` hops."""
        open_bits = any_bits = 0
        opening = OPEN_WITH_KEYS if keys else OPEN_IN_SESSION
        for edge in first:
            j = self.index.get(edge.target)
            if j is None:
                continue
            any_bits |= self.closure_any[j]
            if edge.gate in opening:
                open_bits |= self.closure_open[j]
        return open_bits, any_bits

    def chains(
        self, first: Sequence[Edge], keys: bool, ident: tuple[object, ...], start: str = ""
    ) -> tuple[Chain, ...]:
        """Up to ``MAX_PATHS`` paths to privileged roles, worst first (cached per ``ident``);
        a role's paths back to itself are left out (its own permissions are its own path)."""
        cache_key = (ident, keys, start)
        skip = self.index.get(start, -1)
        if cache_key in self._chains:
            return self._chains[cache_key]
        open_bits, any_bits = self.reach_bits(first, keys)
        m = self.masks
        wanted: list[int] = []
        for bits in (
            open_bits & m["admin_open"],
            open_bits & m["privileged_open"],
            any_bits & m["admin"],
            any_bits & m["privileged"],
            any_bits & m["unknown"],
        ):
            for i in _bit_indexes(bits):
                if i not in wanted and i != skip:
                    wanted.append(i)
                if len(wanted) >= MAX_PATHS:
                    break
            if len(wanted) >= MAX_PATHS:
                break
        opening = OPEN_WITH_KEYS if keys else OPEN_IN_SESSION
        found = [self._chain(first, target, opening, open_bits) for target in wanted]
        result = tuple(c for c in found if c is not None)
        self._chains[cache_key] = result
        return result

    def _chain(
        self,
        first: Sequence[Edge],
        target: int,
        opening: tuple[MfaEnforcement, ...],
        open_bits: int,
    ) -> Chain | None:
        """Shortest path to ``target``, through open hops only when it is openly reachable."""
        only_open = bool(open_bits >> target & 1)
        parents: dict[int, tuple[int | None, Edge]] = {}
        queue: deque[int] = deque()
        for edge in first:
            j = self.index.get(edge.target)
            if j is None or j in parents or (only_open and edge.gate not in opening):
                continue
            parents[j] = (None, edge)
            queue.append(j)
        while queue and target not in parents:
            i = queue.popleft()
            for j, edge in self.adjacency[i]:
                if j in parents or (only_open and edge.gate not in OPEN_IN_SESSION):
                    continue
                parents[j] = (i, edge)
                queue.append(j)
        if target not in parents:
            return None
        edges: list[Edge] = []
        node: int | None = target
        while node is not None:
            previous, edge = parents[node]
            edges.append(edge)
            node = previous
        edges.reverse()
        gates = [edges[0].gate, *(session_gate(e.gate) for e in edges[1:])]
        gates.append(self.holders[target].gate)
        return Chain(tuple(edges), target, best(gates))


_MASKS = {
    "admin": lambda h: h.admin,
    "privileged": lambda h: h.privileged,
    "admin_open": lambda h: h.admin and h.gate in OPEN_IN_SESSION,
    "privileged_open": lambda h: h.privileged and h.gate in OPEN_IN_SESSION,
    "unknown": lambda h: h.unknown,
}


def _bit_indexes(bits: int) -> Iterable[int]:
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


def _closures(adjacency: list[list[tuple[int, Edge]]], keep: object) -> list[int]:
    """Each node's reachable set (itself included) over the kept edges, by SCC condensation."""
    n = len(adjacency)
    succ = [[j for j, e in adjacency[i] if keep(e)] for i in range(n)]  # type: ignore[operator]
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    component = [-1] * n
    closures: list[int] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            v, pos = work.pop()
            if pos == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            recurse = False
            for k in range(pos, len(succ[v])):
                w = succ[v][k]
                if index[w] == -1:
                    work.append((v, k + 1))
                    work.append((w, 0))
                    recurse = True
                    break
                if on_stack[w]:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                members: list[int] = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component[w] = len(closures)
                    members.append(w)
                    if w == v:
                        break
                bits = 0
                for w in members:
                    bits |= 1 << w
                for w in members:
                    for x in succ[w]:
                        c = component[x]
                        if c != len(closures):
                            bits |= closures[c]
                closures.append(bits)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return [closures[component[i]] for i in range(n)]
