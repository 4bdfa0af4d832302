"""Pure IAM policy engine: parse, match, evaluate conditions, classify privileged actions,
explain verdicts. No AWS calls; usable on its own (``mfa-auditor explain``, ``check-policy``).
"""

from __future__ import annotations

from auditor.policy.engine import PolicyEngine
from auditor.policy.explain import explanation_to_json
from auditor.policy.lint import lint_policy
from auditor.policy.parse import ParsedPolicy, parse_policy_document
from auditor.policy.types import (
    ActionAssessment,
    Decision,
    Explanation,
    LintProblem,
    NamedPolicy,
    PrincipalAssessment,
    PrivilegeSettings,
    RequestContext,
    StatementRef,
    TrustAssessment,
)

__all__ = [
    "ActionAssessment",
    "Decision",
    "Explanation",
    "LintProblem",
    "NamedPolicy",
    "ParsedPolicy",
    "PolicyEngine",
    "PrincipalAssessment",
    "PrivilegeSettings",
    "RequestContext",
    "StatementRef",
    "TrustAssessment",
    "explanation_to_json",
    "lint_policy",
    "parse_policy_document",
]
