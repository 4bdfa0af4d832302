"""One run note naming the grants that can never be used, so leaving them out is never silent.

The policy engine does not count an Allow whose resources are all AWS managed policies, or
whose date condition cannot hold at or after the audit time (``auditor.policy.inert``). A
reviewer who sees such a user reported "not privileged" must be able to see why: this note
lists those statements (policy / statement: reason), each distinct one once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol, runtime_checkable

from auditor.models import Group, Role, Snapshot, User
from auditor.policy.types import NamedPolicy, StatementRef

SHOWN = 10


@runtime_checkable
class InertSource(Protocol):
    """The part of ``auditor.policy.PolicyEngine`` this note needs (test doubles may lack it)."""

    def inert_grants(self, policy: NamedPolicy) -> tuple[StatementRef, ...]: ...


def inert_note(snapshot: Snapshot, engine: object) -> str | None:
    if not isinstance(engine, InertSource):
        return None
    found: dict[tuple[str, str], StatementRef] = {}
    for policy in _held(snapshot):
        for ref in engine.inert_grants(policy):
            found.setdefault((ref.policy_name, ref.statement_id), ref)
    if not found:
        return None
    refs = sorted(found.values(), key=lambda r: (r.policy_name, r.statement_id))
    shown = "; ".join(f"{r.policy_name} / {r.statement_id}: {r.why}" for r in refs[:SHOWN])
    more = f"; and {len(refs) - SHOWN} more" if len(refs) > SHOWN else ""
    count = len(refs)
    return (
        f"{count} Allow statement{'s' if count != 1 else ''} name privileged actions that "
        f"cannot be exercised, so {'they were' if count != 1 else 'it was'} not counted as "
        f"privilege: {shown}{more}."
    )


def _held(snapshot: Snapshot) -> Iterator[NamedPolicy]:
    """Every readable inline policy, and each attached managed policy once, by name."""
    holders: list[User | Group | Role] = [*snapshot.users, *snapshot.groups, *snapshot.roles]
    attached = {ref.arn for holder in holders for ref in holder.attached_policies}
    for policy in snapshot.policies:
        if policy.arn in attached and isinstance(policy.document, Mapping):
            yield NamedPolicy(policy.name, policy.document, arn=policy.arn)
    for holder in holders:
        for inline in holder.inline_policies:
            if isinstance(inline.document, Mapping):
                yield NamedPolicy(inline.name, inline.document)
