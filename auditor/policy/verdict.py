"""From the four decisions to a verdict, and the name of the pitfall that caused a gap.

The pitfalls are the ones AWS documents on "AWS global condition context keys"
(aws:MultiFactorAuthPresent) and "IAM JSON policy elements: Condition operators":

- ``BoolIfExists`` true in an Allow (the console's "MFA required" checkbox): requests with
  long-term access keys carry no MFA key, so they pass -> *bypassable*;
- ``Bool`` false in a Deny: the same keys carry no value to be false -> *bypassable*;
- ``Null`` true in a Deny: denies only requests without the key, so a console session signed
  in without MFA (key present, "false") passes -> *not enforced*;
- ``Null`` false in an Allow: any temporary credentials pass, MFA or not -> *not enforced*;
- ``...IfExists`` on ``aws:MultiFactorAuthAge`` in an Allow, or a plain age test in a Deny:
  requests without MFA have no age, so they pass -> *not enforced*;
- an action left out of a NotAction "deny unless MFA" statement (AWS-2023-001's lesson).

A CONDITIONAL decision counts as possibly allowed (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auditor.models import MfaEnforcement
from auditor.policy.conditions import MFA_AGE, MFA_KEYS, MFA_PRESENT
from auditor.policy.evaluate import Entry
from auditor.policy.parse import Statement
from auditor.policy.types import Decision, RequestContext, StatementRef


def possibly_allowed(decision: Decision) -> bool:
    return decision is not Decision.DENIED


def verdict_of(
    decisions: Mapping[RequestContext, Decision],
    age_probe: Decision,
    zero_probe: Decision = Decision.DENIED,
) -> MfaEnforcement:
    """``age_probe`` is the decision for an MFA session just older than the allowed maximum,
    ``zero_probe`` for one aged 0 s: an action allowed only with a very fresh MFA session is
    still privileged (and enforced), whatever the sample fresh age (see ``ages``)."""
    probes = (age_probe, zero_probe)
    if not any(possibly_allowed(d) for d in (*decisions.values(), *probes)):
        return MfaEnforcement.NOT_APPLICABLE
    if possibly_allowed(decisions[RequestContext.CONSOLE_NO_MFA]):
        return MfaEnforcement.NOT_ENFORCED
    if possibly_allowed(decisions[RequestContext.ACCESS_KEY]):
        return MfaEnforcement.BYPASSABLE
    if possibly_allowed(decisions[RequestContext.STALE_MFA]) or possibly_allowed(age_probe):
        return MfaEnforcement.AGE_UNBOUNDED
    return MfaEnforcement.ENFORCED


CONTEXTS = tuple(RequestContext)
PROBE = len(CONTEXTS)
"""Index of the extra "MFA session just older than max_age" context, after the four."""
ZERO = PROBE + 1
"""Index of the extra "MFA session aged 0 s" context, after the max-age probe."""


def relevant_contexts(verdict: MfaEnforcement, fresh_denied: bool = False) -> tuple[int, ...]:
    """Indexes (into ``CONTEXTS`` + ``PROBE``, ``ZERO``) of the contexts that explain a
    verdict; the first one holds the statements that let the request through.
    ``fresh_denied``: the sample fresh MFA session is denied, so the 0 s session shows what
    allows the action."""
    console, keys = 0, 1
    if verdict is MfaEnforcement.NOT_ENFORCED:
        return (console,)
    if verdict is MfaEnforcement.BYPASSABLE:
        return (keys, console)
    if verdict is MfaEnforcement.AGE_UNBOUNDED:
        return (PROBE, console, keys)
    return ((ZERO,) if fresh_denied else ()) + (console, keys, PROBE)


def context_label(index: int, age_label: str) -> str:
    if index == ZERO:
        return "MFA session aged 0s"
    return age_label if index == PROBE else CONTEXTS[index].value


def mfa_conditions(statement: Statement) -> list[tuple[str, bool, str, tuple[str, ...]]]:
    """(base operator, IfExists, key, values) for each MFA condition of a statement."""
    if not statement.conditions:
        return []
    return [
        (c.base, c.if_exists, c.key, tuple(v.lower() for v in c.values))
        for c in statement.conditions
        if c.key in MFA_KEYS
    ]


def trap_for(
    verdict: MfaEnforcement,
    allowing: Iterable[Entry],
    matching_denies: Iterable[Entry],
    carved_out_by: Iterable[Entry],
) -> str:
    """A short name for the pitfall behind a gap, or ``""`` when no MFA condition was tried."""
    if verdict is MfaEnforcement.BYPASSABLE:
        for entry in allowing:
            for _base, if_exists, key, _ in mfa_conditions(entry.statement):
                if key == MFA_PRESENT and if_exists:
                    return "BoolIfExists in an Allow (long-term access keys pass)"
                if key == MFA_AGE and if_exists:
                    return "IfExists on aws:MultiFactorAuthAge in an Allow (access keys pass)"
        for entry in matching_denies:
            for base, if_exists, key, values in mfa_conditions(entry.statement):
                if key == MFA_PRESENT and base == "bool" and not if_exists and "false" in values:
                    return "Bool false in a Deny (long-term access keys pass)"
        return "long-term access keys pass the MFA check"
    if verdict is not MfaEnforcement.NOT_ENFORCED:
        return ""
    for entry in allowing:
        for base, if_exists, key, values in mfa_conditions(entry.statement):
            if key == MFA_PRESENT and base == "null" and "false" in values:
                return "Null false in an Allow (any temporary credentials pass, MFA or not)"
            if key == MFA_AGE and if_exists:
                return "IfExists on aws:MultiFactorAuthAge in an Allow (no MFA means no age)"
    for entry in matching_denies:
        for base, if_exists, key, values in mfa_conditions(entry.statement):
            if key == MFA_PRESENT and base == "null" and "true" in values:
                return "Null true in a Deny (console sessions without MFA pass)"
            if key == MFA_AGE and base.startswith("numeric") and not if_exists:
                return "aws:MultiFactorAuthAge in a Deny without IfExists (no MFA means no age)"
    for entry in carved_out_by:
        return f"excluded by the NotAction of MFA Deny {entry.policy_name}/{entry.statement.label}"
    return ""


def statement_ref(entry: Entry, why: str) -> StatementRef:
    statement = entry.statement
    return StatementRef(
        policy_name=entry.policy_name,
        statement_id=statement.label,
        effect=statement.effect,
        statement_json=statement.json,
        why=why,
    )


def refs_for(
    outcomes: Iterable[tuple[str, Iterable[tuple[Entry, str]]]],
) -> tuple[StatementRef, ...]:
    """Merge per-context deciding statements: one ref per statement, contexts listed in why."""
    order: list[int] = []
    entries: dict[int, Entry] = {}
    reasons: dict[int, dict[str, list[str]]] = {}
    for context, deciding in outcomes:
        for entry, why in deciding:
            if entry.order not in entries:
                order.append(entry.order)
                entries[entry.order] = entry
                reasons[entry.order] = {}
            reasons[entry.order].setdefault(why, []).append(context)
    return tuple(
        statement_ref(
            entries[key],
            "; ".join(f"{why} ({', '.join(ctxs)})" for why, ctxs in reasons[key].items()),
        )
        for key in order
    )
