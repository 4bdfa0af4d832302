"""What one policy holder (a node of the access graph) can do on its own: the engine's answer
plus what it was computed from and what could not be read.

``permissions.PrivilegeIndex`` computes these once per holder; the graph's reach, the rules and
the summaries read them. ``Engine`` is the part of the policy engine they need, so tests can
hand in a double.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from auditor.models import MfaEnforcement
from auditor.policy.types import NamedPolicy, PrincipalAssessment, TrustAssessment
from auditor.records import cached, record


class Engine(Protocol):
    """The part of ``auditor.policy.PolicyEngine`` the analyzer uses."""

    def assess_principal(
        self,
        policies: Sequence[NamedPolicy],
        *,
        attached_policy_arns: Sequence[str] = (),
        boundary: NamedPolicy | None = None,
        principal: Mapping[str, str] | None = None,
        principal_tags: Mapping[str, str] | None = None,
    ) -> PrincipalAssessment: ...

    def assess_trust_policy(
        self, role_name: str, document: Mapping[str, Any], account_id: str
    ) -> TrustAssessment: ...


NOT_PRIVILEGED = PrincipalAssessment(verdict=MfaEnforcement.NOT_APPLICABLE, actions=())


@record
class Assessed:
    """An engine answer plus what it was computed from and what could not be read."""

    assessment: PrincipalAssessment
    policies: tuple[str, ...]
    """Names of the policies evaluated (inline and managed), for evidence."""
    missing: tuple[str, ...] = ()
    """Managed policies whose document the snapshot lacks: not evaluated (incomplete data)."""
    restricts: bool = False
    """Holds a statement other than a plain Allow (a Deny) or a boundary: may narrow others."""
    unreadable: tuple[str, ...] = ()
    """Inline policies whose document could not be read (not JSON): not evaluated either."""
    unread: tuple[str, ...] = ()
    """The identity policies of ``missing`` and ``unreadable`` (boundaries excluded: a boundary
    only narrows, so the verdict without it is already the worst case)."""

    @cached
    def inert(self) -> bool:
        """Cannot change the verdict of a policy set it joins (see ``permissions``)."""
        assessment = self.assessment
        return not (
            self.privileged
            or self.problems
            or self.restricts
            or assessment.conditional
            or assessment.errors
        )

    @cached
    def verdict(self) -> MfaEnforcement:
        return self.assessment.verdict

    @cached
    def privileged(self) -> bool:
        return self.assessment.privileged

    @cached
    def problems(self) -> tuple[str, ...]:
        """Why the verdict may be incomplete: malformed documents and missing ones."""
        missing = tuple(f"{name}: policy document not collected" for name in self.missing)
        unreadable = tuple(
            f"inline policy {name}: document could not be read" for name in self.unreadable
        )
        return tuple(self.assessment.errors) + missing + unreadable

    @cached
    def fails_closed(self) -> bool:
        """Some identity policy was not evaluated, so any privileged action may be allowed
        without MFA: summaries show the worst case instead of the verdict of the rest."""
        return bool(self.unread or self.assessment.errors)


@dataclass(frozen=True)
class TrustResult:
    trust: TrustAssessment | None
    error: str = ""
