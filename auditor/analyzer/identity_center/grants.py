"""Who holds which permission set in which account: assignments resolved through groups.

An assignment names a user or a group; a group's assignment reaches its direct members
(Identity Center groups do not nest). One ``Grant`` per (user, set, account, group).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from auditor.analyzer.identity_center.sets import PermissionSetIndex, SetVerdict
from auditor.identity_center_models import IdentityCenterData, IdentityCenterUser
from auditor.models import Reach

REACH_ORDER = {Reach.ADMIN: 3, Reach.PRIVILEGED: 2, Reach.UNKNOWN: 1, Reach.NONE: 0}
"""A user's reach is its strongest grant's; ``unknown`` only beats reaching nothing."""


@dataclass(frozen=True)
class Grant:
    verdict: SetVerdict
    group: str = ""
    """The group the assignment names, or ``""`` for a direct assignment."""

    @property
    def via(self) -> str:
        """``permission_set:Admin (group Ops) in 111111111111``."""
        group = f" (group {self.group})" if self.group else ""
        name = self.verdict.permission_set.name
        return f"permission_set:{name}{group} in {self.verdict.account_id}"


@dataclass(frozen=True)
class UserGrants:
    user: IdentityCenterUser
    grants: tuple[Grant, ...]

    @property
    def reach(self) -> Reach:
        if not self.user.enabled:
            return Reach.NONE
        return max(
            (g.verdict.reach for g in self.grants), key=REACH_ORDER.__getitem__, default=Reach.NONE
        )

    @property
    def privileged(self) -> bool | None:
        """Whether the user can use a privileged set today (a disabled user cannot sign in)."""
        if not self.user.enabled:
            return False
        return {Reach.ADMIN: True, Reach.PRIVILEGED: True, Reach.NONE: False}.get(self.reach)

    def privileged_grants(self) -> tuple[Grant, ...]:
        """Grants that are or may be privileged, strongest first."""
        held = [g for g in self.grants if g.verdict.reach is not Reach.NONE]
        return tuple(sorted(held, key=lambda g: (-REACH_ORDER[g.verdict.reach], g.via)))


def user_grants(data: IdentityCenterData, index: PermissionSetIndex) -> tuple[UserGrants, ...]:
    """Every identity-store user with its grants, sorted by user name."""
    sets = {ps.arn: ps for ps in data.permission_sets}
    groups = {group.group_id: group for group in data.groups}
    found: dict[str, list[Grant]] = defaultdict(list)
    for assignment in data.assignments:
        ps = sets.get(assignment.permission_set_arn)
        if ps is None:
            continue
        verdict = index.verdict(ps, assignment.account_id)
        if assignment.principal_type == "USER":
            found[assignment.principal_id].append(Grant(verdict))
        elif assignment.principal_type == "GROUP" and assignment.principal_id in groups:
            group = groups[assignment.principal_id]
            for member in group.member_ids:
                found[member].append(Grant(verdict, group.display_name))
    users = sorted(data.users, key=lambda u: u.user_name)
    return tuple(UserGrants(user, tuple(found.get(user.user_id, ()))) for user in users)
