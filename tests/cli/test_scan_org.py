"""`mfa-auditor scan --org` through the CLI, on moto's Organizations and STS.

Every emulated account lacks root's credential-report row (moto), so each account's audit is
incomplete and the run must exit 4 (README, "Exit codes") — never 0 — while still writing the
per-account reports and the organization summary.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from typer.testing import CliRunner

from auditor import cli
from auditor.exit_codes import ExitCode
from tests.org.test_org_moto import member_session, seed_alpha

runner = CliRunner()


@pytest.fixture
def organization(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/mfa-auditor-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/mfa-auditor-test-creds")
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client("organizations")
        client.create_organization(FeatureSet="ALL")
        status = client.create_account(AccountName="alpha", Email="alpha@example.com")
        member = status["CreateAccountStatus"]["AccountId"]
        seed_alpha(member_session(member).client("iam"))
        yield member


def test_scan_org_writes_account_reports_and_summary(organization: str, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = runner.invoke(cli.app, ["scan", "--org", "--out", str(out)])
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    printed = result.output.split()
    summary = [Path(p) for p in printed if p.endswith("accounts.csv")]
    assert len(summary) == 1
    assert summary[0].parent.parent == out / "organization"
    with summary[0].open(encoding="utf-8", newline="") as stream:
        accounts = {row["account_id"] for row in csv.DictReader(stream)}
    assert accounts == {"123456789012", organization}
    member_runs = list((out / organization).iterdir())
    assert len(member_runs) == 1
    assert (member_runs[0] / "findings.csv").exists()
    assert "alice" in (member_runs[0] / "findings.csv").read_text(encoding="utf-8")
    assert "2 of 2 account(s) audited" in result.output


def test_org_and_profiles_conflict() -> None:
    result = runner.invoke(cli.app, ["scan", "--org", "--profiles", "a,b"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "either --org or --profiles" in result.output


def test_unknown_profile_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/mfa-auditor-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/mfa-auditor-test-creds")
    result = runner.invoke(cli.app, ["scan", "--profiles", "nope"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "unknown AWS profile(s): nope" in result.output
