"""The tables and cards reporters show beside the findings: every user, every group, and a card
for each privileged group, user (own policies) and role with the statements that decide it.

Users privileged only through groups get no card of their own: the group's card lists them with
their MFA status, which keeps the report's size proportional to the number of policy holders.

A holder of a policy that could not be read or evaluated is shown as ``unknown`` (never ``n/a``,
never a compliant level) and as privileged: the unread document may allow anything. A role is
reached by assuming it, so its card's headline is the better of its two gates, the trust policy
and the permission policies (MFA proven at either suffices: IAM User Guide, "Configuring
MFA-protected API access", roles are protected by the MFA condition in their trust policy);
both verdicts stay on the card.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.analyzer.context import AnalysisContext, UserFacts
from auditor.analyzer.evidence import privileged_sample
from auditor.analyzer.graph.assessed import Assessed
from auditor.analyzer.graph.trustees import assumable_by_iam, fix_principals, iam_trustees
from auditor.analyzer.remediation import REQUIRE_MFA_POLICY_JSON, as_json, role_trust_policy
from auditor.models import (
    DecidingStatement,
    GroupSummary,
    MfaEnforcement,
    PrincipalCard,
    PrincipalType,
    Role,
    Unavailable,
    UserSummary,
)
from auditor.policy.types import StatementRef

NEEDS_FIX = (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.UNKNOWN, MfaEnforcement.BYPASSABLE)
"""Verdicts whose card carries a remediation policy (for ``unknown`` it is the safe default)."""


def user_summaries(ctx: AnalysisContext) -> tuple[UserSummary, ...]:
    group_via: dict[str, str | None] = {}  # a group's words, shared by its members
    return tuple(_user_summary(ctx, facts, group_via) for facts in ctx.users)


def shown_verdict(assessed: Assessed) -> MfaEnforcement:
    """The verdict a row shows: ``unknown`` when some policy was not evaluated.

    Not the verdict of the rest (an unread Allow may grant the same actions without MFA) and not
    ``n/a`` (which would claim "no privileged action"); the findings say which policy and why.
    """
    return MfaEnforcement.UNKNOWN if assessed.fails_closed else assessed.verdict


def shown_privileged(assessed: Assessed) -> bool:
    """Privileged, or unknown because a policy was not evaluated: treated as privileged."""
    return assessed.privileged or assessed.fails_closed


def _via(holder: str, assessed: Assessed) -> str | None:
    """``group:Admins (AdministratorAccess)``; an unevaluated holder says why; else ``None``."""
    if assessed.fails_closed:
        unread = assessed.unread or assessed.policies[:3]
        why = "could not be read" if assessed.unread else "could not be evaluated"
        return f"{holder} ({why}: {', '.join(unread)})"
    if assessed.privileged:
        return f"{holder} ({', '.join(assessed.policies[:3])})"
    return None


def _user_summary(
    ctx: AnalysisContext, facts: UserFacts, group_via: dict[str, str | None]
) -> UserSummary:
    effective = ctx.privilege.user_effective(facts.name)
    via: list[str] = []
    for group in facts.groups:
        if group not in group_via:
            assessed = ctx.privilege.group(group)
            group_via[group] = None if assessed is None else _via(f"group:{group}", assessed)
        text = group_via[group]
        if text:
            via.append(text)
    own = ctx.privilege.user_own(facts.name)
    if own is not None and (text := _via(f"user:{facts.name}", own)):
        via.append(text)
    row = facts.row
    return UserSummary(
        name=facts.name,
        arn=facts.arn,
        password_enabled=row.password_enabled if row else Unavailable.NO_INFORMATION,
        password_last_used=row.password_last_used if row else Unavailable.NO_INFORMATION,
        mfa_active=None if row is None else facts.has_mfa,
        mfa_device_types=facts.device_kinds,
        active_access_keys=facts.active_keys or 0,
        groups=facts.groups,
        privileged=shown_privileged(effective),
        privileged_via=tuple(via),
        mfa_enforcement=shown_verdict(effective),
    )


def group_summaries(ctx: AnalysisContext) -> tuple[GroupSummary, ...]:
    summaries = []
    without_mfa = {facts.name for facts in ctx.users if facts.has_mfa is False}
    for group in sorted(ctx.snapshot.groups, key=lambda g: g.name):
        assessed = ctx.privilege.group(group.name)
        members = ctx.group_members.get(group.name, ())
        summaries.append(
            GroupSummary(
                name=group.name,
                arn=group.arn,
                members=members,
                members_without_mfa=tuple(m for m in members if m in without_mfa),
                policies=assessed.policies if assessed else (),
                privileged=bool(assessed and shown_privileged(assessed)),
                mfa_enforcement=shown_verdict(assessed)
                if assessed
                else MfaEnforcement.NOT_APPLICABLE,
            )
        )
    return tuple(summaries)


def cards(ctx: AnalysisContext) -> tuple[PrincipalCard, ...]:
    result: list[PrincipalCard] = []
    for group in sorted(ctx.snapshot.groups, key=lambda g: g.name):
        assessed = ctx.privilege.group(group.name)
        if assessed is not None and shown_privileged(assessed):
            members = ctx.group_members.get(group.name, ())
            status = tuple((m, ctx.users_by_name[m].has_mfa) for m in members)
            result.append(_card(PrincipalType.GROUP, group.name, group.arn, assessed, status))
    for facts in ctx.users:
        own = ctx.privilege.user_own(facts.name)
        if own is not None and shown_privileged(own):
            result.append(_card(PrincipalType.USER, facts.name, facts.arn, own))
    for role in sorted(ctx.snapshot.roles, key=lambda r: r.name):
        card = _role_card(ctx, role)
        if card is not None:
            result.append(card)
    return tuple(result)


def _role_card(ctx: AnalysisContext, role: Role) -> PrincipalCard | None:
    """How the role is reached (trust) and what it may do once assumed (permissions).

    The headline is the better of the two gates: a session assumed with MFA carries it into every
    call, and a session assumed without MFA still meets the permission policies' MFA conditions.
    A trust policy that could not be evaluated makes the reach ``unknown``; a role no IAM
    principal may assume (only services or federated users, which cannot prove MFA to IAM) keeps
    its permissions' verdict.
    """
    assessed = ctx.privilege.role(role.name)
    if not shown_privileged(assessed):
        return None
    permissions = shown_verdict(assessed)
    result = ctx.privilege.trust(role.name)
    trust = result.trust
    deciding = list(assessed.assessment.deciding)
    reach: MfaEnforcement | None = None
    if trust is None:
        reach = MfaEnforcement.UNKNOWN
    elif trust.verdict is not MfaEnforcement.NOT_APPLICABLE and assumable_by_iam(
        trust, ctx.account_id
    ):
        reach = trust.verdict
        deciding = list(trust.deciding) + deciding
    verdict = permissions if reach is None else min(reach, permissions, key=lambda v: v.rank)
    policy = ""
    if trust is not None and reach is not None and verdict in NEEDS_FIX:
        trustees = iam_trustees(trust, ctx.account_id)
        principals = fix_principals(trustees, ctx.root_arn, ctx.partition)
        policy = as_json(role_trust_policy(principals))
    return PrincipalCard(
        principal_type=PrincipalType.ROLE,
        name=role.name,
        arn=role.arn,
        policies=assessed.policies,
        mfa_enforcement=verdict,
        privileged_actions_sample=privileged_sample(assessed, 10),
        deciding_statements=_deciding(deciding),
        remediation_policy_json=policy,
        trust_enforcement=reach,
        permissions_enforcement=permissions,
    )


def _card(
    kind: PrincipalType,
    name: str,
    arn: str,
    assessed: Assessed,
    members: tuple[tuple[str, bool | None], ...] = (),
) -> PrincipalCard:
    verdict = shown_verdict(assessed)
    return PrincipalCard(
        principal_type=kind,
        name=name,
        arn=arn,
        policies=assessed.policies,
        mfa_enforcement=verdict,
        privileged_actions_sample=privileged_sample(assessed, 10),
        deciding_statements=_deciding(assessed.assessment.deciding),
        members=members,
        remediation_policy_json=REQUIRE_MFA_POLICY_JSON if verdict in NEEDS_FIX else "",
    )


def _deciding(refs: Sequence[StatementRef]) -> tuple[DecidingStatement, ...]:
    return tuple(
        DecidingStatement(r.policy_name, r.statement_id, r.effect, r.statement_json, r.why)
        for r in refs
    )
