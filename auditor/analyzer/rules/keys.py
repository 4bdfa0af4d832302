"""``access_key_privileged_no_mfa``: active keys that reach privileged actions without MFA.

Requests signed with long-term access keys carry no ``aws:MultiFactorAuthPresent`` at all (IAM
User Guide, "AWS global condition context keys"), so the question is the engine's ``access_key``
context, not whether the user owns a device. A user whose only device is a FIDO key is the
sharpest case: AWS cannot take FIDO for API calls, so its keys either bypass MFA (reported here)
or cannot use the privileged actions at all (said in a note: not a gap, but a surprise).
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext, UserFacts, names
from auditor.analyzer.evidence import (
    actions_phrase,
    assessment_evidence,
    device_clause,
    make_finding,
    user_evidence,
)
from auditor.analyzer.graph.assessed import Assessed
from auditor.analyzer.graph.query import route_words
from auditor.analyzer.refs import GLOBAL_KEYS_DOC, MFA_API_DOC
from auditor.analyzer.remediation import REQUIRE_MFA_POLICY_JSON
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import POLICY_SOURCES, Note, Rule, RuleSpec
from auditor.models import (
    AccessPath,
    CollectionSource,
    Finding,
    MfaDecidedBy,
    MfaEnforcement,
    PrincipalType,
    Severity,
)
from auditor.policy.types import Decision, RequestContext


def _key_actions(assessed: Assessed, decision: Decision) -> list[str]:
    """Every privileged action with this decision for key-signed requests (``*`` for all)."""
    found: set[str] = set()
    for item in assessed.assessment.actions:
        if item.decisions.get(RequestContext.ACCESS_KEY) is decision:
            found.update(("*",) if item.action == "*" else item.actions or (item.action,))
    return sorted(found)


def check_access_key_privileged_no_mfa(ctx: AnalysisContext) -> Iterator[Finding | Note]:
    locked_out: list[str] = []
    for facts in ctx.users:
        if facts.user is None or not facts.active_keys:
            continue
        effective = ctx.privilege.user_effective(facts.name)
        allowed = _key_actions(effective, Decision.ALLOWED) if effective.privileged else []
        maybe = _key_actions(effective, Decision.CONDITIONAL) if effective.privileged else []
        chains = _key_chains(ctx, facts)
        if allowed or maybe:
            yield _finding(ctx, facts, effective, allowed or maybe, certain=bool(allowed))
        elif chains:
            yield _chain_finding(ctx, facts, chains)
        elif effective.privileged and device_clause(facts):
            locked_out.append(facts.name)
    if locked_out:
        yield Note(
            f"{len(locked_out)} user(s) have active access keys, policies that require MFA for "
            "their privileged actions, and only a non-virtual MFA device: "
            f"{names(locked_out)}. If that device is a FIDO security key their keys can never "
            "use those actions, because AWS does not accept FIDO for MFA-protected API access."
        )


def _key_chains(ctx: AnalysisContext, facts: UserFacts) -> list[AccessPath]:
    """Role chains the keys can walk without MFA (issue 9): a key-signed ``AssumeRole`` passes
    a trust whose MFA condition does not hold for keys (``bypassable``) as well as one with none;
    each role session on the way then meets its own trust. Worst (admin) first."""
    paths = ctx.access.user_paths(facts.name, keys=True)
    walkable = [
        p
        for p in paths
        if any(h.startswith("role:") for h in p.hops[1:])
        and p.decided_by is MfaDecidedBy.IAM
        and p.gate in _KEY_OPEN
    ]
    return sorted(walkable, key=lambda p: (not p.admin, p.gate is MfaEnforcement.UNKNOWN))


_KEY_OPEN = (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.BYPASSABLE, MfaEnforcement.UNKNOWN)


def _chain_finding(ctx: AnalysisContext, facts: UserFacts, chains: list[AccessPath]) -> Finding:
    worst = chains[0]
    keys = "key" if facts.active_keys == 1 else "keys"
    certain = worst.gate is not MfaEnforcement.UNKNOWN
    can = (
        "can"
        if certain
        else "may (an MFA requirement or a role's permissions on the way could not be evaluated)"
    )
    what = "every action (*)" if worst.admin else actions_phrase(worst.example_actions)
    route = route_words(worst.hops)
    detail = f"{facts.name}'s active access {keys} {can} assume roles ({route}) and reach {what}"
    if facts.has_mfa is False:
        detail += "; it has no MFA device either"
    evidence = user_evidence(ctx, facts) | {
        "paths": "; ".join(p.description for p in chains),
        "path_gate": worst.gate.value,
    }
    return make_finding(
        ctx,
        ACCESS_KEY_PRIVILEGED_NO_MFA,
        principal_type=PrincipalType.USER,
        name=facts.name,
        arn=facts.arn,
        detail=detail + ".",
        severity=Severity.HIGH if certain else Severity.MEDIUM,
        evidence=evidence,
    )


def _finding(
    ctx: AnalysisContext, facts: UserFacts, effective: Assessed, actions: list[str], certain: bool
) -> Finding:
    keys = "key" if facts.active_keys == 1 else "keys"
    if effective.verdict is MfaEnforcement.NOT_ENFORCED:
        why = "no MFA condition applies to them"
    else:
        traps = sorted({a.trap for a in effective.assessment.actions if a.trap})
        why = "the MFA condition does not hold for long-term keys: " + (
            "; ".join(traps) or "it is written so that requests without MFA keys pass"
        )
    can = "can" if certain else "may (depending on other condition keys)"
    detail = (
        f"{facts.name}'s active access {keys} {can} call {actions_phrase(actions)} without MFA: "
        f"{why}"
    )
    clause = device_clause(facts)
    if facts.has_mfa is False:
        detail += "; it has no MFA device either"
    elif clause:
        detail += f"; {clause}, so these keys could never present MFA"
    evidence = user_evidence(ctx, facts) | assessment_evidence(effective)
    evidence["actions_allowed_with_keys_without_mfa"] = ", ".join(actions[:20])
    return make_finding(
        ctx,
        ACCESS_KEY_PRIVILEGED_NO_MFA,
        principal_type=PrincipalType.USER,
        name=facts.name,
        arn=facts.arn,
        detail=detail + ".",
        severity=Severity.HIGH if certain else Severity.MEDIUM,
        evidence=evidence,
    )


ACCESS_KEY_PRIVILEGED_NO_MFA = RuleSpec(
    id=RuleId.ACCESS_KEY_PRIVILEGED_NO_MFA.value,
    title="Access keys reach privileged actions without MFA",
    severity=Severity.HIGH,
    rationale=(
        "Long-term access keys leak through laptops, CI logs and repositories, and requests "
        "signed with them never carry MFA: unless a Deny with BoolIfExists (or an Allow with "
        "Bool true) covers them, a leaked key is a privileged session. Medium when the answer "
        "depends on condition keys outside the four request contexts."
    ),
    remediation=(
        "Move the automation to a role (IAM Identity Center, or an instance/task role) and "
        "delete the keys: IAM console → Users → <user> → Security credentials → Access keys.\n"
        "Or require MFA for key use: attach the rule's policy (shown on the card), so the user "
        "must call sts:GetSessionToken with a TOTP code first (impossible for a FIDO-only user)."
    ),
    depends_on=(CollectionSource.CREDENTIAL_REPORT, *POLICY_SOURCES),
    references_note=(
        "No CIS AWS Foundations or Security Hub control judges whether access keys can use "
        "privileged actions without MFA; IAM.19 only checks that a device exists."
    ),
    documentation=(GLOBAL_KEYS_DOC, MFA_API_DOC),
    remediation_policy=REQUIRE_MFA_POLICY_JSON,
)

RULES = (Rule(ACCESS_KEY_PRIVILEGED_NO_MFA, check_access_key_privileged_no_mfa),)
