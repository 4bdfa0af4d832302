"""The comparison behind each condition operator, for one request value and one policy value.

"IAM JSON policy elements: Condition operators": string operators compare exactly, ignoring
case, or with ``*``/``?`` wildcards; numeric and date operators compare numbers and ISO 8601
dates (or epoch seconds); ``Bool`` ignores case; ``IpAddress`` tests CIDR membership; ARN
operators compare the six colon-separated parts. A value that cannot be parsed gives None
(unknown), never a guess. Negation, ``IfExists`` and the set qualifiers are applied by
``conditions``, which calls these.
"""

from __future__ import annotations

import ipaddress
import operator
from collections.abc import Callable
from datetime import datetime, timezone

from auditor.policy.patterns import glob_match

Tri = bool | None


def _string_equals(value: str, policy: str) -> Tri:
    return value == policy


def _string_ignore_case(value: str, policy: str) -> Tri:
    return value.casefold() == policy.casefold()


def _string_like(value: str, policy: str) -> Tri:
    return glob_match(policy, value)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _ordered(
    parse: Callable[[str], float | None], test: Callable[[float, float], bool]
) -> Callable[[str, str], Tri]:
    """A comparator on values ``parse`` turns into numbers (None: unparseable, unknown)."""

    def compare(value: str, policy: str) -> Tri:
        left, right = parse(value), parse(policy)
        return None if left is None or right is None else test(left, right)

    return compare


def parse_date(text: str) -> float | None:
    number = _number(text)
    if number is not None:
        return number
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _bool(value: str, policy: str) -> Tri:
    return value.lower() == policy.lower()


def _ip(value: str, policy: str) -> Tri:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(policy, strict=False)
    except ValueError:
        return None


def _arn_like(value: str, policy: str) -> Tri:
    """ARN operators compare the six colon-separated parts one by one."""
    left, right = value.split(":", 5), policy.split(":", 5)
    if len(left) != len(right):
        return False
    return all(glob_match(p, v) for v, p in zip(left, right, strict=True))


COMPARATORS: dict[str, Callable[[str, str], Tri]] = {
    "stringequals": _string_equals,
    "stringnotequals": _string_equals,
    "stringequalsignorecase": _string_ignore_case,
    "stringnotequalsignorecase": _string_ignore_case,
    "stringlike": _string_like,
    "stringnotlike": _string_like,
    "numericequals": _ordered(_number, operator.eq),
    "numericnotequals": _ordered(_number, operator.eq),
    "numericlessthan": _ordered(_number, operator.lt),
    "numericlessthanequals": _ordered(_number, operator.le),
    "numericgreaterthan": _ordered(_number, operator.gt),
    "numericgreaterthanequals": _ordered(_number, operator.ge),
    "dateequals": _ordered(parse_date, operator.eq),
    "datenotequals": _ordered(parse_date, operator.eq),
    "datelessthan": _ordered(parse_date, operator.lt),
    "datelessthanequals": _ordered(parse_date, operator.le),
    "dategreaterthan": _ordered(parse_date, operator.gt),
    "dategreaterthanequals": _ordered(parse_date, operator.ge),
    "bool": _bool,
    "binaryequals": _string_equals,
    "ipaddress": _ip,
    "notipaddress": _ip,
    "arnequals": _arn_like,
    "arnlike": _arn_like,
    "arnnotequals": _arn_like,
    "arnnotlike": _arn_like,
}
