"""The tables and cards reporters show beside the findings: every user, every group, and a card
for each privileged group, user (own policies) and role with the statements that decide it.

Users privileged only through groups get no card of their own: the group's card lists them with
their MFA status, which keeps the report's size proportional to the number of policy holders.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.analyzer.context import AnalysisContext, UserFacts
from auditor.analyzer.evidence import privileged_sample
from auditor.analyzer.privilege import Assessed
from auditor.analyzer.remediation import REQUIRE_MFA_POLICY_JSON, as_json, role_trust_policy
from auditor.analyzer.trustees import assumable_by_iam, fix_principals, iam_trustees
from auditor.models import (
    DecidingStatement,
    GroupSummary,
    MfaEnforcement,
    PrincipalCard,
    PrincipalType,
    Unavailable,
    UserSummary,
)
from auditor.policy.types import StatementRef

NEEDS_FIX = (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.BYPASSABLE)


def user_summaries(ctx: AnalysisContext) -> tuple[UserSummary, ...]:
    return tuple(_user_summary(ctx, facts) for facts in ctx.users)


def shown_verdict(assessed: Assessed) -> MfaEnforcement:
    """The verdict a row shows: the worst case when a policy was not evaluated (fail closed).

    ``MfaEnforcement`` has no "unknown" level and ``n/a`` would claim "no privileged action", so
    a holder of an unread or malformed policy shows ``not_enforced``, and its findings say why
    the real answer is unknown.
    """
    return MfaEnforcement.NOT_ENFORCED if assessed.fails_closed else assessed.verdict


def shown_privileged(assessed: Assessed) -> bool:
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


def _user_summary(ctx: AnalysisContext, facts: UserFacts) -> UserSummary:
    effective = ctx.privilege.user_effective(facts.name)
    holders = [(f"group:{g}", ctx.privilege.group(g)) for g in facts.groups]
    holders.append((f"user:{facts.name}", ctx.privilege.user_own(facts.name)))
    via = [text for name, a in holders if a is not None and (text := _via(name, a))]
    row = facts.row
    return UserSummary(
        name=facts.name,
        arn=facts.arn,
        password_enabled=row.password_enabled if row else Unavailable.NO_INFORMATION,
        password_last_used=row.password_last_used if row else Unavailable.NO_INFORMATION,
        mfa_active=None if row is None else facts.has_mfa,
        mfa_device_types=facts.device_kinds,
        active_access_keys=row.active_access_keys if row else 0,
        groups=facts.groups,
        privileged=shown_privileged(effective),
        privileged_via=tuple(via),
        mfa_enforcement=shown_verdict(effective),
    )


def group_summaries(ctx: AnalysisContext) -> tuple[GroupSummary, ...]:
    summaries = []
    for group in sorted(ctx.snapshot.groups, key=lambda g: g.name):
        assessed = ctx.privilege.group(group.name)
        members = ctx.group_members.get(group.name, ())
        summaries.append(
            GroupSummary(
                name=group.name,
                arn=group.arn,
                members=members,
                members_without_mfa=tuple(
                    m for m in members if ctx.users_by_name[m].has_mfa is False
                ),
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
        if assessed is not None and assessed.privileged:
            members = ctx.group_members.get(group.name, ())
            status = tuple((m, ctx.users_by_name[m].has_mfa) for m in members)
            result.append(_card(PrincipalType.GROUP, group.name, group.arn, assessed, status))
    for facts in ctx.users:
        own = ctx.privilege.user_own(facts.name)
        if own is not None and own.privileged:
            result.append(_card(PrincipalType.USER, facts.name, facts.arn, own))
    for role in sorted(ctx.snapshot.roles, key=lambda r: r.name):
        assessed = ctx.privilege.role(role.name)
        if not assessed.privileged:
            continue
        trust = ctx.privilege.trust(role.name).trust
        verdict = shown_verdict(assessed)
        deciding = list(assessed.assessment.deciding)
        assumable = trust is not None and assumable_by_iam(trust, ctx.account_id)
        if trust is not None and assumable:
            verdict = max(verdict, trust.verdict, key=lambda v: v.rank)
            deciding = list(trust.deciding) + deciding
        policy = ""
        if trust is not None and assumable and verdict in NEEDS_FIX:
            trustees = iam_trustees(trust, ctx.account_id)
            principals = fix_principals(trustees, ctx.root_arn, ctx.partition)
            policy = as_json(role_trust_policy(principals))
        result.append(
            PrincipalCard(
                principal_type=PrincipalType.ROLE,
                name=role.name,
                arn=role.arn,
                policies=assessed.policies,
                mfa_enforcement=verdict,
                privileged_actions_sample=privileged_sample(assessed, 10),
                deciding_statements=_deciding(deciding),
                remediation_policy_json=policy,
            )
        )
    return tuple(result)


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
