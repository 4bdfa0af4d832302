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

from auditor.models import MfaEnforcement
from auditor.policy.actions import PrivilegeModel
from auditor.policy.ages import AgeLimits
from auditor.policy.group import assess_group
from auditor.policy.member import Member, Pseudo
from auditor.policy.patterns import contains, may_overlap
from auditor.policy.types import ActionAssessment, Decision, PrincipalAssessment, StatementRef

__all__ = ["Member", "Pseudo", "assess_members", "matches_pattern"]


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
    limits: AgeLimits,
    errors: tuple[str, ...],
    cache: dict[tuple[object, ...], ActionAssessment | None],
) -> PrincipalAssessment:
    """``cache`` holds group answers across principals, keyed by the statements involved."""
    groups: dict[tuple[tuple[int, ...], bool], tuple[list[int], list[str]]] = {}
    for block in _blocks(members, model):
        representative = block[0]
        positions = [p for p, m in enumerate(members) if representative in m.matched]
        if representative in model.self_service:
            positions = [
                p for p in positions if not (members[p].is_allow and members[p].self_scoped)
            ]
        if any(members[p].is_allow and not members[p].boundary for p in positions):
            removal = representative in model.self_removal
            groups.setdefault((tuple(positions), removal), ([], []))[0].extend(block)
    unknown: set[str] = set()
    for item in pseudo:
        positions = [p for p, m in enumerate(members) if matches_pattern(m, item.name)]
        groups.setdefault((tuple(positions), False), ([], []))[1].append(item.name)
        if item.unknown:
            unknown.add(item.name)
    merged: dict[tuple[object, ...], tuple[list[int], list[str]]] = {}
    results: dict[tuple[object, ...], ActionAssessment] = {}
    mfa_denies = [m for m in members if m.mfa_not_action]
    has_boundary = any(m.boundary for m in members)
    for (signature, removal), (indexes, names) in groups.items():
        first = model.actions[min(indexes)] if indexes else names[0]
        own_removal = removal and all(
            members[p].self_scoped
            for p in signature
            if members[p].is_allow and not members[p].boundary
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
            cache[key] = assess_group(chosen, has_boundary, carved, limits, own_removal)
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
