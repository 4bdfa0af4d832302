"""Policies that allow privileged actions without MFA: per group, and per user's own policies.

A group is judged on its own policies, because that is what its next member gets; the severity
then says whether today's members are exposed (another group's Deny may cover them). A policy
that could not be read or parsed makes the holder ``unknown``, never compliant.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext, names
from auditor.analyzer.evidence import (
    actions_phrase,
    assessment_evidence,
    make_finding,
    policy_labels,
    privileged_sample,
)
from auditor.analyzer.graph.assessed import Assessed
from auditor.analyzer.refs import (
    GLOBAL_KEYS_DOC,
    MFA_API_DOC,
    NO_CONTROL_NOTE,
    SELF_MANAGE_MFA_DOC,
)
from auditor.analyzer.remediation import REQUIRE_MFA_POLICY_JSON
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import POLICY_SOURCES, USABLE_WITHOUT_MFA, Rule, RuleSpec
from auditor.models import Finding, FindingStatus, MfaEnforcement, PrincipalType, Severity


def member_status(ctx: AnalysisContext, members: tuple[str, ...]) -> str:
    labels = {True: "MFA", False: "no MFA", None: "MFA unknown"}
    return ", ".join(f"{m} ({labels[ctx.users_by_name[m].has_mfa]})" for m in members) or "(none)"


def _device_count(ctx: AnalysisContext, members: tuple[str, ...]) -> str:
    """``2 without an MFA device (a, b)``, never counting members whose MFA is unknown (no
    credential report row) as having no device: those are counted as unknown."""
    without = [m for m in members if ctx.users_by_name[m].has_mfa is False]
    unknown = [m for m in members if ctx.users_by_name[m].has_mfa is None]
    parts = []
    if without or not unknown:
        parts.append(f"{len(without)} without an MFA device")
        parts[-1] += f" ({names(without, 5)})" if without else ""
    if unknown:
        why = "no credential report" if ctx.snapshot.credential_report is None else "not in it"
        parts.append(f"{len(unknown)} whose MFA status is unknown ({why})")
    return ", ".join(parts)


def _sample(assessed: Assessed) -> str:
    return actions_phrase(privileged_sample(assessed, 3))


def _unknown(
    ctx: AnalysisContext, spec: RuleSpec, kind: PrincipalType, name: str, arn: str, a: Assessed
) -> Finding:
    return make_finding(
        ctx,
        spec,
        principal_type=kind,
        name=name,
        arn=arn,
        detail=(
            f"{kind.value.capitalize()} {name}'s policies could not all be evaluated "
            f"({'; '.join(a.problems)}), so whether they require MFA is unknown."
        ),
        evidence=assessment_evidence(a),
        status=FindingStatus.UNKNOWN,
    )


def check_privileged_group_no_mfa_condition(ctx: AnalysisContext) -> Iterator[Finding]:
    for group in sorted(ctx.snapshot.groups, key=lambda g: g.name):
        assessed = ctx.privilege.group(group.name)
        if assessed is None:
            continue
        if assessed.verdict is not MfaEnforcement.NOT_ENFORCED:
            if assessed.problems:
                kind = PrincipalType.GROUP
                yield _unknown(ctx, GROUP_RULE, kind, group.name, group.arn, assessed)
            continue
        members = ctx.group_members.get(group.name, ())
        exposed = [
            m for m in members if ctx.privilege.user_effective(m).verdict in USABLE_WITHOUT_MFA
        ]
        detail = (
            f"Group {group.name} allows {_sample(assessed)} without MFA "
            f"through {policy_labels(assessed)}"
        )
        if exposed:
            severity = Severity.HIGH
            detail += f"; {len(members)} member(s), {_device_count(ctx, members)}"
        elif not members:
            severity = Severity.MEDIUM
            detail += "; it has no members today, so the gap opens for whoever is added"
        else:
            severity = Severity.LOW
            detail += (
                f"; each of its {len(members)} member(s) is held to MFA by other policies, "
                "but a member added without them would not be"
            )
        evidence = assessment_evidence(assessed)
        evidence["members"] = member_status(ctx, members)
        evidence["members_exposed"] = ", ".join(exposed) or "(none)"
        yield make_finding(
            ctx,
            GROUP_RULE,
            principal_type=PrincipalType.GROUP,
            name=group.name,
            arn=group.arn,
            detail=detail + ".",
            severity=severity,
            evidence=evidence,
        )


def check_privileged_user_no_mfa_condition(ctx: AnalysisContext) -> Iterator[Finding]:
    for facts in ctx.users:
        own = ctx.privilege.user_own(facts.name)
        if own is None:
            continue
        if own.verdict is not MfaEnforcement.NOT_ENFORCED:
            if own.problems:
                yield _unknown(ctx, USER_RULE, PrincipalType.USER, facts.name, facts.arn, own)
            continue
        effective = ctx.privilege.user_effective(facts.name)
        detail = (
            f"{facts.name}'s own policies ({policy_labels(own)}) allow {_sample(own)} without MFA"
        )
        severity = Severity.HIGH
        if facts.can_authenticate is False:
            severity = Severity.LOW
            detail += "; it has no password and no active key today"
        elif effective.verdict not in USABLE_WITHOUT_MFA:
            severity = Severity.LOW
            detail += "; a group policy holds it to MFA, but the grant should carry its own"
        evidence = assessment_evidence(own)
        evidence["effective_verdict"] = effective.verdict.value
        yield make_finding(
            ctx,
            USER_RULE,
            principal_type=PrincipalType.USER,
            name=facts.name,
            arn=facts.arn,
            detail=detail + ".",
            severity=severity,
            evidence=evidence,
        )


_REMEDIATION = (
    "Attach the rule's policy (shown on the card) to the {holder} (IAM console → {where} → "
    "Permissions → Add permissions → Create inline policy → JSON), or add an MFA condition to "
    "each privileged Allow.\n"
    'Use BoolIfExists with "false" in a Deny (or Bool "true" in an Allow); never '
    'BoolIfExists "true" in an Allow, which lets long-term access keys through.'
)

GROUP_RULE = RuleSpec(
    id=RuleId.PRIVILEGED_GROUP_NO_MFA_CONDITION.value,
    title="Group allows privileged actions without MFA",
    severity=Severity.HIGH,
    rationale=(
        "Every member (and every future member) of the group can use its privileged actions "
        "from a console session signed in without MFA. High when a current member is exposed, "
        "medium when the group is empty, low when other policies hold every member to MFA."
    ),
    remediation=_REMEDIATION.format(holder="group", where="User groups → <group>"),
    depends_on=POLICY_SOURCES,
    references_note=NO_CONTROL_NOTE,
    documentation=(SELF_MANAGE_MFA_DOC, GLOBAL_KEYS_DOC, MFA_API_DOC),
    remediation_policy=REQUIRE_MFA_POLICY_JSON,
)

USER_RULE = RuleSpec(
    id=RuleId.PRIVILEGED_USER_NO_MFA_CONDITION.value,
    title="User's own policies allow privileged actions without MFA",
    severity=Severity.HIGH,
    rationale=(
        "Policies attached to the user itself grant privileged actions with no MFA condition. "
        "Low when the user cannot authenticate today or a group policy already holds it to MFA."
    ),
    remediation=_REMEDIATION.format(holder="user", where="Users → <user>"),
    depends_on=POLICY_SOURCES,
    references_note=NO_CONTROL_NOTE,
    documentation=(SELF_MANAGE_MFA_DOC, GLOBAL_KEYS_DOC, MFA_API_DOC),
    remediation_policy=REQUIRE_MFA_POLICY_JSON,
)

RULES = (
    Rule(GROUP_RULE, check_privileged_group_no_mfa_condition),
    Rule(USER_RULE, check_privileged_user_no_mfa_condition),
)
