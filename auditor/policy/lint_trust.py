"""``check-policy`` on a role trust policy: who may assume the role, and with MFA or not.

A document whose statements name a ``Principal`` (or ``NotPrincipal``) is a trust or resource
policy, not an identity policy: it is linted here. ``NotPrincipal`` is not allowed in a role
trust policy, and never with Allow ("AWS JSON policy elements: NotPrincipal"): IAM rejects
the document, and an exported copy is judged as letting everyone in (``trust``). Whether the
role may be assumed without MFA is advisory here: it matters only when the role's own
permissions are privileged, which the file does not say.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from auditor.models import MfaEnforcement
from auditor.policy.types import LintProblem

if TYPE_CHECKING:
    from auditor.policy.engine import PolicyEngine

_PLACEHOLDER_ACCOUNT = "000000000000"
_NOT_PRINCIPAL_ADVICE = (
    'name the trusted principals in "Principal"; to exclude some, add a Deny with '
    '"ArnNotEquals": {"aws:PrincipalArn": [...]}'
)
_MFA_ADVICE = 'add "Bool": {"aws:MultiFactorAuthPresent": "true"} to the Allow of sts:AssumeRole'


def is_trust_policy(document: Any) -> bool:
    """Does some statement name a principal (a trust or resource policy)?"""
    if not isinstance(document, Mapping):
        return False
    raw = document.get("Statement")
    statements = raw if isinstance(raw, list) else [raw]
    return any(
        isinstance(s, Mapping) and ("Principal" in s or "NotPrincipal" in s) for s in statements
    )


def lint_trust_policy(
    document: Any, *, file: str, policy_name: str, engine: PolicyEngine
) -> list[LintProblem]:
    """Problems in one role trust policy; raises ``PolicyError`` when it is malformed."""
    parsed = engine.parse(document, policy_name, trust=True)
    problems: list[LintProblem] = []
    for statement in parsed.statements:
        if statement.not_principal:
            effect = "with Allow it lets everyone except the named principals assume the role"
            if not statement.is_allow:
                effect = "a Deny with it is not credited"
            message = f"NotPrincipal is invalid in a role trust policy (IAM rejects it; {effect})"
            problems.append(
                LintProblem(
                    file,
                    policy_name,
                    statement.label,
                    "error",
                    message,
                    _NOT_PRINCIPAL_ADVICE,
                    statement.is_allow,
                    "trust-not-principal",
                )
            )
    trust = engine.assess_trust_policy(policy_name, document, _PLACEHOLDER_ACCOUNT)
    refs = [r for r in trust.deciding if r.effect == "Allow"] or list(trust.deciding)
    where = refs[0].statement_id if refs else "-"
    if trust.verdict in (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.BYPASSABLE):
        how = "in a console session" if trust.verdict is MfaEnforcement.NOT_ENFORCED else ""
        how = how or "with long-term access keys"
        trap = f" [{trust.trap}]" if trust.trap else ""
        problems.append(
            LintProblem(
                file,
                policy_name,
                where,
                "warning",
                f"the role can be assumed {how} without MFA{trap}; this matters when the "
                "role's permissions are privileged",
                _MFA_ADVICE,
                False,
                "trust-without-mfa",
            )
        )
    return problems
