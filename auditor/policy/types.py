"""The policy engine's public vocabulary: what the analyzer, the CLI and the tests exchange with it.

The engine is pure code over policy documents (no AWS calls), so every type here is a frozen
record that can be printed, compared and serialised.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.models import MfaEnforcement
from auditor.records import cached, record


class RequestContext(str, enum.Enum):
    """The four ways a request can reach AWS, as far as the MFA condition keys are concerned.

    See the IAM User Guide, "AWS global condition context keys": ``aws:MultiFactorAuthPresent``
    is present only for temporary credentials; requests signed with long-term access keys carry
    neither MFA key.
    """

    CONSOLE_NO_MFA = "console_no_mfa"
    ACCESS_KEY = "access_key"
    MFA = "mfa"
    STALE_MFA = "stale_mfa"


class Decision(str, enum.Enum):
    ALLOWED = "allowed"
    DENIED = "denied"
    CONDITIONAL = "conditional"
    """Depends on a condition key the caller did not supply: reported, never guessed."""


@record
class NamedPolicy:
    """A policy document plus where it came from, so verdicts can name the deciding statement."""

    name: str
    document: Mapping[str, Any]
    source: str = ""
    """Human-readable origin, e.g. ``group:Admins``, ``user:bob (inline)``."""
    arn: str | None = None


@record
class StatementRef:
    policy_name: str
    statement_id: str
    """The ``Sid``, or ``#<index>`` (0-based) when the statement has none."""
    effect: str
    statement_json: str
    why: str = ""


@dataclass(frozen=True)
class PrivilegeSettings:
    """What counts as privileged. Defaults follow issue 3; the config file adjusts them."""

    access_levels: frozenset[str] = frozenset({"Permissions management"})
    extra_action_patterns: tuple[str, ...] = ()
    """Added on top of the built-in privilege-escalation list (wildcards allowed)."""
    excluded_action_patterns: tuple[str, ...] = ()
    excluded_services: frozenset[str] = frozenset()
    privileged_policy_arns: tuple[str, ...] = ("arn:aws:iam::aws:policy/AdministratorAccess",)
    """A principal with one of these attached is privileged whatever its documents say."""


@record
class ActionAssessment:
    """One privileged action (or a group of actions judged the same way) for one principal."""

    action: str
    decisions: Mapping[RequestContext, Decision]
    verdict: MfaEnforcement
    deciding: tuple[StatementRef, ...] = ()
    trap: str = ""
    """Names the pitfall when ``verdict`` is bypassable, e.g. "BoolIfExists in an Allow"."""
    unknown_to_database: bool = False
    actions: tuple[str, ...] = ()
    """Every action judged this way (``action`` is a label: the first one, or ``*`` when the
    group holds every privileged action). Groups keep reports short for admin policies."""


@record
class PrincipalAssessment:
    """The engine's answer for one principal's effective identity policies."""

    verdict: MfaEnforcement
    """Worst verdict over ``actions``; ``NOT_APPLICABLE`` when no privileged action is allowed."""
    actions: tuple[ActionAssessment, ...]
    deciding: tuple[StatementRef, ...] = ()
    conditional: bool = False
    """Some decision depended on a condition key outside the four contexts."""
    errors: tuple[str, ...] = ()
    """Malformed policies, named; their statements were not evaluated (incomplete data)."""
    inert: tuple[StatementRef, ...] = ()
    """Allow statements that grant nothing privileged whatever the request, each with why
    (resources only AWS managed policies; a date condition that cannot hold at or after the
    audit time): stated in the evidence, never counted (``auditor.policy.inert``)."""

    @cached  # read for every holder of the answer
    def privileged(self) -> bool:
        return self.verdict is not MfaEnforcement.NOT_APPLICABLE


@dataclass(frozen=True)
class TrustAssessment:
    """Who may call ``sts:AssumeRole`` on a role, and whether its trust policy requires MFA."""

    assumable_by_iam_principals: bool
    """Users or roles of the account (or the account root principal) may assume it."""
    trusted_principals: tuple[str, ...]
    verdict: MfaEnforcement
    deciding: tuple[StatementRef, ...] = ()
    trap: str = ""


@dataclass(frozen=True)
class Explanation:
    """``mfa-auditor explain`` output; ``to_json`` is a public interface (see README)."""

    action: str
    resource: str
    decisions: Mapping[RequestContext, Decision]
    verdict: MfaEnforcement
    statements: tuple[StatementRef, ...]
    extra_context: Mapping[str, str] = field(default_factory=dict)
    trap: str = ""
    """The pitfall behind a gap, as in ``ActionAssessment.trap``."""
    notes: tuple[str, ...] = ()
    """Plain-language remarks (e.g. the action is MFA self-service, or unknown to the database)."""


@dataclass(frozen=True)
class LintProblem:
    """One ``check-policy`` line: file, statement, what is wrong and what to do."""

    file: str
    policy_name: str
    statement_id: str
    severity: str
    message: str
    advice: str
    blocks: bool
    """True when a privileged action is not MFA-protected (``check-policy`` exits 3)."""
    rule: str = "mfa-condition-pitfall"
    """Which kind of problem (an id of ``auditor.policy.lint_rules.LINT_RULES``): SARIF's ruleId."""
