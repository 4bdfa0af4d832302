"""Who is privileged, and is MFA required for it: the policy engine's answers, computed once each.

A user's effective privilege is its own policies plus every group's, evaluated together (a Deny
in one group applies to an Allow in another). Accounts share a few groups among many users, so
answers are cached per group and per distinct set of groups; and because an Allow grants nothing
beyond its own statement, a user whose groups and own policies each allow no privileged action
is not privileged together either, which spares the engine most users.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from auditor.errors import PolicyError
from auditor.models import AttachedPolicy, InlinePolicy, MfaEnforcement, Snapshot
from auditor.policy.types import NamedPolicy, PrincipalAssessment, TrustAssessment


class Engine(Protocol):
    """The part of ``auditor.policy.PolicyEngine`` the analyzer uses."""

    def assess_principal(
        self,
        policies: Sequence[NamedPolicy],
        *,
        attached_policy_arns: Sequence[str] = (),
        boundary: NamedPolicy | None = None,
    ) -> PrincipalAssessment: ...

    def assess_trust_policy(
        self, role_name: str, document: Mapping[str, Any], account_id: str
    ) -> TrustAssessment: ...


NOT_PRIVILEGED = PrincipalAssessment(verdict=MfaEnforcement.NOT_APPLICABLE, actions=())


@dataclass(frozen=True)
class Assessed:
    """An engine answer plus what it was computed from and what could not be read."""

    assessment: PrincipalAssessment
    policies: tuple[str, ...]
    """Names of the policies evaluated (inline and managed), for evidence."""
    missing: tuple[str, ...] = ()
    """Managed policies whose document the snapshot lacks: not evaluated (incomplete data)."""

    @property
    def verdict(self) -> MfaEnforcement:
        return self.assessment.verdict

    @property
    def privileged(self) -> bool:
        return self.assessment.privileged

    @property
    def problems(self) -> tuple[str, ...]:
        """Why the verdict may be incomplete: malformed documents and missing ones."""
        missing = tuple(f"{name}: policy document not collected" for name in self.missing)
        return tuple(self.assessment.errors) + missing


@dataclass(frozen=True)
class _PolicySet:
    policies: tuple[NamedPolicy, ...]
    arns: tuple[str, ...]
    labels: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class TrustResult:
    trust: TrustAssessment | None
    error: str = ""


class PrivilegeIndex:
    """Lazy, cached engine answers for the groups, users and roles of one snapshot."""

    def __init__(self, snapshot: Snapshot, engine: Engine) -> None:
        self._snapshot = snapshot
        self._engine = engine
        self._managed = {policy.arn: policy for policy in snapshot.policies}
        self._groups = {group.name: group for group in snapshot.groups}
        self._users = {user.name: user for user in snapshot.users}
        self._roles = {role.name: role for role in snapshot.roles}
        self._group_cache: dict[str, Assessed] = {}
        self._own_cache: dict[str, Assessed | None] = {}
        self._combined_cache: dict[tuple[object, ...], Assessed] = {}
        self._role_cache: dict[str, Assessed] = {}
        self._trust_cache: dict[str, TrustResult] = {}

    def group(self, name: str) -> Assessed | None:
        """The group's own policies; ``None`` for a group the snapshot does not describe."""
        if name not in self._groups:
            return None
        if name not in self._group_cache:
            group = self._groups[name]
            policy_set = self._policy_set(
                group.inline_policies, group.attached_policies, f"group:{name}"
            )
            self._group_cache[name] = self._assess(policy_set)
        return self._group_cache[name]

    def user_own(self, name: str) -> Assessed | None:
        """The user's own inline and attached policies; ``None`` when it has none."""
        if name not in self._own_cache:
            user = self._users.get(name)
            if user is None or not (user.inline_policies or user.attached_policies):
                self._own_cache[name] = None
            else:
                policy_set = self._policy_set(
                    user.inline_policies, user.attached_policies, f"user:{name}"
                )
                self._own_cache[name] = self._assess(policy_set, user.permissions_boundary_arn)
        return self._own_cache[name]

    def user_effective(self, name: str) -> Assessed:
        """Own policies plus every group's, evaluated together, within the user's boundary."""
        user = self._users.get(name)
        if user is None:
            return Assessed(NOT_PRIVILEGED, ())
        groups = tuple(sorted(set(user.groups)))
        parts = [assessed for g in groups if (assessed := self.group(g)) is not None]
        own = self.user_own(name)
        if own is not None:
            parts.append(own)
        labels = tuple(label for part in parts for label in part.policies)
        missing = tuple(item for part in parts for item in part.missing)
        if not any(part.privileged or part.problems for part in parts):
            return Assessed(NOT_PRIVILEGED, labels, missing)
        boundary = user.permissions_boundary_arn
        if own is None and len(parts) == 1 and boundary is None:
            return parts[0]
        key: tuple[object, ...] = (groups, name if own is not None else "", boundary)
        if key not in self._combined_cache:
            sets = [
                self._policy_set(g.inline_policies, g.attached_policies, f"group:{g.name}")
                for g in (self._groups[n] for n in groups if n in self._groups)
            ]
            sets.append(
                self._policy_set(user.inline_policies, user.attached_policies, f"user:{name}")
            )
            merged = _PolicySet(
                tuple(p for s in sets for p in s.policies),
                tuple(a for s in sets for a in s.arns),
                labels,
                missing,
            )
            self._combined_cache[key] = self._assess(merged, boundary)
        return self._combined_cache[key]

    def role(self, name: str) -> Assessed:
        if name not in self._role_cache:
            role = self._roles[name]
            policy_set = self._policy_set(
                role.inline_policies, role.attached_policies, f"role:{name}"
            )
            self._role_cache[name] = self._assess(policy_set, role.permissions_boundary_arn)
        return self._role_cache[name]

    def trust(self, name: str) -> TrustResult:
        """The role's trust policy; a malformed one is an error to report, not a pass."""
        if name not in self._trust_cache:
            role = self._roles[name]
            try:
                trust = self._engine.assess_trust_policy(
                    name, role.trust_policy, self._snapshot.account_id
                )
                self._trust_cache[name] = TrustResult(trust)
            except PolicyError as error:
                self._trust_cache[name] = TrustResult(None, str(error))
        return self._trust_cache[name]

    def _policy_set(
        self,
        inline: tuple[InlinePolicy, ...],
        attached: tuple[AttachedPolicy, ...],
        origin: str,
    ) -> _PolicySet:
        policies = [NamedPolicy(p.name, p.document, f"{origin} (inline)") for p in inline]
        missing: list[str] = []
        for ref in attached:
            managed = self._managed.get(ref.arn)
            if managed is None or managed.document is None:
                missing.append(ref.name)
                continue
            policies.append(NamedPolicy(ref.name, managed.document, origin, arn=ref.arn))
        labels = tuple(p.name for p in inline) + tuple(p.name for p in attached)
        return _PolicySet(tuple(policies), tuple(p.arn for p in attached), labels, tuple(missing))

    def _assess(self, policy_set: _PolicySet, boundary_arn: str | None = None) -> Assessed:
        boundary: NamedPolicy | None = None
        missing = list(policy_set.missing)
        if boundary_arn is not None:
            managed = self._managed.get(boundary_arn)
            if managed is None or managed.document is None:
                missing.append(f"permissions boundary {boundary_arn}")
            else:
                boundary = NamedPolicy(managed.name, managed.document, "boundary", boundary_arn)
        assessment = self._engine.assess_principal(
            policy_set.policies, attached_policy_arns=policy_set.arns, boundary=boundary
        )
        return Assessed(assessment, policy_set.labels, tuple(missing))
