"""Test doubles for collector code: a fake clock and Stubber-backed guarded clients.

Real-AWS shapes moto cannot produce (several pages, a report in progress, throttling,
AccessDenied) are played back with botocore's ``Stubber``; nothing goes on the wire.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
from botocore.stub import Stubber

from auditor.collector import install_read_only_guard

START = datetime(2026, 1, 15, 9, 0, 0, tzinfo=timezone.utc)


class FakeClock:
    """A clock that only moves when ``sleep`` is called; records every sleep."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)


@functools.cache
def _shared_session() -> boto3.Session:
    """One session for all stubbed clients: it caches the service models, so clients are cheap."""
    return boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )


def stubbed_client(service: str) -> tuple[Any, Stubber]:
    """A guarded client answering only from the Stubber queue; nothing goes on the wire."""
    client = _shared_session().client(service)
    install_read_only_guard(client)
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


class StubSession:
    """Stands in for ``boto3.Session``: hands out pre-stubbed clients, records client kwargs."""

    def __init__(self, profile_name: str = "audit") -> None:
        self.profile_name = profile_name
        self.region_name: str | None = None
        self.clients: dict[str, Any] = {}
        self.stubbers: dict[str, Stubber] = {}
        self.client_kwargs: dict[str, dict[str, Any]] = {}
        for service in ("iam", "sts", "sso-admin", "identitystore"):
            self.clients[service], self.stubbers[service] = stubbed_client(service)

    def client(self, service: str, **kwargs: Any) -> Any:
        self.client_kwargs[service] = kwargs
        return self.clients[service]
