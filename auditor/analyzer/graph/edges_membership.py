"""Group membership: a member acts with its groups' policies (evaluated together with its own,
so a Deny in one group applies to an Allow in another; the reach query uses the user's joint
verdict, not each group's alone)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from auditor.analyzer.graph.inputs import GraphInputs
from auditor.analyzer.graph.records import Edge, EdgeBundle
from auditor.models import MfaEnforcement


def edges(inputs: GraphInputs) -> Iterator[EdgeBundle]:
    """One bundle per group, its members as sources: 50,000 users in 1-3 groups each would
    otherwise be 100,000 edge objects that only ``explain`` reads."""
    known = {group.name for group in inputs.snapshot.groups}
    members: dict[str, list[str]] = defaultdict(list)
    for user in inputs.snapshot.users:
        for group in dict.fromkeys(user.groups):
            if group in known:
                members[group].append(f"user:{user.name}")
    for group, sources in members.items():
        edge = Edge(
            "",
            f"group:{group}",
            "membership",
            f"a member of {group}",
            MfaEnforcement.NOT_APPLICABLE,
        )
        yield EdgeBundle(tuple(sources), (edge,))
