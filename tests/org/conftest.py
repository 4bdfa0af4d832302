"""Fixtures for the organization runner and summary tests.

Helpers that are not fixtures live in ``tests/org/helpers.py`` (imported as ``tests.org.helpers``;
this file puts the repository root on ``sys.path`` because ``tests/`` is not a package).
"""

from __future__ import annotations

import sys
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def offline_session(monkeypatch: pytest.MonkeyPatch) -> boto3.Session:
    """A session with dummy keys: clients can be built, and nothing may reach AWS unmocked."""
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/mfa-auditor-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/mfa-auditor-test-creds")
    return boto3.Session(
        aws_access_key_id="AKIATESTTESTTESTTEST",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )


@pytest.fixture
def moto_env(org_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """``org_env`` plus AWS's managed policies loaded (before the mock starts).

    Costs about a second per emulated account, so only the end-to-end tests use it.
    """
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")


@pytest.fixture
def org_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials for moto; no AWS config files, profile or endpoint from the machine."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/mfa-auditor-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/mfa-auditor-test-creds")


@pytest.fixture
def reports_root(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    root.mkdir()
    return root
