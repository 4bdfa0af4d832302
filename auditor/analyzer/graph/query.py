"""``AccessModel``: the graph plus its reach index, and the questions rules and rows ask of it.

Built once per analysis (``AnalysisContext.access``). A user's own reach is its joint verdict
(groups and own policies together, boundary and Denies applied, as ``PrivilegeIndex`` computes
it), one path per policy holder that grants the privilege; its chains start at its first hops.
A role's entry says who can reach it at all: IAM principals of this account (``iam``), another
account, Identity Center or an IdP, or only services (``not_human``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from auditor.analyzer.evidence import actions_phrase, privileged_sample
from auditor.analyzer.graph.assessed import Assessed
from auditor.analyzer.graph.build import AccessGraph, build_graph
from auditor.analyzer.graph.inputs import GraphInputs, is_identity_center_role, is_service_linked
from auditor.analyzer.graph.permissions import PrivilegeIndex
from auditor.analyzer.graph.reach import Chain, Holder, ReachIndex, session_gate
from auditor.analyzer.graph.records import NodeKind, best
from auditor.models import AccessPath, MfaDecidedBy, MfaEnforcement, Role, Snapshot
from auditor.policy.engine import PolicyEngine

_DECIDER_ORDER = (
    MfaDecidedBy.IAM,
    MfaDecidedBy.OTHER_ACCOUNT,
    MfaDecidedBy.EXTERNAL_IDP,
    MfaDecidedBy.IDENTITY_CENTER,
)


def is_admin(assessed: Assessed) -> bool:
    """Every privileged action is allowed (the engine groups them under ``*``)."""
    return any(a.action == "*" and a.verdict.rank > 0 for a in assessed.assessment.actions)


def sample_of(assessed: Assessed) -> tuple[str, ...]:
    """Worst-first privileged actions (``*`` alone for an administrator)."""
    return ("*",) if is_admin(assessed) else privileged_sample(assessed, 5)


def holder_of(assessed: Assessed) -> Holder:
    admin = is_admin(assessed)
    unknown = assessed.fails_closed or bool(assessed.problems)
    gate = MfaEnforcement.UNKNOWN if assessed.fails_closed else session_gate(assessed.verdict)
    sample = sample_of(assessed)
    return Holder(assessed.privileged or assessed.fails_closed, admin, gate, unknown, sample)


@dataclass(frozen=True)
class Entry:
    """How a role can be reached: by whom MFA is decided, and the IAM gate when IAM decides."""

    decided_by: MfaDecidedBy
    gate: MfaEnforcement
    via: tuple[str, ...]
    """The terminals or principals it is reached from, for evidence."""


class AccessModel:
    def __init__(
        self, snapshot: Snapshot, privilege: PrivilegeIndex, engine: PolicyEngine, partition: str
    ) -> None:
        self.privilege = privilege
        self.inputs = GraphInputs(snapshot, privilege, privilege.engine, partition, engine)
        self.graph: AccessGraph = build_graph(self.inputs)
        holders = [(f"role:{r.name}", holder_of(privilege.role(r.name))) for r in snapshot.roles]
        self.reach = ReachIndex(self.graph, holders)
        self._paths: dict[tuple[str, bool | None], tuple[AccessPath, ...]] = {}
        self._samples: dict[int, tuple[Assessed, tuple[str, ...]]] = {}
        self._tails: dict[int, tuple[Chain, AccessPath]] = {}
        self._own_tails: dict[tuple[str, MfaEnforcement, int], tuple[Assessed, AccessPath]] = {}

    def _sample(self, assessed: Assessed) -> tuple[str, ...]:
        """``sample_of``, once per answer (group answers are shared by their members)."""
        cached = self._samples.get(id(assessed))
        if cached is None or cached[0] is not assessed:
            cached = self._samples[id(assessed)] = (assessed, sample_of(assessed))
        return cached[1]

    # ---- paths -------------------------------------------------------------------------

    def user_paths(self, name: str, keys: bool) -> tuple[AccessPath, ...]:
        """The user's own privilege (one path per granting holder), then its chains."""
        cached = self._paths.get((name, keys))
        if cached is None:
            cached = self._paths[(name, keys)] = self._user_paths(name, keys)
        return cached

    def _user_paths(self, name: str, keys: bool) -> tuple[AccessPath, ...]:
        user = self.inputs.users.get(name)
        if user is None:
            return ()
        paths: list[AccessPath] = []
        effective = self.privilege.user_effective(name)
        start = f"user:{name}"
        if effective.privileged:
            verdict = effective.verdict
            holders = [(f"group:{g}", self.privilege.group(g)) for g in dict.fromkeys(user.groups)]
            holders.append(("", self.privilege.user_own(name)))
            for hop, holder in holders:
                if holder is not None and holder.privileged:
                    paths.append(self._own_path(start, hop, verdict, holder))
        paths.extend(self._chain_paths(start, keys))
        return tuple(paths)

    def _own_path(
        self, start: str, hop: str, verdict: MfaEnforcement, holder: Assessed
    ) -> AccessPath:
        """A user's path through one policy holder: worded once per (holder, verdict), since a
        group's members differ only in their own name."""
        key = (hop, verdict, id(holder))
        cached = self._own_tails.get(key)
        if cached is None or cached[0] is not holder:
            hops = ("", hop) if hop else ("",)
            model = _own_path(hops, verdict, holder, sample=self._sample(holder))
            cached = self._own_tails[key] = (holder, model)
        return _from(start, cached[1])

    def role_paths(self, role: Role) -> tuple[AccessPath, ...]:
        """The role's own permissions behind its entry gate, then the roles it can chain to."""
        cached = self._paths.get((role.name, None))
        if cached is None:
            cached = self._paths[(role.name, None)] = self._role_paths(role)
        return cached

    def _role_paths(self, role: Role) -> tuple[AccessPath, ...]:
        key = f"role:{role.name}"
        entry = self.entry(role)
        paths: list[AccessPath] = []
        assessed = self.privilege.role(role.name)
        holder = self.reach.holders[self.reach.index[key]]
        if holder.privileged:
            gate = (
                holder.gate
                if entry.decided_by is not MfaDecidedBy.IAM
                else best((entry.gate, holder.gate))
            )
            paths.append(_own_path((key,), gate, assessed, entry.decided_by, holder.admin))
        for path in self._chain_paths(key, False):
            gate = (
                best((entry.gate, path.gate)) if entry.decided_by is MfaDecidedBy.IAM else path.gate
            )
            decided = (
                entry.decided_by if entry.decided_by is not MfaDecidedBy.IAM else path.decided_by
            )
            paths.append(_describe(path.hops, gate, decided, path.admin, path.example_actions))
        return tuple(paths)

    def _chain_paths(self, start: str, keys: bool) -> list[AccessPath]:
        own, bundles = self.graph.out_shared(start)
        own = [e for e in own if e.target.startswith("role:")]
        if not own and not bundles:
            return []
        ident: tuple[object, ...] = (  # bundles of one signature share their edges tuple
            tuple(id(b.edges) for b in bundles),
            tuple((e.target, e.gate) for e in own),
        )
        if own:
            ident = (start, *ident)
        role_start = start if start.startswith("role:") else ""
        chains = self.reach.cached(ident, keys, role_start)
        if chains is None:
            first = own + [e for b in bundles for e in b.edges]
            chains = self.reach.chains(first, keys, ident, role_start)
        return [self._chain_path(start, chain) for chain in chains]

    def _chain_path(self, start: str, chain: Chain) -> AccessPath:
        """The chain from ``start``: what follows the first hop is worded once per chain, since
        every member of a group (or user with the same grants) shares the same chains."""
        cached = self._tails.get(id(chain))
        if cached is None or cached[0] is not chain:
            holder = self.reach.holders[chain.target]
            tail = tuple(e.target for e in chain.edges)
            decided = next(
                (e.decided_by for e in chain.edges if e.decided_by is not MfaDecidedBy.IAM),
                MfaDecidedBy.IAM,
            )
            model = _describe(("", *tail), chain.gate, decided, holder.admin, holder.sample)
            cached = self._tails[id(chain)] = (chain, model)
        return _from(start, cached[1])

    # ---- entries -----------------------------------------------------------------------

    @cached_property
    def _entries(self) -> dict[str, Entry]:
        """Every role's entry, by a forward search from each kind of origin over role hops."""
        entries: dict[str, Entry] = {}
        index = self.inputs.trust_index
        origins: dict[MfaDecidedBy, set[str]] = {d: set() for d in _DECIDER_ORDER}
        vias: dict[str, list[str]] = {}
        for role in self.inputs.snapshot.roles:
            key = f"role:{role.name}"
            for source, decided_by in self.graph.sources_into(key):
                source_kind = source.partition(":")[0]
                if decided_by is MfaDecidedBy.IAM and source_kind == NodeKind.USER.value:
                    origins[MfaDecidedBy.IAM].add(key)
                elif (
                    decided_by is not MfaDecidedBy.IAM
                    and decided_by in origins
                    and source_kind != NodeKind.ROLE.value
                ):
                    origins[decided_by].add(key)
                if decided_by is not MfaDecidedBy.NOT_HUMAN and len(vias.get(key, ())) < 5:
                    vias.setdefault(key, []).append(source)
        for trusted in index.account_wide:
            if trusted.gate is not MfaEnforcement.NOT_APPLICABLE:
                origins[MfaDecidedBy.IAM].add(f"role:{trusted.role.name}")
        for principal, trusted_list in index.by_principal.items():
            if _dangling(self, principal):
                for trusted in trusted_list:
                    origins[MfaDecidedBy.IAM].add(f"role:{trusted.role.name}")
        for role, _error in index.unknown:
            origins[MfaDecidedBy.IAM].add(f"role:{role.name}")
        reached: dict[str, MfaDecidedBy] = {}
        for decider in _DECIDER_ORDER:
            for key in self._forward(origins[decider]):
                reached.setdefault(key, decider)
        for role in self.inputs.snapshot.roles:
            key = f"role:{role.name}"
            decider = reached.get(key, MfaDecidedBy.NOT_HUMAN)
            if is_identity_center_role(role):
                decider = MfaDecidedBy.IDENTITY_CENTER
            if is_service_linked(role):
                decider = MfaDecidedBy.NOT_HUMAN
            trust = self.privilege.trust(role.name).trust
            gate = MfaEnforcement.UNKNOWN if trust is None else trust.verdict
            entries[key] = Entry(decider, gate, tuple(dict.fromkeys(vias.get(key, ())))[:5])
        return entries

    def _forward(self, starts: set[str]) -> set[str]:
        seen = set(starts)
        queue = deque(starts)
        index = self.reach.index
        while queue:
            key = queue.popleft()
            i = index.get(key)
            if i is None:
                continue
            for j, _edge in self.reach.adjacency[i]:
                target = self.reach.keys[j]
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        return seen

    def entry(self, role: Role) -> Entry:
        return self._entries[f"role:{role.name}"]


def _dangling(model: AccessModel, principal: str) -> bool:
    """A trusted ARN of this account naming no principal in the snapshot: fail closed (someone
    may hold it), unless it is an Identity Center session."""
    from auditor.analyzer.graph.edges_assume import _source

    if "assumed-role/AWSReservedSSO_" in principal:
        return False
    return _source(model.inputs, principal) is None


def _from(start: str, model: AccessPath) -> AccessPath:
    """``model`` (worded from an empty first hop) as the path of ``start``."""
    return AccessPath(
        (start, *model.hops[1:]),
        model.gate,
        model.decided_by,
        model.admin,
        model.example_actions,
        start.replace(":", " ", 1) + model.description,
    )


def _own_path(
    hops: tuple[str, ...],
    gate: MfaEnforcement,
    assessed: Assessed,
    decided: MfaDecidedBy = MfaDecidedBy.IAM,
    admin: bool | None = None,
    sample: tuple[str, ...] | None = None,
) -> AccessPath:
    admin = is_admin(assessed) if admin is None else admin
    sample = ("*",) if admin else sample if sample is not None else sample_of(assessed)
    return _describe(hops, gate, decided, admin, sample)


def _describe(
    hops: Sequence[str],
    gate: MfaEnforcement,
    decided: MfaDecidedBy,
    admin: bool,
    sample: tuple[str, ...],
) -> AccessPath:
    names = route_words(hops)
    chain = any(h.startswith("role:") for h in hops[1:])
    what = "every action (*)" if admin else actions_phrase(sample)
    return AccessPath(
        tuple(hops),
        gate,
        decided,
        admin,
        sample,
        f"{names}: {what}; {gate_words(gate, decided, chain)}",
    )


def route_words(hops: Sequence[str]) -> str:
    """``user dana → role Deploy → role Admin``: hops as a reviewer reads them."""
    return " → ".join(h.replace(":", " ", 1) for h in hops)


def gate_words(gate: MfaEnforcement, decided: MfaDecidedBy, chain: bool = False) -> str:
    if decided is MfaDecidedBy.NOT_HUMAN:
        return "not a human path (AWS service)"
    if decided is MfaDecidedBy.IDENTITY_CENTER:
        return "MFA decided by Identity Center"
    if decided is MfaDecidedBy.EXTERNAL_IDP:
        return "MFA decided by the identity provider"
    if decided is MfaDecidedBy.OTHER_ACCOUNT:
        return "MFA decided by the other account"
    if gate is MfaEnforcement.NOT_ENFORCED:
        return "no MFA on any hop" if chain else "no MFA required"
    return {
        MfaEnforcement.UNKNOWN: "MFA requirement unknown",
        MfaEnforcement.BYPASSABLE: "MFA required in the console only (access keys bypass it)",
        MfaEnforcement.AGE_UNBOUNDED: "MFA required (no age limit)",
        MfaEnforcement.ENFORCED: "MFA required",
    }.get(gate, "no gate")
