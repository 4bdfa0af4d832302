"""``Entry``: a statement in a principal's policy set, with the policy it came from.

Its own module so that ``coverage`` (which Denies cover which Allow) and ``evaluate`` (one
decision) can both use it without importing each other.
"""

from __future__ import annotations

from auditor.policy.parse import Statement
from auditor.records import record


@record
class Entry:
    """A statement in a principal's policy set, with the policy it came from."""

    policy_name: str
    statement: Statement
    variables: bool
    order: int
