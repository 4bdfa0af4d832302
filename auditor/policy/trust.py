"""Role trust policies: can IAM principals assume the role, and must they use MFA to do so?

IAM User Guide, "Configuring MFA-protected API access": for roles, MFA is enforced in the
trust policy when the role is assumed; the role's own permissions carry no further MFA check.
``sts:AssumeRole`` requests are judged in the same four contexts as any other request (a user
calling with long-term keys and no ``SerialNumber`` carries no MFA key).

"Principal": "*", ``{"AWS": "*"}``, the account's root ARN, the bare account id, and user,
role or assumed-role ARNs of the account let the account's IAM principals in. Services and
federated (SAML, OIDC) principals do not: they use other actions and cannot prove MFA to IAM.

``NotPrincipal`` cannot be used in a role trust policy at all ("AWS JSON policy elements:
NotPrincipal": not in an IAM role trust policy, and never with Allow), so IAM would reject the
document; an exported one is judged fail-closed: an Allow with NotPrincipal lets everyone in,
a Deny with NotPrincipal is never credited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from auditor.models import MfaEnforcement
from auditor.policy.ages import age_context, age_label, has_age_test, probe_ages, window_verdict
from auditor.policy.conditions import EvalContext, evaluate_block
from auditor.policy.evaluate import ANY_RESOURCE, Entry, Outcome, action_matches, decide
from auditor.policy.parse import ParsedPolicy, Statement
from auditor.policy.types import RequestContext, StatementRef, TrustAssessment
from auditor.policy.verdict import (
    CONTEXTS,
    PROBE,
    ZERO,
    context_label,
    possibly_allowed,
    refs_for,
    relevant_contexts,
    trap_for,
    verdict_of,
)
from auditor.policy.view import EngineView

ASSUME_ROLE = "sts:AssumeRole"
_ACCOUNT_ID = re.compile(r"\d{12}")


def aws_principals(statement: Statement) -> tuple[str, ...]:
    """The IAM (``AWS``) principals a statement names, a bare account id written as its root
    ARN (the two are equivalent); ``*`` for everyone."""
    if statement.principals is None:
        return ()
    found: list[str] = []
    for kind, ids in statement.principals:
        if kind in ("*", "AWS"):
            found.extend(f"arn:aws:iam::{p}:root" if _ACCOUNT_ID.fullmatch(p) else p for p in ids)
    return tuple(found)


def granted_principals(statement: Statement) -> tuple[str, ...]:
    """Who an Allow lets in; "everyone except ..." (NotPrincipal, invalid here) counts as
    everyone."""
    return ("*",) if statement.not_principal else aws_principals(statement)


def in_account(principal: str, account_id: str) -> bool:
    if principal == "*":
        return True
    kinds = "root|user/.+|role/.+|assumed-role/.+"
    pattern = rf"arn:aws[a-z-]*:(?:iam|sts)::{re.escape(account_id)}:(?:{kinds})"
    return re.fullmatch(pattern, principal) is not None


def _names(statement: Statement, principal: str) -> bool:
    """Does the statement apply to ``principal``? A Deny is credited only when it surely
    does (fail closed): a NotPrincipal Deny (invalid in a trust policy) never is."""
    if statement.not_principal:
        return statement.is_allow
    named = aws_principals(statement)
    return "*" in named or principal in named


NOT_PRINCIPAL_TRAP = "NotPrincipal in a trust policy (invalid: judged as letting everyone in)"


def assess_trust(
    parsed: ParsedPolicy, policy_name: str, account_id: str, engine: EngineView
) -> TrustAssessment:
    contexts = engine.evaluation_contexts
    assume = [s for s in parsed.statements if action_matches(s, ASSUME_ROLE)]
    trusted: list[str] = []
    for statement in parsed.statements:
        if not statement.is_allow or statement.principals is None:
            continue
        for kind, ids in statement.principals:
            for principal in ids:
                label = principal if kind in ("*", "AWS") else f"{kind}:{principal}"
                if statement.not_principal:
                    label = f"everyone except {label}"
                if label not in trusted:
                    trusted.append(label)
    granted: list[str] = []
    for statement in assume:
        if statement.is_allow:
            granted.extend(p for p in granted_principals(statement) if p not in granted)
    if not granted:
        return TrustAssessment(False, tuple(trusted), MfaEnforcement.NOT_APPLICABLE)
    entries = [Entry(policy_name, s, parsed.variables, i) for i, s in enumerate(assume)]
    worst = MfaEnforcement.NOT_APPLICABLE
    best_refs: tuple[StatementRef, ...] = ()
    trap = ""
    for principal in granted:
        allows = [e for e in entries if e.statement.is_allow and _names(e.statement, principal)]
        denies = [e for e in entries if not e.statement.is_allow and _names(e.statement, principal)]
        outcomes = [_decide(allows, denies, contexts[i], parsed) for i in range(ZERO + 1)]
        decisions = {ctx: outcomes[i].decision for i, ctx in enumerate(CONTEXTS)}
        verdict = verdict_of(decisions, outcomes[PROBE].decision, outcomes[ZERO].decision)
        relevant: list[tuple[str, tuple[tuple[Entry, str], ...]]] = []
        if verdict is MfaEnforcement.NOT_APPLICABLE:
            verdict, relevant = _age_window(allows, denies, parsed, engine)
        if verdict.rank > worst.rank or not best_refs:
            worst = verdict
            fresh = not possibly_allowed(decisions[RequestContext.MFA])
            for index in relevant_contexts(verdict, fresh):
                label = f"{context_label(index, engine.age_label)}, principal {principal}"
                relevant.append((label, outcomes[index].deciding))
            best_refs = refs_for(relevant)
            allowing = [e for e, _ in relevant[0][1]]
            trap = trap_for(verdict, allowing, denies, ())
    if any(e.statement.not_principal for e in entries):
        trap = NOT_PRINCIPAL_TRAP
    return TrustAssessment(
        assumable_by_iam_principals=any(in_account(p, account_id) for p in granted),
        trusted_principals=tuple(trusted),
        verdict=worst,
        deciding=best_refs,
        trap=trap,
    )


def _age_window(
    allows: Sequence[Entry], denies: Sequence[Entry], parsed: ParsedPolicy, engine: EngineView
) -> tuple[MfaEnforcement, list[tuple[str, tuple[tuple[Entry, str], ...]]]]:
    """Ages around the age thresholds, when no fixed context allows (see ``ages``)."""
    if not any(has_age_test(e.statement) for e in allows):
        return MfaEnforcement.NOT_APPLICABLE, []
    allowed: list[float] = []
    first: list[tuple[str, tuple[tuple[Entry, str], ...]]] = []
    for age in probe_ages([e.statement for e in (*allows, *denies)], skip=(0.0,)):
        outcome = _decide(allows, denies, age_context(age, clock=engine.clock), parsed)
        if possibly_allowed(outcome.decision):
            allowed.append(age)
            first = first or [(age_label(age), outcome.deciding)]
    return window_verdict(allowed, engine.max_age), first


def _decide(
    allows: Sequence[Entry], denies: Sequence[Entry], context: EvalContext, parsed: ParsedPolicy
) -> Outcome:
    def condition(entry: Entry) -> bool | None:
        deny = not entry.statement.is_allow
        return evaluate_block(entry.statement.conditions, context, parsed.variables, deny)

    return decide(allows, denies, condition, ANY_RESOURCE, context.lookup)
