"""Group membership: a member acts with its groups' policies (evaluated together with its own,
so a Deny in one group applies to an Allow in another; the reach query uses the user's joint
verdict, not each group's alone)."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.graph.inputs import GraphInputs
from auditor.analyzer.graph.records import Edge
from auditor.models import MfaEnforcement


def edges(inputs: GraphInputs) -> Iterator[Edge]:
    known = {group.name for group in inputs.snapshot.groups}
    for user in inputs.snapshot.users:
        for group in dict.fromkeys(user.groups):
            if group in known:
                yield Edge(
                    f"user:{user.name}",
                    f"group:{group}",
                    "membership",
                    f"{user.name} is a member of {group}",
                    MfaEnforcement.NOT_APPLICABLE,
                )
