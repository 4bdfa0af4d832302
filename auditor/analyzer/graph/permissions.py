"""The graph's node permissions: what each user, group and role can do on its own, and who each
role's trust policy lets in, as the policy engine answers them, computed once each.

A user's effective privilege is its own policies plus every group's, evaluated together (a Deny
in one group applies to an Allow in another). Accounts share a few groups among many users, so
answers are cached per group and per distinct set of groups. And because an Allow grants nothing
beyond its own statement, a policy holder that allows no privileged action in any context and
holds no Deny (``inert``) cannot change the verdict of a set it joins: it is left out of the set,
so most users share the answer of their one privileged group instead of costing an evaluation.
The reach index (``reach``) adds what each node can become; this module answers for the node.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.analyzer.graph.assessed import NOT_PRIVILEGED, Assessed, Engine, TrustResult
from auditor.errors import PolicyError
from auditor.models import Group, Role, Snapshot, User
from auditor.policy.principal_keys import DocumentTexts, principal_for_sources, tags_for_sources
from auditor.policy.types import NamedPolicy
from auditor.records import record


@record
class _PolicySet:
    policies: tuple[NamedPolicy, ...]
    arns: tuple[str, ...]
    labels: tuple[str, ...]
    missing: tuple[str, ...]
    unreadable: tuple[str, ...] = ()


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
        self._effective_cache: dict[str, Assessed] = {}
        self._groups_only_cache: dict[tuple[str, ...], Assessed] = {}
        self._role_cache: dict[str, Assessed] = {}
        self._trust_cache: dict[str, TrustResult] = {}
        self._set_cache: dict[str, _PolicySet] = {}
        self._texts = DocumentTexts()

    @property
    def engine(self) -> Engine:
        return self._engine

    def group(self, name: str) -> Assessed | None:
        """The group's own policies; ``None`` for a group the snapshot does not describe."""
        if name not in self._groups:
            return None
        if name not in self._group_cache:
            self._group_cache[name] = self._assess(self._policy_set(self._groups[name], "group"))
        return self._group_cache[name]

    def user_own(self, name: str) -> Assessed | None:
        """The user's own inline and attached policies; ``None`` when it has none."""
        if name not in self._own_cache:
            user = self._users.get(name)
            if user is None or not (user.inline_policies or user.attached_policies):
                self._own_cache[name] = None
            else:
                policy_set = self._policy_set(user, "user")
                self._own_cache[name] = self._assess(policy_set, user.permissions_boundary_arn)
        return self._own_cache[name]

    def user_effective(self, name: str) -> Assessed:
        """Own policies plus every group's, evaluated together, within the user's boundary."""
        if name not in self._effective_cache:
            self._effective_cache[name] = self._effective(name)
        return self._effective_cache[name]

    def _effective(self, name: str) -> Assessed:
        user = self._users.get(name)
        if user is None:
            return Assessed(NOT_PRIVILEGED, ())
        groups = tuple(sorted(set(user.groups)))
        own = self.user_own(name)
        boundary = user.permissions_boundary_arn
        if own is None and boundary is None:  # the answer of its groups, shared by members
            if groups not in self._groups_only_cache:
                self._groups_only_cache[groups] = self._joint(name, user, groups, None, None)
            return self._groups_only_cache[groups]
        return self._joint(name, user, groups, own, boundary)

    def _joint(
        self,
        name: str,
        user: User,
        groups: tuple[str, ...],
        own: Assessed | None,
        boundary: str | None,
    ) -> Assessed:
        parts = [(g, assessed) for g in groups if (assessed := self.group(g)) is not None]
        if own is not None:
            parts.append(("", own))
        relevant = [(holder, part) for holder, part in parts if not part.inert]
        if not relevant:
            labels = tuple(label for _, part in parts for label in part.policies)
            return Assessed(NOT_PRIVILEGED, labels)
        if len(relevant) == 1 and boundary is None:
            return relevant[0][1]
        key = (tuple(holder or f"user:{name}" for holder, _ in relevant), boundary)
        if key not in self._combined_cache:
            sets = [
                self._policy_set(self._groups[holder], "group")
                if holder
                else self._policy_set(user, "user")
                for holder, _ in relevant
            ]
            merged = _PolicySet(
                tuple(p for s in sets for p in s.policies),
                tuple(a for s in sets for a in s.arns),
                tuple(label for s in sets for label in s.labels),
                tuple(m for s in sets for m in s.missing),
                tuple(u for s in sets for u in s.unreadable),
            )
            self._combined_cache[key] = self._assess(merged, boundary)
        return self._combined_cache[key]

    def role(self, name: str) -> Assessed:
        if name not in self._role_cache:
            role = self._roles[name]
            policy_set = self._policy_set(role, "role")
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

    def _policy_set(self, owner: Group | User | Role, kind: str) -> _PolicySet:
        """The owner's own policies, built once (a user's group sets are reused per user)."""
        origin = f"{kind}:{owner.name}"
        if origin in self._set_cache:
            return self._set_cache[origin]
        inline, attached = owner.inline_policies, owner.attached_policies
        policies = [
            NamedPolicy(p.name, p.document, f"{origin} (inline)")
            for p in inline
            if isinstance(p.document, Mapping)
        ]
        # Not a JSON object (None from the collector; anything else from a caller building
        # records by hand): not evaluated, and its holder fails closed.
        unreadable = tuple(p.name for p in inline if not isinstance(p.document, Mapping))
        missing: list[str] = []
        for ref in attached:
            managed = self._managed.get(ref.arn)
            if managed is None or managed.document is None:
                missing.append(ref.name)
                continue
            policies.append(NamedPolicy(ref.name, managed.document, origin, arn=ref.arn))
        labels = tuple(p.name for p in inline) + tuple(p.name for p in attached)
        self._set_cache[origin] = _PolicySet(
            tuple(policies), tuple(p.arn for p in attached), labels, tuple(missing), unreadable
        )
        return self._set_cache[origin]

    def _assess(self, policy_set: _PolicySet, boundary_arn: str | None = None) -> Assessed:
        boundary: NamedPolicy | None = None
        missing = list(policy_set.missing)
        if boundary_arn is not None:
            managed = self._managed.get(boundary_arn)
            if managed is None or managed.document is None:
                missing.append(f"permissions boundary {boundary_arn}")
            else:
                boundary = NamedPolicy(managed.name, managed.document, "boundary", boundary_arn)
        # Principal keys (aws:PrincipalArn, aws:username, ...) only when a document reads one;
        # group sets get the keys all members share (auditor.policy.principal_keys).
        sources = [p.source for p in policy_set.policies]
        documents = [p.document for p in policy_set.policies]
        documents += [boundary.document] if boundary else []
        principal = principal_for_sources(
            sources, documents, self._users, self._snapshot.account_id, self._texts
        )
        tags = tags_for_sources(sources, documents, self._users, self._texts)
        # The user's tags decide aws:PrincipalTag conditions; only passed when a document
        # reads one, so engines without the option (test doubles) keep working.
        extra = {} if tags is None else {"principal_tags": tags}
        assessment = self._engine.assess_principal(
            policy_set.policies,
            attached_policy_arns=policy_set.arns,
            boundary=boundary,
            principal=principal,
            **extra,
        )
        restricts = boundary_arn is not None or any(
            _restricts(p.document) for p in policy_set.policies
        )
        unread = policy_set.missing + policy_set.unreadable
        return Assessed(
            assessment, policy_set.labels, tuple(missing), restricts, policy_set.unreadable, unread
        )


def _restricts(document: Mapping[str, Any]) -> bool:
    """Any statement that is not plainly ``"Effect": "Allow"`` (a Deny, or something odd)."""
    if not isinstance(document, Mapping):
        return True
    statements = document.get("Statement", ())
    if isinstance(statements, Mapping):
        statements = (statements,)
    if not isinstance(statements, (list, tuple)):
        return True
    return any(not isinstance(s, Mapping) or s.get("Effect") != "Allow" for s in statements)
