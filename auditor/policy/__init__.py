"""Pure IAM policy engine: parse, match, evaluate conditions, classify privileged actions,
explain verdicts. No AWS calls; usable on its own (``mfa-auditor explain``, ``check-policy``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.lazy import lazy_exports

if TYPE_CHECKING:
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

_HOMES = {
    "PolicyEngine": "engine",
    "explanation_to_json": "explain",
    "lint_policy": "lint",
    "ParsedPolicy": "parse",
    "parse_policy_document": "parse",
    "ActionAssessment": "types",
    "Decision": "types",
    "Explanation": "types",
    "LintProblem": "types",
    "NamedPolicy": "types",
    "PrincipalAssessment": "types",
    "PrivilegeSettings": "types",
    "RequestContext": "types",
    "StatementRef": "types",
    "TrustAssessment": "types",
}

__getattr__ = lazy_exports(__name__, _HOMES, globals())
"""The engine (and policy_sentry behind it) loads on first use: ``auditor.config`` needs only
``PrivilegeSettings`` from here, and the CLI imports the config before any AWS call."""

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
