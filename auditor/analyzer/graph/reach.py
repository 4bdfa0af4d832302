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
from auditor.analyzer.graph.records import Edge, best
from auditor.models import MfaDecidedBy, MfaEnforcement
from auditor.records import record

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


@record
class Chain:
    """One path through roles: the edges from the principal to ``target``."""

    edges: tuple[Edge, ...]
    target: int
    gate: MfaEnforcement


def session_gate(gate: MfaEnforcement) -> MfaEnforcement:
    """A role session carries ``aws:MultiFactorAuthPresent`` and never long-term keys."""
    return MfaEnforcement.ENFORCED if gate is MfaEnforcement.BYPASSABLE else gate


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
        self.reverse: list[list[tuple[int, Edge]]] = [[] for _ in self.keys]
        for i, outgoing in enumerate(self.adjacency):
            for j, edge in outgoing:
                self.reverse[j].append((i, edge))
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

    def cached(
        self, ident: tuple[object, ...], keys: bool, start: str = ""
    ) -> tuple[Chain, ...] | None:
        """``chains``' answer when it was computed for ``ident`` already (before building the
        first-hop list, which for an administrator is every role of the account)."""
        return self._chains.get((ident, keys, start))

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
        found: dict[int, Chain] = {}
        openly = [t for t in wanted if open_bits >> t & 1]
        closed = [t for t in wanted if not open_bits >> t & 1]
        if openly:
            found.update(self._search(first, openly, opening, only_open=True))
        if closed:
            found.update(self._search(first, closed, opening, only_open=False))
        result = tuple(found[t] for t in wanted if t in found)
        self._chains[cache_key] = result
        return result

    def _search(
        self,
        first: Sequence[Edge],
        targets: Sequence[int],
        opening: tuple[MfaEnforcement, ...],
        *,
        only_open: bool,
    ) -> dict[int, Chain]:
        """Shortest paths to ``targets``, through open hops only when ``only_open``: a
        breadth-first search backwards from each target to the nearest first hop (in-degrees
        are small where out-degrees are not: one admin may assume every role of the account)."""
        entry: dict[int, Edge] = {}
        for edge in first:
            j = self.index.get(edge.target)
            if j is not None and j not in entry and (not only_open or edge.gate in opening):
                entry[j] = edge
        found: dict[int, Chain] = {}
        for target in targets:
            edges = self._backwards(entry, target, only_open)
            if edges is not None:
                gates = [edges[0].gate, *(session_gate(e.gate) for e in edges[1:])]
                gates.append(self.holders[target].gate)
                found[target] = Chain(tuple(edges), target, best(gates))
        return found

    def _backwards(self, entry: dict[int, Edge], target: int, only_open: bool) -> list[Edge] | None:
        if target in entry:
            return [entry[target]]
        towards: dict[int, tuple[int, Edge] | None] = {target: None}
        queue: deque[int] = deque([target])
        while queue:
            v = queue.popleft()
            for u, edge in self.reverse[v]:
                if u in towards or (only_open and edge.gate not in OPEN_IN_SESSION):
                    continue
                towards[u] = (v, edge)
                if u in entry:
                    edges = [entry[u]]
                    step = towards[u]
                    while step is not None:
                        nxt, hop = step
                        edges.append(hop)
                        step = towards[nxt]
                    return edges
                queue.append(u)
        return None


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
