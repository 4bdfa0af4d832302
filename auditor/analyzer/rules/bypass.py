"""``mfa_condition_bypassable``: an MFA condition is present but long-term keys walk past it.

The traps are AWS's own (IAM User Guide, "AWS global condition context keys"): ``BoolIfExists
… "true"`` in an Allow and ``Bool … "false"`` in a Deny both hold for a console session without
MFA and fail for access keys, whose requests carry no MFA key. Reported where the trap lives —
a group, a user's own policies, a role's trust policy — and, when only the combination of
several groups is bypassable (an admin group plus a Deny-Bool-false group), on each such user.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext, names
from auditor.analyzer.evidence import assessment_evidence, make_finding
from auditor.analyzer.graph.assessed import Assessed
from auditor.analyzer.graph.trustees import assumable_by_iam, iam_trustees, trusted_accounts
from auditor.analyzer.refs import CONDITION_OPERATORS_DOC, GLOBAL_KEYS_DOC, NO_CONTROL_NOTE
from auditor.analyzer.remediation import REQUIRE_MFA_POLICY_JSON
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import POLICY_SOURCES, Rule, RuleSpec
from auditor.models import Finding, MfaDecidedBy, MfaEnforcement, PrincipalType, Severity
from auditor.policy.types import StatementRef

BYPASSABLE = MfaEnforcement.BYPASSABLE


def _traps(assessed: Assessed) -> str:
    traps = sorted({a.trap for a in assessed.assessment.actions if a.trap})
    return "; ".join(traps) or "an MFA condition that does not hold for access keys"


def _where(deciding: tuple[StatementRef, ...]) -> str:
    refs = [f"{ref.policy_name}#{ref.statement_id.lstrip('#')}" for ref in deciding[:3]]
    return f" (deciding statements: {', '.join(refs)})" if refs else ""


def check_mfa_condition_bypassable(ctx: AnalysisContext) -> Iterator[Finding]:
    for group in sorted(ctx.snapshot.groups, key=lambda g: g.name):
        assessed = ctx.privilege.group(group.name)
        if assessed is None or assessed.verdict is not BYPASSABLE:
            continue
        members = ctx.group_members.get(group.name, ())
        keyed = [m for m in members if ctx.users_by_name[m].active_keys]
        detail = (
            f"Group {group.name} requires MFA in the console but not for long-term access keys: "
            f"{_traps(assessed)}{_where(assessed.assessment.deciding)}"
        )
        detail += f"; members with active keys: {names(keyed, 5)}" if keyed else ""
        evidence = assessment_evidence(assessed) | {"members_with_keys": ", ".join(keyed)}
        yield make_finding(
            ctx,
            BYPASS_RULE,
            principal_type=PrincipalType.GROUP,
            name=group.name,
            arn=group.arn,
            detail=detail + ".",
            severity=Severity.HIGH if keyed else Severity.MEDIUM,
            evidence=evidence,
        )
    yield from _users(ctx)
    yield from _roles(ctx)


def _users(ctx: AnalysisContext) -> Iterator[Finding]:
    for facts in ctx.users:
        own = ctx.privilege.user_own(facts.name)
        if own is not None and own.verdict is BYPASSABLE:
            assessed, whose = own, "own policies"
        else:
            effective = ctx.privilege.user_effective(facts.name)
            if effective.verdict is not BYPASSABLE:
                continue
            parts = [ctx.privilege.group(g) for g in facts.groups]
            if any(p is not None and p.verdict is BYPASSABLE for p in parts):
                continue  # reported once, on the group
            assessed, whose = effective, "groups' policies, taken together,"
        detail = (
            f"{facts.name}'s {whose} require MFA in the console but not for long-term access "
            f"keys: {_traps(assessed)}{_where(assessed.assessment.deciding)}"
        )
        yield make_finding(
            ctx,
            BYPASS_RULE,
            principal_type=PrincipalType.USER,
            name=facts.name,
            arn=facts.arn,
            detail=detail + ".",
            severity=Severity.HIGH if facts.active_keys else Severity.MEDIUM,
            evidence=assessment_evidence(assessed),
        )


def _roles(ctx: AnalysisContext) -> Iterator[Finding]:
    for role in sorted(ctx.snapshot.roles, key=lambda r: r.name):
        trust = ctx.privilege.trust(role.name).trust
        if trust is None or not assumable_by_iam(trust, ctx.account_id):
            continue
        if trust.verdict is not BYPASSABLE:
            continue
        if ctx.access.entry(role).decided_by not in (MfaDecidedBy.IAM, MfaDecidedBy.OTHER_ACCOUNT):
            continue  # no IAM principal reaches it: its MFA is not the trust policy's to decide
        permissions = ctx.privilege.role(role.name)
        if not permissions.privileged:
            continue
        trustees = iam_trustees(trust, ctx.account_id)
        detail = (
            f"Role {role.name} ({', '.join(permissions.policies[:3])}) requires MFA to be assumed "
            f"only in the console: {trust.trap or 'the trust condition'}{_where(trust.deciding)} "
            f"lets {', '.join(t.describe() for t in trustees[:3])} assume it with long-term keys"
        )
        evidence = assessment_evidence(permissions)
        evidence["trusted_principals"] = ", ".join(t.principal for t in trustees)
        evidence["trusted_accounts"] = trusted_accounts(trustees)
        evidence["trust_trap"] = trust.trap
        yield make_finding(
            ctx,
            BYPASS_RULE,
            principal_type=PrincipalType.ROLE,
            name=role.name,
            arn=role.arn,
            detail=detail + ".",
            evidence=evidence,
        )


BYPASS_RULE = RuleSpec(
    id=RuleId.MFA_CONDITION_BYPASSABLE.value,
    title="MFA condition present but bypassable with access keys",
    severity=Severity.HIGH,
    rationale=(
        "The policy looks MFA-protected and blocks console sessions without MFA, but requests "
        "signed with long-term access keys carry no aws:MultiFactorAuthPresent key, so "
        "'BoolIfExists true' in an Allow or 'Bool false' in a Deny lets them through. High when "
        "an affected user has active keys (or for a role), medium otherwise."
    ),
    remediation=(
        'Replace \'BoolIfExists {"aws:MultiFactorAuthPresent": "true"}\' in Allow statements '
        "with 'Bool … \"true\"', and 'Bool … \"false\"' in Deny statements with "
        "'BoolIfExists … \"false\"' (the rule's policy, shown on the card).\n"
        'For a role\'s trust policy use Bool "true" plus a NumericLessThan '
        "aws:MultiFactorAuthAge limit."
    ),
    depends_on=POLICY_SOURCES,
    references_note=NO_CONTROL_NOTE,
    documentation=(GLOBAL_KEYS_DOC, CONDITION_OPERATORS_DOC),
    remediation_policy=REQUIRE_MFA_POLICY_JSON,
)

RULES = (Rule(BYPASS_RULE, check_mfa_condition_bypassable),)
