"""Condition blocks evaluated in three values: True, False, or None (depends on an unknown key).

Semantics follow the IAM User Guide, "IAM JSON policy elements: Condition operators" and
"Conditions with multiple context keys or values":

- operators and keys in one block are ANDed; the values listed for one key are ORed, and
  NORed for a negated operator (``StringNotEquals``, ``NotIpAddress``, ...);
- a key absent from the request makes the condition false, except that ``...IfExists`` and
  negated operators are then true, ``Null`` tests presence itself, ``ForAllValues`` is true
  and ``ForAnyValue`` false;
- a key the caller did not supply at all is *unknown*: the answer is None, never a guess;
- a key known to be absent (``ABSENT_BY_DEFAULT``, the principal's missing tags, keys the caller
  says are absent) follows the absent-key rules above. A policy variable naming such a key has
  no value ("IAM policy elements: Variables and tags", Policy variables with no value):
  ``StringEquals`` and the like do not match it, negated operators do, and a Resource holding
  it matches no resource;
- the date keys (``clock``) range over every moment from the audit time on.

The four request contexts come from "AWS global condition context keys": the MFA keys exist
only for temporary credentials, and ``aws:MultiFactorAuthAge`` only when MFA was used. Each
context also states ``aws:ViaAWSService`` = false, because the question is what the principal
can do by calling AWS itself, not what a service does on its behalf, and the same question
puts it on AWS's public endpoints: ``aws:SourceVpc``, ``aws:SourceVpcArn``, ``aws:SourceVpce``
and ``aws:VpcSourceIp`` are only in requests made through a VPC endpoint ("Use VPC condition
keys to control federated access", availability by network path), so they are absent unless a
context supplies them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from auditor.policy.clock import TIME_KEYS, Clock, as_value, over_range, sample_times
from auditor.policy.comparators import COMPARATORS, parse_date
from auditor.policy.comparators import Tri as Tri
from auditor.policy.parse_conditions import Condition
from auditor.policy.patterns import ABSENT, substitute_text
from auditor.policy.types import RequestContext

MFA_PRESENT = "aws:multifactorauthpresent"
MFA_AGE = "aws:multifactorauthage"
MFA_KEYS = frozenset({MFA_PRESENT, MFA_AGE})
BASELINE: Mapping[str, tuple[str, ...]] = {"aws:viaawsservice": ("false",)}
ABSENT_BY_DEFAULT = frozenset(
    {"aws:sourcevpc", "aws:sourcevpcarn", "aws:sourcevpce", "aws:vpcsourceip"}
)
"""Keys only requests through a VPC endpoint carry: absent in the standard contexts."""
PRINCIPAL_TAG = "aws:principaltag/"
"""Prefix of the principal-tag keys (lower case): present only for tags the principal has."""


@dataclass(frozen=True)
class EvalContext:
    """Request-context values by lower-case key; ``known`` also lists keys known absent.

    ``windows``: the date keys' range starts (``clock``), keys decided over a range."""

    values: Mapping[str, tuple[str, ...]]
    known: frozenset[str]
    name: str = ""
    windows: Mapping[str, float] = field(default_factory=dict)

    def knows(self, key: str) -> bool:
        return key in self.known or key in self.values

    def lookup(self, key: str) -> str | None:
        """The key's one value; ``ABSENT`` when it is known to be absent; None when unknown."""
        key = key.lower()
        values = self.values.get(key)
        if values is None:
            return ABSENT if self.knows(key) and key not in self.windows else None
        return values[0] if len(values) == 1 else None


def build_context(
    context: RequestContext | str,
    *,
    present: str | None,
    age: float | None,
    extra: Mapping[str, str | None] | None = None,
    clock: Clock | None = None,
) -> EvalContext:
    """``extra`` maps keys to values, or to None for a key known to be absent."""
    values: dict[str, tuple[str, ...]] = dict(BASELINE)
    known: set[str] = set(ABSENT_BY_DEFAULT) | MFA_KEYS
    windows = clock.windows(temporary=present is not None) if clock is not None else {}
    if clock is not None:
        known |= TIME_KEYS
    for key, value in (extra or {}).items():
        lower = key.lower()
        known.add(lower)
        windows.pop(lower, None)
        if value is not None:
            values[lower] = (value,)
    if present is not None:
        values[MFA_PRESENT] = (present,)
    if age is not None:
        values[MFA_AGE] = (seconds(age),)
    name = context.value if isinstance(context, RequestContext) else context
    return EvalContext(values, frozenset(known | set(values)), name, windows)


def seconds(age: float) -> str:
    """An age as IAM would send it: whole seconds without a fraction."""
    if isinstance(age, float) and not age.is_integer():
        return repr(age)
    return str(int(age))


def standard_contexts(
    fresh_age: int,
    stale_age: int,
    extra: Mapping[str, str | None] | None = None,
    clock: Clock | None = None,
) -> dict[RequestContext, EvalContext]:
    """The four contexts of issue 3, in order of increasing assurance."""
    settings = {
        RequestContext.CONSOLE_NO_MFA: ("false", None),
        RequestContext.ACCESS_KEY: (None, None),
        RequestContext.MFA: ("true", fresh_age),
        RequestContext.STALE_MFA: ("true", stale_age),
    }
    return {
        context: build_context(
            context,
            present=present,
            age=age,
            extra=extra,
            clock=clock,
        )
        for context, (present, age) in settings.items()
    }


def and3(values: Iterable[Tri]) -> Tri:
    result: Tri = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def or3(values: Iterable[Tri]) -> Tri:
    result: Tri = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def not3(value: Tri) -> Tri:
    return None if value is None else not value


def evaluate_block(
    conditions: tuple[Condition, ...], context: EvalContext, variables: bool, deny: bool = False
) -> Tri:
    """The whole ``Condition`` element: every operator/key pair must hold. Conditions on the
    date keys of ``context.windows`` are decided over their range (see ``clock``): for an
    Allow at some moment, for a Deny (``deny``) at every moment."""
    if context.windows and any(c.key in context.windows for c in conditions):
        timed = [c for c in conditions if c.key in context.windows]
        rest = [c for c in conditions if c.key not in context.windows]
        plain = and3(evaluate(c, context, variables) for c in rest)
        if plain is False:
            return False
        return and3((plain, _over_time(timed, context, variables, deny)))
    return and3(evaluate(condition, context, variables) for condition in conditions)


def date_conditions(
    conditions: tuple[Condition, ...], context: EvalContext, variables: bool, deny: bool = False
) -> Tri:
    """The block's conditions on the date keys alone, over their range; None when it has none
    (or their result is unknown)."""
    timed = [c for c in conditions if c.key in context.windows]
    return _over_time(timed, context, variables, deny) if timed else None


def _over_time(timed: list[Condition], context: EvalContext, variables: bool, every: bool) -> Tri:
    """Each date key's conditions decided over the key's range; keys are independent, which
    can only widen an Allow or narrow a Deny (fail closed)."""
    results: list[Tri] = []
    for key in sorted({c.key for c in timed}):
        mine = [c for c in timed if c.key == key]
        thresholds = [t for c in mine for v in c.values if (t := parse_date(v)) is not None]

        def holds(moment: float, key: str = key, mine: list[Condition] = mine) -> Tri:
            request = (as_value(key, moment),)
            return and3(_decide(c, request, context, variables) for c in mine)

        results.append(over_range(sample_times(context.windows[key], thresholds), holds, every))
    return and3(results)


def evaluate(condition: Condition, context: EvalContext, variables: bool) -> Tri:
    key = condition.key
    if not context.knows(key) or key in context.windows:
        return None  # unknown; a date key with a range is decided by evaluate_block
    return _decide(condition, context.values.get(key), context, variables)


def _decide(
    condition: Condition,
    request: tuple[str, ...] | None,
    context: EvalContext,
    variables: bool,
) -> Tri:
    """One operator/key pair against the request's values (None: the key is absent)."""
    if condition.base == "null":
        absent = request is None
        return any((v.lower() == "true") == absent for v in condition.values)
    if request is None:
        if condition.if_exists or condition.qualifier == "forallvalues":
            return True
        if condition.qualifier == "foranyvalue":
            return False
        return condition.negated
    compare = COMPARATORS[condition.base]
    per_value: list[Tri] = []
    for value in request:
        matches = or3(
            _one(compare, value, policy_value, context, variables)
            for policy_value in condition.values
        )
        per_value.append(not3(matches) if condition.negated else matches)
    if condition.qualifier == "forallvalues":
        return and3(per_value)
    return or3(per_value)


def _one(
    compare: Callable[[str, str], Tri],
    value: str,
    policy_value: str,
    context: EvalContext,
    variables: bool,
) -> Tri:
    if variables and "${" in policy_value:
        resolved = substitute_text(policy_value, context.lookup)
        if resolved is None:
            return None
        if resolved is ABSENT:
            # A variable with no value is effectively null: nothing equals or is like it, so
            # the positive operators do not match and the negated ones (not3 above) do.
            return False
        policy_value = resolved
    return compare(value, policy_value)
