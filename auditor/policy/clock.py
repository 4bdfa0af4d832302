"""Date conditions judged at the audit time: "privilege that cannot be exercised is not privilege".

The engine never reads a clock: the caller gives the audit time (``Clock.at(now)``). A request
is then any request made *at or after* that time, so the date keys have a range, not a value
("AWS global condition context keys"):

- ``aws:CurrentTime`` (and ``aws:EpochTime``, the same moment in seconds) is in every request:
  any moment from the audit time on;
- ``aws:TokenIssueTime`` is present only for temporary credentials (console sessions,
  ``GetSessionToken``, ``AssumeRole``), and a session lives at most 36 hours (``GetSessionToken``
  DurationSeconds: 900 to 129,600 seconds, STS API reference), so a session used at or after the
  audit time was issued at most 36 hours before it. Long-term access keys carry no such key.

A statement's conditions on these keys are decided over that range. An Allow holds when *some*
moment satisfies them (a grant that starts next year is privilege: fail closed); a Deny is
credited only when *every* moment does (a Deny that lapses next year protects nothing for good).
Date operators only change value at the dates a policy names ("IAM JSON policy elements:
Condition operators", Date condition operators), so the range start, each named date after it,
the midpoints between them and one day past the last visit every region.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

CURRENT_TIME = "aws:currenttime"
EPOCH_TIME = "aws:epochtime"
TOKEN_ISSUE_TIME = "aws:tokenissuetime"  # noqa: S105 - a condition key, not a secret
TIME_KEYS = frozenset({CURRENT_TIME, EPOCH_TIME, TOKEN_ISSUE_TIME})
MAX_SESSION_SECONDS = 129_600
"""The longest temporary credentials live (GetSessionToken / GetFederationToken, 36 hours)."""
_DAY = 86_400.0


@dataclass(frozen=True)
class Clock:
    """The audit time, as seconds since the epoch (UTC)."""

    now: float

    @classmethod
    def at(cls, moment: datetime) -> Clock:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return cls(moment.timestamp())

    @property
    def label(self) -> str:
        moment = datetime.fromtimestamp(self.now, tz=timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def windows(self, temporary: bool) -> dict[str, float]:
        """Lower bound of each date key's range; ``temporary``: the request is signed with
        temporary credentials (so ``aws:TokenIssueTime`` is present)."""
        ranges = {CURRENT_TIME: self.now, EPOCH_TIME: self.now}
        if temporary:
            ranges[TOKEN_ISSUE_TIME] = self.now - MAX_SESSION_SECONDS
        return ranges


def sample_times(start: float, thresholds: Iterable[float]) -> list[float]:
    """Moments from ``start`` on that reach every region between the ``thresholds``."""
    later = sorted({t for t in thresholds if t > start})
    points = [start, *later]
    samples = set(points)
    samples.update((a + b) / 2 for a, b in itertools.pairwise(points))
    samples.add(points[-1] + _DAY)
    return sorted(samples)


def as_value(key: str, moment: float) -> str:
    """A moment written as AWS writes the key: ISO 8601 for the dates, seconds for EpochTime."""
    if key == EPOCH_TIME:
        return str(int(moment)) if float(moment).is_integer() else repr(moment)
    return datetime.fromtimestamp(moment, tz=timezone.utc).isoformat()


def over_range(
    samples: Iterable[float], holds: Callable[[float], bool | None], every: bool
) -> bool | None:
    """``holds`` at some sample (``every`` False) or at all of them, three-valued."""
    unknown = False
    for moment in samples:
        value = holds(moment)
        if value is None:
            unknown = True
        elif value is not every:
            return value
    return None if unknown else every
