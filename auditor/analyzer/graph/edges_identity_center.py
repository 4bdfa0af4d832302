"""Identity Center users → groups → permission sets → ``AWSReservedSSO_`` roles.

An assignment gives a user (directly or through a group; Identity Center groups do not nest)
a permission set in an account; in that account Identity Center created the role
``AWSReservedSSO_<set>_<suffix>`` under ``/aws-reserved/sso.amazonaws.com/`` and issues its
credentials itself (IAM Identity Center User Guide, "Referencing permission sets in resource
policies, Amazon EKS, and AWS KMS"; STS API reference, AssumeRoleWithSAML). So the assignment
hop's MFA is Identity Center's (``MfaDecidedBy.IDENTITY_CENTER``, gate ``unknown``), and the
role is linked to its set by name. Assignments to other accounts have no role in this snapshot:
their rows come from ``analyzer.identity_center`` (which judges the set's own policies).
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.graph.inputs import GraphInputs
from auditor.analyzer.graph.records import Edge
from auditor.identity_center_models import IdentityCenterStatus, reserved_role_permission_set
from auditor.models import MfaDecidedBy, MfaEnforcement


def edges(inputs: GraphInputs) -> Iterator[Edge]:
    snapshot = inputs.snapshot
    data = snapshot.identity_center
    if data is None or data.status is not IdentityCenterStatus.COLLECTED:
        return
    users = {user.user_id: user.user_name for user in data.users if user.enabled}
    groups = {group.group_id: group for group in data.groups}
    roles = {
        name: role.name
        for role in snapshot.roles
        if (name := reserved_role_permission_set(role.name, role.path)) is not None
    }
    unknown, ic = MfaEnforcement.UNKNOWN, MfaDecidedBy.IDENTITY_CENTER
    for group in data.groups:
        for member in group.member_ids:
            if member in users:
                yield Edge(
                    f"identity_center_user:{users[member]}",
                    f"identity_center_group:{group.display_name}",
                    "identity_center_membership",
                    f"{users[member]} is a member of Identity Center group {group.display_name}",
                    MfaEnforcement.NOT_APPLICABLE,
                )
    linked: set[str] = set()
    for assignment in data.assignments:
        ps = data.permission_set(assignment.permission_set_arn)
        if ps is None or assignment.account_id != snapshot.account_id:
            continue
        if assignment.principal_type == "USER" and assignment.principal_id in users:
            source = f"identity_center_user:{users[assignment.principal_id]}"
        elif assignment.principal_type == "GROUP" and assignment.principal_id in groups:
            source = f"identity_center_group:{groups[assignment.principal_id].display_name}"
        else:
            continue
        name = source.partition(":")[2]
        reason = f"{name} is assigned permission set {ps.name} in {assignment.account_id}"
        yield Edge(source, f"permission_set:{ps.name}", "identity_center", reason, unknown, ic)
        if ps.name in roles and ps.name not in linked:
            linked.add(ps.name)
            yield Edge(
                f"permission_set:{ps.name}",
                f"role:{roles[ps.name]}",
                "identity_center",
                f"Identity Center issues {roles[ps.name]}'s sessions for permission set {ps.name}",
                unknown,
                ic,
            )
