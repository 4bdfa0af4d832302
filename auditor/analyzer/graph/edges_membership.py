"""Group membership: a member acts with its groups' policies (evaluated together with its own,
so a Deny in one group applies to an Allow in another; the reach query uses the user's joint
verdict, not each group's alone).

Every user has these edges and no reach query follows them (the joint verdict already holds the
groups), so they are not stored in the graph: ``AccessGraph.out`` and ``into_sample`` read them
from the snapshot when asked (``explain``). At 50,000 users that is 100,000 edges never built.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.graph.inputs import GraphInputs
from auditor.analyzer.graph.records import Edge
from auditor.models import MfaEnforcement, User


def _edge(user: User, group: str) -> Edge:
    return Edge(
        f"user:{user.name}",
        f"group:{group}",
        "membership",
        f"{user.name} is a member of {group}",
        MfaEnforcement.NOT_APPLICABLE,
    )


def out_of(inputs: GraphInputs, user_name: str) -> Iterator[Edge]:
    """The user's edges into each group of the snapshot it belongs to, in its own order."""
    user = inputs.users.get(user_name)
    if user is None:
        return
    groups = inputs.groups
    for group in dict.fromkeys(user.groups):
        if group in groups:
            yield _edge(user, group)


def into(inputs: GraphInputs, group_name: str) -> Iterator[Edge]:
    """Every member's edge into the group, in the snapshot's user order."""
    for user in inputs.members.get(group_name, ()):
        yield _edge(user, group_name)
