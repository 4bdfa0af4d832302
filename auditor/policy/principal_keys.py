"""Context keys that describe the principal itself, for ``PolicyEngine.assess_principal``.

"AWS global condition context keys" (properties of the principal): ``aws:PrincipalArn``,
``aws:PrincipalAccount`` and ``aws:PrincipalType`` are always in the request context; for an
IAM user ``aws:username`` (the friendly name) and ``aws:userid`` (the unique ID) are too ("IAM
policy elements: Variables and tags", request information for policy variables). A Deny
scoped with ``ArnLike aws:PrincipalArn arn:aws:iam::*:user/*`` is therefore decided for a
user, not left unknown.

Groups are not principals: a group's policies act for each member, and every member is an IAM
user of the account. So a group's shared answer knows ``aws:PrincipalType`` (``User``) and
``aws:PrincipalAccount``; the member's ARN, name and ID differ per member and stay unknown
(CONDITIONAL, fail closed) unless the caller assesses the set per member.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from auditor.policy.patterns import glob_match

PRINCIPAL_TAG = "aws:principaltag/"
PRINCIPAL_KEYS = frozenset(
    {"aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username", "aws:userid"}
)


class UserLike(Protocol):
    """What ``principal_for_sources`` needs of a user record (``auditor.models.User``)."""

    @property
    def arn(self) -> str: ...

    @property
    def user_id(self) -> str: ...


def user_principal(arn: str, user_id: str = "") -> dict[str, str]:
    """The principal keys of requests signed by the IAM user ``arn`` (path allowed)."""
    parts = arn.split(":", 5)
    keys = {"aws:PrincipalArn": arn, "aws:PrincipalType": "User"}
    if len(parts) == 6 and parts[4]:
        keys["aws:PrincipalAccount"] = parts[4]
    if len(parts) == 6 and parts[5].startswith("user/"):
        keys["aws:username"] = parts[5].rsplit("/", 1)[-1]
    if user_id:
        keys["aws:userid"] = user_id
    return keys


def member_principal(account_id: str) -> dict[str, str]:
    """The principal keys every member of a group shares (see the module docstring)."""
    return {"aws:PrincipalType": "User", "aws:PrincipalAccount": account_id}


def document_text(document: Any) -> str:
    """What of the document can name a context key, as lower-case JSON, for the cheap "does it
    mention a key" tests below: each statement's ``Condition`` and its resources holding a
    policy variable (a key can appear nowhere else in an identity policy). Anything shaped
    otherwise is dumped whole: a wrong "no" would only leave a key unknown, never decide it."""
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list) or not all(isinstance(s, Mapping) for s in statements):
        return json.dumps(document, default=str).lower()
    parts: list[Any] = []
    for statement in statements:
        if "Condition" in statement:
            parts.append(statement["Condition"])
        for key in ("Resource", "NotResource"):
            value = statement.get(key)
            if isinstance(value, str) and "${" in value:
                parts.append(value)
            elif isinstance(value, list):
                parts.extend(v for v in value if isinstance(v, str) and "${" in v)
    return json.dumps(parts, default=str).lower() if parts else ""


class DocumentTexts:
    """``document_text`` remembered per document object, for one snapshot's analysis: a managed
    policy is shared by every holder, so its text is built once instead of once per holder.
    A reference to each document is kept, so an id is never reused while cached."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, str]] = {}

    def __call__(self, document: Any) -> str:
        known = self._known.get(id(document))
        if known is None or known[0] is not document:
            known = self._known[id(document)] = (document, document_text(document))
        return known[1]


def reads_principal_keys(
    documents: Iterable[Any], text: Callable[[Any], str] = document_text
) -> bool:
    """Does some document mention a principal key (in a condition or a variable)? A cheap
    text test: when none does, the principal cannot change the engine's answer."""
    for document in documents:
        lowered = text(document)
        if any(key in lowered for key in PRINCIPAL_KEYS):
            return True
    return False


def principal_for_sources(
    sources: Sequence[str],
    documents: Iterable[Any],
    users: Mapping[str, UserLike],
    account_id: str,
    text: Callable[[Any], str] = document_text,
) -> dict[str, str] | None:
    """Principal keys for a policy set whose ``NamedPolicy.source`` values are ``user:NAME``
    or ``group:NAME`` (optionally followed by `` (inline)``): the user's keys when the set
    holds one user's policies (alone or with its groups'), the shared member keys for group
    sets. None for other sets (roles) or when no document reads a principal key."""
    owners = {source.split(" (", 1)[0] for source in sources}
    kinds = {owner.partition(":")[0] for owner in owners}
    if not owners or not kinds <= {"user", "group"} or not reads_principal_keys(documents, text):
        return None
    named = [owner.partition(":")[2] for owner in owners if owner.startswith("user:")]
    if len(named) > 1:
        return None
    if named:
        user = users.get(named[0])
        return None if user is None else user_principal(user.arn, user.user_id)
    return member_principal(account_id)


class TaggedUser(Protocol):
    """What ``tags_for_sources`` needs of a user record (``auditor.models.User``)."""

    @property
    def tags(self) -> Mapping[str, str]: ...


def tags_for_sources(
    sources: Sequence[str],
    documents: Iterable[Any],
    users: Mapping[str, TaggedUser],
    text: Callable[[Any], str] = document_text,
) -> Mapping[str, str] | None:
    """The user's tags, for ``PolicyEngine.assess_principal(principal_tags=...)``, when the set
    holds one user's policies (alone or with its groups') and some document reads
    ``aws:PrincipalTag``. An IAM user's requests carry exactly its tags ("AWS global condition
    context keys", aws:PrincipalTag: included when the principal is an IAM user with attached
    tags), so a tag the snapshot does not list is absent. Group sets (members differ) and roles
    (session tags may add keys) get None: their tag keys stay unknown."""
    owners = {source.split(" (", 1)[0] for source in sources}
    named = [owner.partition(":")[2] for owner in owners if owner.startswith("user:")]
    kinds = {owner.partition(":")[0] for owner in owners}
    if len(named) != 1 or not kinds <= {"user", "group"}:
        return None
    if not any(PRINCIPAL_TAG in text(d) for d in documents):
        return None
    user = users.get(named[0])
    return None if user is None else dict(user.tags)


def role_session_tags(tags: Mapping[str, str], trust_document: Any) -> Mapping[str, str] | None:
    """A role's tags as its sessions carry them, for ``assess_principal(principal_tags=...)``,
    or None when sessions may carry other tags.

    "Passing session tags in AWS STS": session tags (AssumeRole, AssumeRoleWithSAML /
    WithWebIdentity, transitive tags of a role chain) need ``sts:TagSession`` allowed by the
    role's trust policy, and override the role's own tags. A trust policy that allows no
    ``sts:TagSession`` therefore leaves every session with exactly the role's tags; one that
    does (or that cannot be read) leaves the tag keys unknown."""
    statements = trust_document.get("Statement") if isinstance(trust_document, Mapping) else None
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        return None
    for statement in statements:
        if not isinstance(statement, Mapping):
            return None
        if statement.get("Effect") != "Allow":
            continue
        if "NotAction" in statement:
            return None
        actions = statement.get("Action", [])
        for action in [actions] if isinstance(actions, str) else actions:
            if not isinstance(action, str) or glob_match(
                action, "sts:TagSession", ignore_case=True
            ):
                return None
    return dict(tags)
