"""Count the AWS API calls a collection makes, with a botocore event hook on the session.

Handlers registered on ``session.events`` are copied into every client created afterwards, so the
collector's own clients are counted without touching its code. ``before-call`` fires once per
API call (retries happen below it), after the read-only guard has let the call through.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3


class CallCounter:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, model: Any = None, **_: Any) -> None:
        prefix = model.service_model.signing_name
        self.calls.append(f"{prefix}:{model.name}")

    @property
    def total(self) -> int:
        return len(self.calls)

    def by_operation(self) -> Counter[str]:
        return Counter(self.calls)


def count_calls(session: boto3.Session) -> CallCounter:
    """Start counting calls of clients that ``session`` creates from now on."""
    counter = CallCounter()
    session.events.register("before-call", counter)
    return counter
