"""The ``Condition`` element of a statement → ``Condition`` records; errors name the operator.

"IAM JSON policy elements: Condition operators": operators and their ``IfExists`` and
``ForAllValues:``/``ForAnyValue:`` forms are spelled exactly as listed (IAM rejects
``stringEquals`` with MalformedPolicyDocument "Invalid Condition type"), while condition keys
are case-insensitive and stored in lower case; values may be strings, booleans or numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auditor.errors import PolicyError

_OPERATOR_NAMES = """StringEquals StringNotEquals StringEqualsIgnoreCase StringNotEqualsIgnoreCase
    StringLike StringNotLike NumericEquals NumericNotEquals NumericLessThan NumericLessThanEquals
    NumericGreaterThan NumericGreaterThanEquals DateEquals DateNotEquals DateLessThan
    DateLessThanEquals DateGreaterThan DateGreaterThanEquals Bool BinaryEquals IpAddress
    NotIpAddress ArnEquals ArnLike ArnNotEquals ArnNotLike Null""".split()  # noqa: SIM905
_OPERATORS = {name.lower(): name for name in _OPERATOR_NAMES}
"""Lower-case base → the spelling IAM accepts. Operators, unlike keys, are case-sensitive: IAM
rejects ``stringEquals`` with MalformedPolicyDocument "Invalid Condition type"."""
_QUALIFIERS = {"forallvalues": "ForAllValues", "foranyvalue": "ForAnyValue"}
_NEGATED = frozenset(
    {
        "stringnotequals",
        "stringnotequalsignorecase",
        "stringnotlike",
        "numericnotequals",
        "datenotequals",
        "notipaddress",
        "arnnotequals",
        "arnnotlike",
    }
)


@dataclass(frozen=True)
class Condition:
    """One operator/key pair of a ``Condition`` block; its values are ORed."""

    operator: str
    """As written, e.g. ``ForAnyValue:StringLikeIfExists``."""
    base: str
    """Lower-case operator without qualifier and ``IfExists``, e.g. ``stringlike``."""
    qualifier: str
    """``""``, ``forallvalues`` or ``foranyvalue``."""
    if_exists: bool
    negated: bool
    key: str
    """Lower-case condition key (keys are case-insensitive)."""
    key_as_written: str
    values: tuple[str, ...]


def parse_conditions(block: Any, where: str) -> tuple[Condition, ...]:
    if block is None:
        return ()
    if not isinstance(block, Mapping):
        raise PolicyError(f"{where}: Condition must be a JSON object")
    out: list[Condition] = []
    for operator, pairs in block.items():
        base, qualifier, if_exists = _operator(str(operator), where)
        if not isinstance(pairs, Mapping) or not pairs:
            raise PolicyError(f"{where}: Condition {operator} must map condition keys to values")
        for key, raw in pairs.items():
            out.append(
                Condition(
                    operator=str(operator),
                    base=base,
                    qualifier=qualifier,
                    if_exists=if_exists,
                    negated=base in _NEGATED,
                    key=str(key).lower(),
                    key_as_written=str(key),
                    values=_condition_values(raw, f"{where}: Condition {operator} {key}"),
                )
            )
    return tuple(out)


def _operator(operator: str, where: str) -> tuple[str, str, bool]:
    """(lower-case base, lower-case qualifier, IfExists) of an operator spelled as IAM requires.

    Condition keys are case-insensitive but operators are not ("IAM JSON policy elements:
    Condition operators" lists each name; IAM answers ``bool`` or ``forallvalues:`` with
    MalformedPolicyDocument "Invalid Condition type"), so a mis-cased operator is an error
    naming it, never silently read as the operator it resembles."""
    qualifier, _, rest = operator.rpartition(":")
    expected_qualifier = _QUALIFIERS.get(qualifier.lower(), "") if qualifier else ""
    if qualifier and not expected_qualifier:
        raise PolicyError(f"{where}: unknown condition qualifier {operator!r}")
    base = rest.lower()
    if_exists = base.endswith("ifexists")
    if if_exists:
        base = base[: -len("ifexists")]
    if base not in _OPERATORS or (if_exists and base == "null"):
        raise PolicyError(f"{where}: unknown condition operator {operator!r}")
    spelled = _OPERATORS[base] + ("IfExists" if if_exists else "")
    if expected_qualifier:
        spelled = f"{expected_qualifier}:{spelled}"
    if operator != spelled:
        raise PolicyError(
            f"{where}: condition operator {operator!r} must be written {spelled!r} "
            "(IAM operators are case-sensitive)"
        )
    return base, qualifier.lower(), if_exists


def _condition_values(raw: Any, where: str) -> tuple[str, ...]:
    values = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for value in values:
        if isinstance(value, bool):
            out.append("true" if value else "false")
        elif isinstance(value, (int, float, str)):
            out.append(str(value))
        else:
            raise PolicyError(f"{where}: values must be strings, booleans or numbers")
    if not out:
        raise PolicyError(f"{where}: needs at least one value")
    return tuple(out)
