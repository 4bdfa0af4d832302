"""End to end over HTTP: 1,000 users seeded into ``moto_server``, collected with few calls.

The collector runs exactly as against AWS (separate server process, signed HTTP requests,
adaptive retries, the read-only guard), and a botocore event hook counts its API calls: at most
11 plus pagination pages plus one per console user holding a virtual device, and every seeded
user is seen with the right group and MFA state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from auditor.collector import ALLOWED_OPERATIONS, collect_snapshot
from auditor.config import CollectorSettings
from auditor.models import CollectionSource, Snapshot
from auditor.snapshot_io import load_snapshot
from tests.support.call_counter import CallCounter, count_calls
from tests.support.fake_endpoints import html_portal
from tests.support.moto_server import DUMMY_CREDENTIALS, dummy_aws_environment
from tests.support.seeding import ADMIN_GROUP, SeededAccount, seed_users

pytestmark = pytest.mark.e2e

USERS = 1000
PAGINATED = ("iam:GetAccountAuthorizationDetails", "iam:ListVirtualMFADevices",
             "iam:ListAccountAliases")  # fmt: skip


@pytest.fixture(scope="module")
def seeded(moto_endpoint: str) -> SeededAccount:
    return seed_users(moto_endpoint, USERS)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in dummy_aws_environment({}).items():
        monkeypatch.setenv(name, value)


def _collect(endpoint_url: str | None) -> tuple[Snapshot, CallCounter]:
    session = boto3.Session(region_name=DUMMY_CREDENTIALS["AWS_DEFAULT_REGION"])
    counter = count_calls(session)
    settings = CollectorSettings(poll_initial_delay_seconds=0.2, poll_timeout_seconds=60)
    return collect_snapshot(session, settings, endpoint_url=endpoint_url), counter


def test_collects_every_user_with_constant_calls(
    moto_endpoint: str, seeded: SeededAccount, aws_env: None
) -> None:
    snapshot, counter = _collect(moto_endpoint)

    calls = counter.by_operation()
    extra_pages = sum(calls[operation] - 1 for operation in PAGINATED if calls[operation])
    # One ListMFADevices per user it can change (auditor.collector.mfa_lookup): every seeded
    # device is virtual and every user is in a group, so exactly the console users with one.
    per_user = len(seeded.mfa_names & seeded.console_names)
    assert calls["iam:ListMFADevices"] == per_user
    identity_center = sum(
        n for op, n in calls.items() if op.split(":")[0] in ("sso", "identitystore")
    )
    assert identity_center == 4, calls  # moto's empty instance: one page of each listing
    assert counter.total - identity_center <= 11 + extra_pages + per_user, calls
    assert calls["iam:GetAccountAuthorizationDetails"] >= 1
    assert set(calls) <= ALLOWED_OPERATIONS  # so no per-user or per-group operation at all

    users = {user.name: user for user in snapshot.users}
    assert set(users) == seeded.user_names
    admins = {name for name, user in users.items() if ADMIN_GROUP in user.groups}
    assert admins == seeded.admin_names
    assert any(p.name == "AdministratorAccess" and p.document for p in snapshot.policies)

    device_owners = {
        d.user_arn.rsplit("/", 1)[-1] for d in snapshot.virtual_mfa_devices if d.user_arn
    }
    assert device_owners == seeded.mfa_names

    report = snapshot.credential_report
    assert report is not None
    rows = {row.user: row for row in report.rows}
    assert set(rows) == seeded.user_names
    assert {name for name, row in rows.items() if row.mfa_active} == seeded.mfa_names
    assert {name for name, row in rows.items() if row.has_console_password} == seeded.console_names
    # moto has no <root_account> row; that is the only thing missing.
    # moto lacks the root row and iam:ListOrganizationsFeatures (the latter a context-only gap).
    assert sorted(gap.source for gap in snapshot.gaps) == [
        CollectionSource.ORGANIZATION_FEATURES.value,
        CollectionSource.ROOT_CREDENTIALS.value,
    ]


def test_standard_endpoint_variable_is_honoured(
    moto_endpoint: str, seeded: SeededAccount, aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """boto3 reads AWS_ENDPOINT_URL itself; the collector must not override it."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    snapshot, _ = _collect(None)
    assert {user.name for user in snapshot.users} == seeded.user_names


def _console_script(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("mfa-auditor")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "auditor"]
    return subprocess.run(
        [*command, *arguments], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_installed_console_script_collects_over_http(
    moto_endpoint: str, seeded: SeededAccount, tmp_path: Path
) -> None:
    out = tmp_path / "snapshot.json"
    result = _console_script(
        "collect", "--endpoint-url", moto_endpoint, "--out", str(out), env=dummy_aws_environment()
    )
    # 4 = written but incomplete: moto's credential report has no <root_account> row.
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    assert "root_credentials" in result.stderr
    snapshot = load_snapshot(out)
    assert {user.name for user in snapshot.users} == seeded.user_names
    assert json.loads(out.read_text())["source"] == "aws"


def test_an_endpoint_answering_html_is_one_line_not_an_internal_error(tmp_path: Path) -> None:
    """A captive portal or a wrong --endpoint-url: exit 1, one sentence and a hint, no body."""
    page = b"<html><head><title>Hotel WiFi</title></head><body>Room number:<br></body></html>"
    with html_portal(page) as url:
        result = _console_script(
            "collect", "--endpoint-url", url, "--out", str(tmp_path / "s.json"),
            env=dummy_aws_environment(),
        )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert f"sts:GetCallerIdentity: the answer from {url} is not an AWS API response" in (
        result.stderr
    )
    assert "AWS_ENDPOINT_URL" in result.stderr
    for absent in ("Hotel WiFi", "Traceback", "internal error", "bug"):
        assert absent not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the error, and its hint
    assert not (tmp_path / "s.json").exists()


def test_unknown_aws_profile_variable_is_a_usage_error(tmp_path: Path) -> None:
    env = dummy_aws_environment()
    env["AWS_PROFILE"] = "nope"
    result = _console_script("collect", "--out", str(tmp_path / "s.json"), env=env)
    assert result.returncode == 2, result.stderr
    assert "AWS profile 'nope' not found" in result.stderr
    assert "aws configure list-profiles" in result.stderr
    assert "None" not in result.stderr
