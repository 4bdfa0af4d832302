"""Fixtures for collector tests: an isolated dummy AWS environment, moto, stubbed sessions.

Helpers that are not fixtures live in ``tests/support`` (imported as ``tests.support``; this
file puts the repository root on ``sys.path`` because ``tests/`` is not a package).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.fakes import FakeClock, StubSession  # noqa: E402
from tests.support.moto_server import (  # noqa: E402
    DUMMY_CREDENTIALS,
    ISOLATION,
    UNSET_VARIABLES,
)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials and no profile, config file or endpoint from the developer's machine."""
    for name in UNSET_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in {**DUMMY_CREDENTIALS, **ISOLATION}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto_session(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[boto3.Session]:
    """An in-process moto account with AWS-managed policies loaded (off by default in moto)."""
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    from moto import mock_aws

    with mock_aws():
        yield boto3.Session(region_name="us-east-1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def stub_session() -> Iterator[StubSession]:
    session = StubSession()
    yield session
    for stubber in session.stubbers.values():
        stubber.deactivate()
