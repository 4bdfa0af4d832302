"""MFA session ages worth probing, so that privilege never hinges on the sample ages.

The four request contexts use sample ages (a fresh session of ``fresh_age`` seconds, a stale
one of ``stale_age``) and the engine adds a probe just past ``max_age``. An Allow that needs
``"NumericLessThan": {"aws:MultiFactorAuthAge": "60"}`` is denied at every sample when
``fresh_age`` is 60, yet a user who signs in with MFA and acts at once is allowed: the action
is privileged, and MFA-enforced. So the engine also probes a session aged 0 seconds, and when
every fixed context is denied, the ages around the thresholds the statements name: numeric
operators ("IAM JSON policy elements: Condition operators", Numeric condition operators) only
change value at their thresholds, so 0, each threshold, the midpoints between them and one
past the largest visit every region (``NumericEquals 120`` included).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from auditor.models import MfaEnforcement
from auditor.policy.clock import Clock
from auditor.policy.conditions import MFA_AGE, EvalContext, build_context, seconds
from auditor.policy.parse import Statement


def has_age_test(statement: Statement) -> bool:
    return any(c.key == MFA_AGE for c in statement.conditions)


def probe_ages(statements: Iterable[Statement], skip: Iterable[float] = ()) -> list[float]:
    """Ages (seconds, >= 0) that reach every region of the statements' age tests."""
    thresholds: set[float] = set()
    for statement in statements:
        for condition in statement.conditions:
            if condition.key != MFA_AGE:
                continue
            for value in condition.values:
                try:
                    number = float(value)
                except ValueError:
                    continue
                if number == number and abs(number) != float("inf"):
                    thresholds.add(max(number, 0.0))
    ordered = sorted(thresholds | {0.0})
    candidates = set(ordered)
    candidates.update((a + b) / 2 for a, b in itertools.pairwise(ordered))
    candidates.add(ordered[-1] + 1)
    skipped = set(skip)
    return sorted(age for age in candidates if age not in skipped)


def age_context(
    age: float, extra: Mapping[str, str | None] | None = None, clock: Clock | None = None
) -> EvalContext:
    """An MFA session (``aws:MultiFactorAuthPresent`` true) of the given age."""
    return build_context(age_label(age), present="true", age=age, extra=extra, clock=clock)


def age_label(age: float) -> str:
    return f"MFA session aged {seconds(age)}s"


def window_verdict(allowed_ages: Iterable[float], max_age: int) -> MfaEnforcement:
    """The verdict for actions allowed only with MFA sessions of the given ages: enforced when
    all are within the maximum, age_unbounded when some older session passes."""
    ages = list(allowed_ages)
    if not ages:
        return MfaEnforcement.NOT_APPLICABLE
    return MfaEnforcement.ENFORCED if max(ages) <= max_age else MfaEnforcement.AGE_UNBOUNDED


@dataclass(frozen=True)
class AgeLimits:
    """The oldest MFA session the configuration accepts, and how reports name the probe."""

    max_age: int
    clock: Clock | None = None
    """The audit time, for date conditions in the age probes (``auditor.policy.clock``)."""

    @property
    def label(self) -> str:
        return f"MFA older than max age {self.max_age}s"
