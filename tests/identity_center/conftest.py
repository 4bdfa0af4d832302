"""Fixtures for the Identity Center tests: moto_server with and without the boundary shim.

``tests/`` is not a package, so the repository root is put on ``sys.path``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.moto_server import dummy_aws_environment, moto_server  # noqa: E402


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials only: nothing from the developer's own AWS set-up."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in dummy_aws_environment({}).items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def shimmed_endpoint() -> Iterator[str]:
    """moto_server answering GetPermissionsBoundaryForPermissionSet as AWS does for a set
    without a boundary (``tests.support.moto_ic_shim``)."""
    with moto_server(identity_center_shim=True) as url:
        yield url


@pytest.fixture(scope="module")
def plain_endpoint() -> Iterator[str]:
    """moto_server as shipped: the boundary read answers HTTP 500."""
    with moto_server() as url:
        yield url
