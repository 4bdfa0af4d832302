"""Each permission set's policies, judged by the policy engine, in each account it is assigned in.

A permission set is a template: in every assigned account Identity Center creates a role
``AWSReservedSSO_<set>_<suffix>`` holding the set's AWS-managed policies, its inline policy, the
customer-managed policies *of that account* named by the set, and its boundary. So documents are
resolved as AWS resolves them: AWS-managed by ARN (from the snapshot, which holds every
AWS-managed policy attached in the account, or from the short catalog below), customer-managed by
name and path in the target account (only readable when that account is the audited one), inline
as given. What cannot be resolved makes the verdict ``unknown``, never "not privileged", except
a missing boundary on a set that is not privileged anyway (a boundary only narrows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.analyzer.graph.assessed import Assessed, Engine
from auditor.identity_center_models import (
    CustomerPolicyRef,
    PermissionSet,
    reserved_role_permission_set,
)
from auditor.models import ManagedPolicy, Reach, Snapshot
from auditor.policy.types import NamedPolicy

AWS_MANAGED_DOCUMENTS: dict[str, dict[str, Any]] = {
    # AWS's document for AdministratorAccess (version v1, unchanged since 2015).
    "AdministratorAccess": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    },
}
"""AWS-managed documents known without reading them, for sets whose policy no principal of the
audited account holds (then GetAccountAuthorizationDetails does not return it)."""
READ_ONLY_AWS_POLICIES = frozenset({"ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit"})
"""AWS-managed policies that allow only reads: the engine finds no privileged action in AWS's
documents of them (tested against moto's copy of those documents), so a set holding them is
not privileged by them even when their documents are not in the snapshot."""
BOUNDARY_READ = "GetPermissionsBoundaryForPermissionSet"


@dataclass(frozen=True)
class SetVerdict:
    """One permission set in one account."""

    permission_set: PermissionSet
    account_id: str
    reach: Reach
    assessed: Assessed | None
    """The engine's answer on the documents that could be resolved (``None``: none could)."""
    problems: tuple[str, ...] = ()
    role_name: str = ""
    """The ``AWSReservedSSO_`` role of this set in the audited account, when the snapshot has it."""

    @property
    def privileged(self) -> bool | None:
        return {Reach.ADMIN: True, Reach.PRIVILEGED: True, Reach.NONE: False}.get(self.reach)


class PermissionSetIndex:
    """Cached verdicts per (permission set, account) for one snapshot."""

    def __init__(self, snapshot: Snapshot, engine: Engine) -> None:
        self._snapshot = snapshot
        self._engine = engine
        self._managed = {policy.arn: policy for policy in snapshot.policies}
        self._customer = {
            (policy.path, policy.name): policy
            for policy in snapshot.policies
            if not policy.is_aws_managed
        }
        self._roles = {
            set_name: role.name
            for role in snapshot.roles
            if (set_name := reserved_role_permission_set(role.name, role.path)) is not None
        }
        self._cache: dict[tuple[str, str], SetVerdict] = {}

    def reserved_role(self, set_name: str) -> str:
        return self._roles.get(set_name, "")

    def verdict(self, permission_set: PermissionSet, account_id: str) -> SetVerdict:
        key = (permission_set.arn, account_id)
        if key not in self._cache:
            self._cache[key] = self._judge(permission_set, account_id)
        return self._cache[key]

    def _judge(self, ps: PermissionSet, account_id: str) -> SetVerdict:
        origin = f"permission_set:{ps.name}"
        policies: list[NamedPolicy] = []
        missing: list[str] = [u for u in ps.unread if BOUNDARY_READ not in u]
        boundary_missing = [u for u in ps.unread if BOUNDARY_READ in u]
        labels: list[str] = []
        for ref in ps.managed_policies:
            labels.append(ref.name)
            document = self._aws_managed(ref.arn, ref.name)
            if document is not None:
                policies.append(NamedPolicy(ref.name, document, origin, arn=ref.arn))
            elif ref.name not in READ_ONLY_AWS_POLICIES or ":iam::aws:" not in ref.arn:
                missing.append(f"{ref.name}: policy document not in this account's snapshot")
        for customer in ps.customer_policies:
            labels.append(customer.name)
            found, why = self._customer_policy(customer, account_id)
            if found is None:
                missing.append(why)
            else:
                policies.append(NamedPolicy(found.name, found.document or {}, origin, found.arn))
        if ps.inline_policy is not None:
            labels.append("inline policy")
            policies.append(
                NamedPolicy(f"{ps.name} inline", ps.inline_policy, f"{origin} (inline)")
            )
        boundary = self._boundary(ps, account_id, boundary_missing)
        assessed = self._engine.assess_principal(
            policies, attached_policy_arns=[r.arn for r in ps.managed_policies], boundary=boundary
        )
        result = Assessed(assessed, tuple(labels), missing=tuple(missing))
        problems = tuple(missing) + tuple(assessed.errors) + tuple(boundary_missing)
        if missing or assessed.errors:
            reach = Reach.UNKNOWN
        elif not assessed.privileged:
            reach = Reach.NONE
        elif boundary_missing:
            reach = Reach.UNKNOWN
        elif any(action.action == "*" for action in assessed.actions):
            reach = Reach.ADMIN
        else:
            reach = Reach.PRIVILEGED
        role = self.reserved_role(ps.name) if account_id == self._snapshot.account_id else ""
        return SetVerdict(ps, account_id, reach, result, problems, role)

    def _aws_managed(self, arn: str, name: str) -> Any:
        managed = self._managed.get(arn)
        if managed is not None and managed.document is not None:
            return managed.document
        if ":iam::aws:policy/" in arn:
            return AWS_MANAGED_DOCUMENTS.get(name)
        return None

    def _customer_policy(
        self, ref: CustomerPolicyRef, account_id: str
    ) -> tuple[ManagedPolicy | None, str]:
        label = f"customer-managed policy {ref.path}{ref.name}"
        if account_id != self._snapshot.account_id:
            return None, f"{label} lives in account {account_id}, which this audit did not read"
        found = self._customer.get((ref.path, ref.name))
        if found is None or found.document is None:
            return None, f"{label} was not found (attached to nothing) in account {account_id}"
        return found, ""

    def _boundary(
        self, ps: PermissionSet, account_id: str, problems: list[str]
    ) -> NamedPolicy | None:
        if ps.boundary_policy_arn is not None:
            name = ps.boundary_policy_arn.rsplit("/", 1)[-1]
            document = self._aws_managed(ps.boundary_policy_arn, name)
            if document is None:
                problems.append(
                    f"permissions boundary {ps.boundary_policy_arn} not in the snapshot"
                )
                return None
            return NamedPolicy(name, document, "boundary", ps.boundary_policy_arn)
        if ps.boundary_customer_policy is not None:
            found, why = self._customer_policy(ps.boundary_customer_policy, account_id)
            if found is None:
                problems.append(f"permissions boundary: {why}")
                return None
            return NamedPolicy(found.name, found.document or {}, "boundary", found.arn)
        return None
