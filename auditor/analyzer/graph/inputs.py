"""What edge modules read: the snapshot, the engine's cached answers, and indexes built once.

``TrustIndex`` indexes every role's trust policy by the principals it names, so an edge module
asks "which roles trust ``arn:…:user/dana``?" in one lookup instead of comparing every
principal with every role (PMapper's O(n²) STS check, see STYLE.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from auditor.analyzer.graph.assessed import Engine, TrustResult
from auditor.analyzer.graph.permissions import PrivilegeIndex
from auditor.analyzer.graph.trustees import trustee_place
from auditor.models import Group, MfaEnforcement, Role, Snapshot, User
from auditor.policy.engine import PolicyEngine
from auditor.policy.parse import Statement
from auditor.policy.types import NamedPolicy

if TYPE_CHECKING:
    from auditor.analyzer.graph.identity import AssumeKey

SSO_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/"
SERVICE_ROLE_PATH = "/aws-service-role/"
SSO_PROVIDER = re.compile(r"AWSSSO_[0-9A-Za-z]+_DO_NOT_DELETE")


def is_identity_center_role(role: Role) -> bool:
    """A role Identity Center created for a permission set (AWS-FACTS.md, Identity Center)."""
    return role.name.startswith("AWSReservedSSO_") and role.path.startswith(SSO_ROLE_PATH)


def is_service_linked(role: Role) -> bool:
    """Service-linked roles live under ``/aws-service-role/`` and only their service uses them."""
    return role.path.startswith(SERVICE_ROLE_PATH)


@dataclass(frozen=True)
class Trusted:
    """One role trusting one principal label (as ``TrustAssessment.trusted_principals``)."""

    role: Role
    principal: str
    gate: MfaEnforcement
    """The trust policy's verdict for ``sts:AssumeRole`` (the worst over its IAM principals)."""


@dataclass
class TrustIndex:
    """Roles by the principals their trust policies name."""

    by_principal: dict[str, list[Trusted]] = field(default_factory=lambda: defaultdict(list))
    """Exact principal ARN (user, role, assumed-role, another account's root) → roles."""
    account_wide: list[Trusted] = field(default_factory=list)
    """Roles trusting this account's root (or ``*``): the caller's identity policy decides."""
    other: list[Trusted] = field(default_factory=list)
    """Federated, service and other-account principals: terminals."""
    unknown: list[tuple[Role, str]] = field(default_factory=list)
    """Trust policies that could not be evaluated, with the engine's error."""


def build_trust_index(
    roles: tuple[Role, ...], trusts: Mapping[str, TrustResult], account_id: str
) -> TrustIndex:
    index = TrustIndex()
    for role in roles:
        result = trusts[role.name]
        if result.trust is None:
            index.unknown.append((role, result.error))
            continue
        for label in result.trust.trusted_principals:
            entry = Trusted(role, label, result.trust.verdict)
            place = trustee_place(label, account_id)
            if place in ("account", "anyone"):
                index.account_wide.append(entry)
            if place in ("outside", "anyone"):
                index.other.append(entry)
            if place == "principal":
                index.by_principal[label].append(entry)
    return index


@dataclass
class GraphInputs:
    """Everything an edge module may read; built once per snapshot."""

    snapshot: Snapshot
    privilege: PrivilegeIndex
    engine: Engine
    partition: str
    policies: PolicyEngine
    """For ``parse`` and ``explain`` (the run's engine when it is a ``PolicyEngine``)."""
    assume_statements: dict[int, tuple[Statement, ...]] = field(default_factory=dict)
    group_assume_policies: dict[str, tuple[NamedPolicy, ...]] = field(default_factory=dict)
    group_assume_keys: dict[tuple[tuple[str, ...], str | None], AssumeKey | None] = field(
        default_factory=dict
    )
    deciding_groups: frozenset[str] | None = None
    """Groups whose policies can match ``sts:AssumeRole`` (``identity``, computed once)."""

    @property
    def account_id(self) -> str:
        return self.snapshot.account_id

    @cached_property
    def users(self) -> dict[str, User]:
        return {user.name: user for user in self.snapshot.users}

    @cached_property
    def groups(self) -> dict[str, Group]:
        return {group.name: group for group in self.snapshot.groups}

    @cached_property
    def members(self) -> dict[str, list[User]]:
        """Group name → its members, in the snapshot's user order (groups it describes)."""
        members: dict[str, list[User]] = {name: [] for name in self.groups}
        for user in self.snapshot.users:
            for group in dict.fromkeys(user.groups):
                if group in members:
                    members[group].append(user)
        return members

    @cached_property
    def roles(self) -> dict[str, Role]:
        return {role.name: role for role in self.snapshot.roles}

    @cached_property
    def trust_index(self) -> TrustIndex:
        trusts = {role.name: self.privilege.trust(role.name) for role in self.snapshot.roles}
        return build_trust_index(self.snapshot.roles, trusts, self.account_id)

    @cached_property
    def assume_keys(self) -> dict[str, AssumeKey | None]:
        """Node key → the statements deciding its ``sts:AssumeRole`` calls (users and roles)."""
        from auditor.analyzer.graph.identity import assume_key

        keys: dict[str, AssumeKey | None] = {}
        for user in self.snapshot.users:
            keys[f"user:{user.name}"] = assume_key(self, user)
        for role in self.snapshot.roles:
            keys[f"role:{role.name}"] = assume_key(self, role)
        return keys

    @cached_property
    def managed_documents(self) -> dict[str, NamedPolicy]:
        return {
            p.arn: NamedPolicy(p.name, p.document, "managed", arn=p.arn)
            for p in self.snapshot.policies
            if isinstance(p.document, Mapping)
        }
