"""IAM policy documents → frozen, validated records; malformed input raises ``PolicyError``.

Follows the IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON
policy language": ``Statement`` is one object or a list; ``Action``/``NotAction`` and
``Resource``/``NotResource`` are a string or a list; condition values are strings, booleans,
numbers or lists of them. Action names and condition keys are case-insensitive and stored in
lower case; resource ARNs are case-sensitive and kept as written. Every error names the policy
and the statement, because the reader is fixing a file, not debugging Python. The
``Condition`` element is parsed by ``parse_conditions``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from auditor.errors import PolicyError
from auditor.policy.parse_conditions import Condition, parse_conditions
from auditor.records import cached, record

VERSIONS = ("2012-10-17", "2008-10-17")
_STATEMENT_KEYS = frozenset(
    {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)
_TRUST_KEYS = frozenset({"Principal", "NotPrincipal"})


@record
class Statement:
    index: int
    sid: str
    effect: str
    """``Allow`` or ``Deny``."""
    actions: tuple[str, ...]
    """Lower-case action patterns of ``Action``, or of ``NotAction`` when ``not_action``."""
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    conditions: tuple[Condition, ...]
    principals: tuple[tuple[str, tuple[str, ...]], ...] | None
    """Trust policies only: ``(("AWS", (...)), ("Service", (...)))``; ``(("*", ("*",)),)``
    for ``"Principal": "*"``."""
    not_principal: bool
    raw: Any = field(compare=False, repr=False)
    """The statement as written (its JSON object)."""

    @cached
    def json(self) -> str:
        """The statement as written, compact, for reports: built only for the few statements
        a report shows (deciding or inert ones), not for each of a large account's."""
        return json.dumps(self.raw, separators=(",", ":"), ensure_ascii=False, default=str)

    @property
    def label(self) -> str:
        return self.sid or f"#{self.index}"

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"


@record
class ParsedPolicy:
    version: str
    statements: tuple[Statement, ...]

    @property
    def variables(self) -> bool:
        """Policy variables are substituted only under Version 2012-10-17 (IAM User Guide,
        "IAM JSON policy elements: Version"); otherwise ``${...}`` is literal text."""
        return self.version == "2012-10-17"


def parse_policy_document(document: Any, *, policy_name: str, trust: bool = False) -> ParsedPolicy:
    """Validate and normalise one policy document; ``trust`` for role trust policies."""
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except ValueError as error:
            raise PolicyError(f"policy {policy_name}: not valid JSON ({error})") from None
    if not isinstance(document, Mapping):
        raise PolicyError(
            f"policy {policy_name}: a policy document must be a JSON object, "
            f"got {type(document).__name__}"
        )
    unknown = set(document) - {"Version", "Id", "Statement"}
    if unknown:
        names = ", ".join(sorted(map(str, unknown)))
        raise PolicyError(f"policy {policy_name}: unknown top-level element(s) {names}")
    version = document.get("Version", "2008-10-17")
    if version not in VERSIONS:
        raise PolicyError(f"policy {policy_name}: Version must be one of {', '.join(VERSIONS)}")
    if "Statement" not in document:
        raise PolicyError(f"policy {policy_name}: no Statement element")
    raw = document["Statement"]
    items = raw if isinstance(raw, list) else [raw]
    statements = tuple(
        _statement(item, index, policy_name, trust) for index, item in enumerate(items)
    )
    return ParsedPolicy(str(version), statements)


def _statement(item: Any, index: int, policy: str, trust: bool) -> Statement:
    where = f"policy {policy}: statement #{index}"
    if not isinstance(item, Mapping):
        raise PolicyError(f"{where}: must be a JSON object, got {type(item).__name__}")
    sid = item.get("Sid", "")
    if not isinstance(sid, str):
        raise PolicyError(f"{where}: Sid must be a string")
    if sid:
        where = f"policy {policy}: statement {sid}"
    allowed = _STATEMENT_KEYS | (_TRUST_KEYS if trust else frozenset())
    unknown = set(item) - allowed
    if unknown:
        extra = (
            " (Principal belongs in trust or resource policies)" if unknown & _TRUST_KEYS else ""
        )
        raise PolicyError(
            f"{where}: unknown element(s) {', '.join(sorted(map(str, unknown)))}{extra}"
        )
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(f'{where}: Effect must be "Allow" or "Deny", got {effect!r}')
    actions, not_action = _pair(item, "Action", "NotAction", where, required=True)
    for action in actions:
        if action != "*" and ":" not in action:
            raise PolicyError(f"{where}: action {action!r} is not of the form service:action")
    resources, not_resource = _pair(item, "Resource", "NotResource", where, required=not trust)
    principals, not_principal = None, False
    if trust:
        principals, not_principal = _principals(item, where)
    return Statement(
        index=index,
        sid=sid,
        effect=effect,
        actions=tuple(a.lower() for a in actions),
        not_action=not_action,
        resources=resources if resources else ("*",),
        not_resource=not_resource,
        conditions=parse_conditions(item.get("Condition"), where),
        principals=principals,
        not_principal=not_principal,
        raw=item,
    )


def _pair(
    item: Mapping[str, Any], name: str, negated: str, where: str, *, required: bool
) -> tuple[tuple[str, ...], bool]:
    if name in item and negated in item:
        raise PolicyError(f"{where}: has both {name} and {negated}")
    key = negated if negated in item else name
    if key not in item:
        if required:
            raise PolicyError(f"{where}: needs {name} or {negated}")
        return (), False
    return _strings(item[key], f"{where}: {key}"), key == negated


def _strings(value: Any, where: str) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v for v in values):
        raise PolicyError(f"{where} must be a non-empty string or list of non-empty strings")
    return tuple(values)


def _principals(
    item: Mapping[str, Any], where: str
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], bool]:
    if "Principal" in item and "NotPrincipal" in item:
        raise PolicyError(f"{where}: has both Principal and NotPrincipal")
    key = "NotPrincipal" if "NotPrincipal" in item else "Principal"
    if key not in item:
        raise PolicyError(f"{where}: a trust policy statement needs Principal")
    value = item[key]
    if value == "*":
        return (("*", ("*",)),), key == "NotPrincipal"
    if not isinstance(value, Mapping) or not value:
        raise PolicyError(f'{where}: {key} must be "*" or an object such as {{"AWS": ...}}')
    return (
        tuple((str(kind), _strings(ids, f"{where}: {key}.{kind}")) for kind, ids in value.items()),
        key == "NotPrincipal",
    )
