"""A principal's policy set against every privileged action, one statement at a time.

Evaluating ~600 privileged actions one by one for each of thousands of principals would be
slow, and pointless: two actions matched by exactly the same statements get exactly the same
decisions. So each statement's privileged actions are expanded once per policy document
(cached), actions are grouped by the set of statements that match them, and each group is
decided once per context. Self-service grants (``SELF_SERVICE_ACTIONS`` on the caller's own
user only) are dropped from their actions' groups before deciding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auditor.models import MfaEnforcement
from auditor.policy.actions import SELF_MFA_REMOVAL, PrivilegeModel
from auditor.policy.conditions import MFA_KEYS, Tri
from auditor.policy.evaluate import ANY_RESOURCE, Entry, Outcome, covers, decide
from auditor.policy.patterns import contains, may_overlap
from auditor.policy.types import (
    ActionAssessment,
    Decision,
    PrincipalAssessment,
    StatementRef,
)
from auditor.policy.verdict import (
    CONTEXTS,
    PROBE,
    context_label,
    refs_for,
    relevant_contexts,
    trap_for,
    verdict_of,
)

_RANK = {Decision.DENIED: 0, Decision.CONDITIONAL: 1, Decision.ALLOWED: 2}


class Member:
    """One statement of the set, with its per-context condition results precomputed."""

    __slots__ = (
        "boundary",
        "conditions",
        "entry",
        "identity",
        "is_allow",
        "matched",
        "mfa_not_action",
        "self_scoped",
    )

    def __init__(
        self,
        entry: Entry,
        conditions: tuple[Tri, ...],
        matched: frozenset[int],
        self_scoped: bool,
        boundary: bool = False,
    ) -> None:
        statement = entry.statement
        self.entry = entry
        self.conditions = conditions
        self.matched = matched
        self.self_scoped = self_scoped
        self.boundary = boundary
        self.is_allow = statement.is_allow
        self.identity = (entry.policy_name, id(statement), boundary)
        """Stable across principals: the engine keeps every parsed statement alive."""
        self.mfa_not_action = (
            not self.is_allow
            and statement.not_action
            and not boundary
            and any(c.key in MFA_KEYS for c in statement.conditions)
        )


@dataclass(frozen=True)
class Pseudo:
    """An action outside the privileged index: unknown to the database, or a pattern granted
    by a policy that is privileged by attachment (``PrivilegeSettings.privileged_policy_arns``)."""

    name: str
    unknown: bool


def matches_pattern(member: Member, action: str) -> bool:
    """Does the statement reach every action named by ``action`` (a name or a pattern)?"""
    statement = member.entry.statement
    if statement.not_action:
        return not any(may_overlap(action, pattern) for pattern in statement.actions)
    return any(contains(action, pattern, True) for pattern in statement.actions)


def assess_members(
    members: Sequence[Member],
    pseudo: Sequence[Pseudo],
    model: PrivilegeModel,
    age_label: str,
    errors: tuple[str, ...],
    cache: dict[tuple[object, ...], ActionAssessment | None],
) -> PrincipalAssessment:
    """``cache`` holds group answers across principals, keyed by the statements involved."""
    groups: dict[tuple[int, ...], tuple[list[int], list[str]]] = {}
    for block in _blocks(members, model):
        representative = block[0]
        positions = [p for p, m in enumerate(members) if representative in m.matched]
        if representative in model.self_service:
            positions = [
                p for p in positions if not (members[p].is_allow and members[p].self_scoped)
            ]
        if any(members[p].is_allow and not members[p].boundary for p in positions):
            groups.setdefault(tuple(positions), ([], []))[0].extend(block)
    unknown: set[str] = set()
    for item in pseudo:
        positions = [p for p, m in enumerate(members) if matches_pattern(m, item.name)]
        groups.setdefault(tuple(positions), ([], []))[1].append(item.name)
        if item.unknown:
            unknown.add(item.name)
    merged: dict[tuple[object, ...], tuple[list[int], list[str]]] = {}
    results: dict[tuple[object, ...], ActionAssessment] = {}
    mfa_denies = [m for m in members if m.mfa_not_action]
    has_boundary = any(m.boundary for m in members)
    for signature, (indexes, names) in groups.items():
        first = model.actions[min(indexes)] if indexes else names[0]
        own_removal = first in SELF_MFA_REMOVAL and all(
            members[p].self_scoped for p in signature if members[p].is_allow
        )
        carved = tuple(m.entry for m in mfa_denies if _carves_out(m, first, model))
        key = (
            tuple(members[p].identity for p in signature),
            has_boundary,
            own_removal,
            tuple((e.policy_name, id(e.statement)) for e in carved),
        )
        if key not in cache:
            chosen = [members[p] for p in signature]
            cache[key] = _assess_group(chosen, has_boundary, carved, age_label, own_removal)
        assessment = cache[key]
        if assessment is None:
            continue
        decided = tuple(assessment.decisions.values())
        merge = (decided, assessment.verdict, assessment.deciding, False, assessment.trap)
        known = [n for n in names if n not in unknown]
        if indexes or known:
            target = merged.setdefault(merge, ([], []))
            target[0].extend(indexes)
            target[1].extend(known)
            results[merge] = assessment
        fresh = [n for n in names if n in unknown]
        if fresh:
            merge = (*merge[:3], True, merge[4])
            merged.setdefault(merge, ([], []))[1].extend(fresh)
            results[merge] = assessment
    return _summarise(merged, results, model, errors)


def _blocks(members: Sequence[Member], model: PrivilegeModel) -> list[list[int]]:
    """Split the privileged actions some identity Allow reaches into classes that every
    statement treats alike: partition refinement over the distinct matched sets, as bitmasks.
    Each class is returned as its sorted action indexes."""
    reached = 0
    masks: dict[int, int] = {}
    for member in members:
        mask = model.mask(member.matched)
        masks[mask] = mask
        if member.is_allow and not member.boundary:
            reached |= mask
    blocks = [reached] if reached else []
    for splitter in (*masks, model.mask(model.self_service), model.mask(model.self_removal)):
        refined: list[int] = []
        for block in blocks:
            inside = block & splitter
            if inside and inside != block:
                refined += [inside, block & ~splitter]
            else:
                refined.append(block)
        blocks = refined
    return [model.unmask(block) for block in blocks]


def _assess_group(
    chosen: Sequence[Member],
    has_boundary: bool,
    carved: tuple[Entry, ...],
    age_label: str,
    drop_unless_gap: bool = False,
) -> ActionAssessment | None:
    """None when the actions are not privileged-allowed; ``drop_unless_gap`` for MFA removal
    on the caller's own user, which only matters when it works without MFA."""
    identity = [m for m in chosen if not m.boundary]
    boundary = [m for m in chosen if m.boundary]
    outcomes = _decide_all(identity)
    if has_boundary:
        limits = _decide_all(boundary)
        for context, limit in enumerate(limits):
            if _RANK[limit.decision] < _RANK[outcomes[context].decision]:
                outcomes[context] = limit
    decisions = {ctx: outcomes[i].decision for i, ctx in enumerate(CONTEXTS)}
    verdict = verdict_of(decisions, outcomes[PROBE].decision)
    if verdict is MfaEnforcement.NOT_APPLICABLE:
        return None
    if drop_unless_gap and verdict.rank <= MfaEnforcement.AGE_UNBOUNDED.rank:
        return None
    relevant = [
        (context_label(index, age_label), outcomes[index].deciding)
        for index in relevant_contexts(verdict)
    ]
    allowing = [entry for _, deciding in relevant[:1] for entry, _ in deciding]
    denies = [m.entry for m in identity if not m.is_allow]
    return ActionAssessment(
        action="",
        decisions=decisions,
        verdict=verdict,
        deciding=refs_for(relevant),
        trap=trap_for(verdict, allowing, denies, carved),
    )


def _decide_all(members: Sequence[Member]) -> list[Outcome]:
    """Decide in every context; which Deny covers which Allow is worked out once."""
    allows = [m.entry for m in members if m.is_allow]
    denies = [m.entry for m in members if not m.is_allow]
    table = {m.entry.order: m.conditions for m in members}
    reach = {a.order: [d for d in denies if covers(d.statement, a.statement)] for a in allows}
    seen: dict[tuple[Tri, ...], Outcome] = {}
    outcomes: list[Outcome] = []
    for context in range(PROBE + 1):
        vector = tuple(m.conditions[context] for m in members)
        outcome = seen.get(vector)
        if outcome is None:
            outcome = decide(
                allows,
                denies,
                lambda e, context=context: table[e.order][context],  # type: ignore[misc]
                ANY_RESOURCE,
                _no_lookup,
                coverage=reach,
            )
            seen[vector] = outcome
        outcomes.append(outcome)
    return outcomes


def _no_lookup(_key: str) -> None:
    return None


def _carves_out(member: Member, action: str, model: PrivilegeModel) -> bool:
    """A "deny unless MFA" NotAction statement whose list leaves ``action`` out."""
    if not member.mfa_not_action:
        return False
    index = model.index.get(action)
    if index is not None:
        return index not in member.matched
    return not matches_pattern(member, action)


def _summarise(
    merged: dict[tuple[object, ...], tuple[list[int], list[str]]],
    results: dict[tuple[object, ...], ActionAssessment],
    model: PrivilegeModel,
    errors: tuple[str, ...],
) -> PrincipalAssessment:
    everything = len(model.actions)
    assessments: list[ActionAssessment] = []
    for key, (indexes, names) in merged.items():
        template = results[key]
        shown = model.display_indexes(tuple(sorted(indexes))) + tuple(sorted(names))
        label = "*" if len(indexes) >= everything or "*" in names else shown[0]
        assessments.append(
            ActionAssessment(
                action=label,
                decisions=template.decisions,
                verdict=template.verdict,
                deciding=template.deciding,
                trap=template.trap,
                unknown_to_database=bool(key[3]),
                actions=shown,
            )
        )
    assessments.sort(key=lambda a: (-a.verdict.rank, -len(a.actions), a.action))
    if not assessments:
        return PrincipalAssessment(MfaEnforcement.NOT_APPLICABLE, (), errors=errors)
    worst = assessments[0].verdict
    deciding: list[StatementRef] = []
    seen: set[tuple[str, str]] = set()
    for assessment in assessments:
        if assessment.verdict is not worst:
            break
        for ref in assessment.deciding:
            if (ref.policy_name, ref.statement_id) not in seen and len(deciding) < 20:
                seen.add((ref.policy_name, ref.statement_id))
                deciding.append(ref)
    conditional = any(d is Decision.CONDITIONAL for a in assessments for d in a.decisions.values())
    return PrincipalAssessment(
        verdict=worst,
        actions=tuple(assessments),
        deciding=tuple(deciding),
        conditional=conditional,
        errors=errors,
    )
