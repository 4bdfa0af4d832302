"""A client-side rate limiter: at most ``rate`` calls per second, shared by threads.

CloudTrail's ``LookupEvents`` allows 2 requests per second per account per region (CloudTrail
API reference, LookupEvents); going faster only buys ``ThrottlingException`` and backoff. One
limiter per region spaces the calls evenly; clock and sleep are injected so tests do not wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()
        self.waited = 0.0
        """Seconds spent waiting, for the benchmark and the progress line."""

    def wait(self) -> None:
        """Block until the next call is allowed, then reserve the slot after it."""
        with self._lock:
            now = self._clock()
            delay = self._next - now
            if delay > 0:
                self._sleep(delay)
                self.waited += delay
                now += delay
            self._next = now + self.interval
