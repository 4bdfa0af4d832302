"""Fixtures for end-to-end tests: a real ``moto_server`` subprocess, seeded once per module.

``tests/`` is not a package, so the repository root is put on ``sys.path`` to import the shared
helpers in ``tests/support``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.moto_server import moto_server  # noqa: E402


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """The URL of a fresh ``moto_server`` on a free loopback port, killed after the module."""
    with moto_server() as url:
        yield url
