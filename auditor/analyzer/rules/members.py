"""``privileged_member_no_mfa``: privileged users without an MFA device.

One finding per user (issue 9: one per rule and principal). Its groups, its own policies and
the role chains of the access graph are its paths, all named in the evidence (``paths``); the
worst one decides the status and severity, and ``group_name`` is that holder's group (``""``
for own policies or a role chain). A user privileged only by the roles it can assume is
reported too: reach through a chain is privilege. Membership ⋈ group privilege is a pandas join.
Severity follows what the user can do today: high when its privileges need no MFA, medium when
its policies already demand MFA (unusable until a device is enrolled), low when it has neither a
password nor an active key, and ``unknown`` when the credential report does not list it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pandas as pd

from auditor.analyzer.context import AnalysisContext, UserFacts
from auditor.analyzer.evidence import (
    actions_phrase,
    assessment_evidence,
    credentials_clause,
    make_finding,
    policy_labels,
    user_evidence,
)
from auditor.analyzer.graph.assessed import Assessed
from auditor.analyzer.graph.query import route_words
from auditor.analyzer.refs import ENABLE_MFA_DOC, MFA_API_DOC, hub
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import POLICY_SOURCES, USABLE_WITHOUT_MFA, Rule, RuleSpec
from auditor.models import (
    AccessPath,
    CollectionSource,
    Finding,
    FindingStatus,
    MfaEnforcement,
    PrincipalType,
    Severity,
)


def membership_table(ctx: AnalysisContext, candidates: list[UserFacts]) -> pd.DataFrame:
    """``user, group`` rows for every group of every candidate that is (or may be) privileged."""
    pairs = [(facts.name, group) for facts in candidates for group in dict.fromkeys(facts.groups)]
    membership: pd.DataFrame = pd.DataFrame(pairs, columns=["user", "group"], dtype=object)
    if membership.empty:
        return membership
    groups = []
    for name in membership["group"].unique():
        assessed = ctx.privilege.group(str(name))
        if assessed is not None:
            groups.append((name, assessed.privileged, bool(assessed.problems)))
    flags = pd.DataFrame(groups, columns=["group", "privileged", "incomplete"])
    joined = membership.merge(flags, on="group", how="inner")
    relevant = joined[joined["privileged"] | joined["incomplete"]]
    ordered: pd.DataFrame = relevant.sort_values(["user", "group"], kind="stable")
    columns: pd.DataFrame = ordered.loc[:, ["user", "group"]]
    return columns


def check_privileged_member_no_mfa(ctx: AnalysisContext) -> Iterator[Finding]:
    """One finding per user: its privileged groups, own policies and role chains are its
    paths, all named in the evidence; the worst of them sets the status and severity."""
    candidates = [f for f in ctx.users if f.user is not None and f.has_mfa is not True]
    rows: list[tuple[str, str]] = list(
        membership_table(ctx, candidates).itertuples(index=False, name=None)
    )
    for facts in candidates:
        own = ctx.privilege.user_own(facts.name)
        if own is not None and (own.privileged or own.problems):
            rows.append((facts.name, ""))
    per_user: dict[str, list[Finding]] = {facts.name: [] for facts in candidates}
    for user, group in sorted(rows):
        facts = ctx.users_by_name[user]
        holder = ctx.privilege.group(group) if group else ctx.privilege.user_own(user)
        if holder is not None:
            finding = _member_finding(ctx, facts, group, holder)
            if finding is not None:
                per_user[user].append(finding)
    for facts in candidates:
        paths = ctx.access.user_paths(facts.name, keys=facts.active_keys != 0)
        found = per_user[facts.name] or _chain_finding(ctx, facts, paths)
        if found:
            yield _merged(found, paths)


def _merged(found: list[Finding], paths: tuple[AccessPath, ...]) -> Finding:
    """The worst finding of the user's holders, naming every path in its evidence."""
    primary = max(found, key=lambda f: (f.status is FindingStatus.OPEN, f.severity.rank))
    others = [f for f in found if f is not primary]
    detail = primary.detail
    if others:
        also = "; ".join(f.evidence.get("via", f.group_name or "own policies") for f in others)
        detail = f"{detail[:-1]} (also privileged through: {also})."
    evidence = dict(primary.evidence)
    evidence.pop("via", None)
    if paths:
        evidence["paths"] = "; ".join(p.description for p in paths)
    return replace(primary, detail=detail, evidence=evidence)


def _chain_finding(
    ctx: AnalysisContext, facts: UserFacts, paths: tuple[AccessPath, ...]
) -> list[Finding]:
    """A user privileged only through the roles it can assume (the missed escalation)."""
    chains = [p for p in paths if any(h.startswith("role:") for h in p.hops[1:])]
    if not chains:
        return []
    worst = chains[0]
    status = FindingStatus.OPEN
    severity = Severity.HIGH
    what = "every action (*)" if worst.admin else actions_phrase(worst.example_actions)
    route = route_words(worst.hops)
    if facts.has_mfa is None:
        status = FindingStatus.UNKNOWN
        detail = (
            f"{facts.name} can reach {what} by assuming roles ({route}) but is not in the "
            "credential report (created after it?), so whether it has an MFA device is unknown."
        )
    else:
        detail = (
            f"{facts.name} can reach {what} by assuming roles ({route}) and has no MFA device; "
            f"{credentials_clause(facts)}."
        )
        if facts.can_authenticate is False:
            severity = Severity.LOW
        elif all(p.gate in (MfaEnforcement.ENFORCED, MfaEnforcement.AGE_UNBOUNDED) for p in chains):
            severity = Severity.MEDIUM
            detail = detail[:-1] + "; every role on the way already requires MFA."
    evidence = user_evidence(ctx, facts) | {"via": route, "path_gate": worst.gate.value}
    return [
        make_finding(
            ctx,
            PRIVILEGED_MEMBER_NO_MFA,
            principal_type=PrincipalType.USER,
            name=facts.name,
            arn=facts.arn,
            detail=detail,
            severity=severity,
            evidence=evidence,
            status=status,
        )
    ]


def _member_finding(
    ctx: AnalysisContext, facts: UserFacts, group: str, holder: Assessed
) -> Finding | None:
    effective = ctx.privilege.user_effective(facts.name)
    if not effective.privileged and not effective.problems:
        return None  # a boundary or a Deny elsewhere leaves nothing privileged
    labels = policy_labels(holder)
    via = f"is in {group} ({labels})" if group else f"has privileged policies of its own ({labels})"
    status = FindingStatus.OPEN
    severity = Severity.HIGH
    if not holder.privileged:
        status = FindingStatus.UNKNOWN
        where = f"group {group}" if group else "its own policies"
        mfa = "has no MFA device" if facts.has_mfa is False else "has an unknown MFA status"
        problems = "; ".join(holder.problems)
        detail = f"{facts.name} {mfa} and {where} could not be fully evaluated ({problems})."
    elif facts.has_mfa is None:
        status = FindingStatus.UNKNOWN
        detail = (
            f"{facts.name} {via} but is not in the credential report (created after it?), so "
            "whether it has an MFA device is unknown."
        )
    else:
        detail = f"{facts.name} {via} and has no MFA device; {credentials_clause(facts)}."
        if facts.can_authenticate is False:
            severity = Severity.LOW
        elif effective.verdict not in USABLE_WITHOUT_MFA:
            severity = Severity.MEDIUM
            detail = detail[:-1] + "; its policies already require MFA for these actions."
    evidence = user_evidence(ctx, facts) | assessment_evidence(holder)
    evidence["effective_verdict"] = effective.verdict.value
    evidence["via"] = f"group {group} ({labels})" if group else f"own policies ({labels})"
    return make_finding(
        ctx,
        PRIVILEGED_MEMBER_NO_MFA,
        principal_type=PrincipalType.USER,
        name=facts.name,
        arn=facts.arn,
        group=group,
        detail=detail,
        severity=severity,
        evidence=evidence,
        status=status,
    )


PRIVILEGED_MEMBER_NO_MFA = RuleSpec(
    id=RuleId.PRIVILEGED_MEMBER_NO_MFA.value,
    title="Privileged user without an MFA device",
    severity=Severity.HIGH,
    rationale=(
        "A privileged user without MFA is one stolen password or key away from an account "
        "takeover. High when its privileges need no MFA; medium when its policies already "
        "require MFA (privileges unusable until a device is enrolled, which a thief with the "
        "password could do); low when it has no password and no active key."
    ),
    remediation=(
        "Have the user enrol an MFA device: IAM console → Users → <user> → Security credentials "
        "→ Assign MFA device.\n"
        "Or remove the user from the group (Groups → <group> → Users → Remove) if it no longer "
        "needs the privilege; then require MFA in the group's policies (see the card's policy)."
    ),
    depends_on=(CollectionSource.CREDENTIAL_REPORT, *POLICY_SOURCES),
    references=(hub("IAM.19", "MFA should be enabled for all IAM users", "partial"),),
    documentation=(ENABLE_MFA_DOC, MFA_API_DOC),
)

RULES = (Rule(PRIVILEGED_MEMBER_NO_MFA, check_privileged_member_no_mfa),)
