"""UTC helpers shared by every stage (collector, snapshot I/O, pipeline, reporters).

Records carry timezone-aware UTC datetimes so they compare and sort; a naive value (botocore,
a hand-written snapshot) is taken as UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive value is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
