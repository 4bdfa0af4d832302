"""Credentials and network failures give one line and the command that fixes them."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from auditor.collector import build_session, collect_snapshot
from auditor.config import AwsSettings, CollectorSettings
from auditor.errors import AuditorError, CollectionError, UsageError
from tests.support.moto_server import free_loopback_port

FAST = CollectorSettings(max_attempts=1, poll_timeout_seconds=1)


def _one_line(error: AuditorError) -> str:
    text = str(error)
    assert "\n" not in text
    assert "Traceback" not in text
    return text


def test_no_credentials(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    with pytest.raises(CollectionError, match="no AWS credentials found") as caught:
        collect_snapshot(boto3.Session(), FAST, endpoint_url="http://127.0.0.1:9")
    assert "--profile" in str(caught.value.hint)
    _one_line(caught.value)


def test_unknown_profile_is_a_usage_error_naming_it(aws_env: None) -> None:
    """A typo in --profile is the caller's mistake (exit 2), as with --profiles in org runs."""
    with pytest.raises(UsageError) as caught:
        build_session(AwsSettings(profile="nope"))
    assert caught.value.exit_code == 2
    assert caught.value.message == "AWS profile 'nope' not found"
    assert "aws configure list-profiles" in str(caught.value.hint)
    _one_line(caught.value)


def test_unknown_aws_profile_variable_is_named(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS_PROFILE never reaches our settings; the name comes from botocore ("None" before)."""
    monkeypatch.setenv("AWS_PROFILE", "nope")
    with pytest.raises(UsageError) as caught:
        build_session(AwsSettings())
    assert caught.value.message == "AWS profile 'nope' not found"
    assert "AWS_PROFILE" in str(caught.value.hint)
    assert "aws configure list-profiles" in str(caught.value.hint)


def test_expired_sso_session_names_the_login_command(
    aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An SSO profile whose token cache is empty: botocore's SSOTokenLoadError."""
    config = tmp_path / "config"
    config.write_text(
        "[profile prod]\n"
        "sso_session = corp\n"
        "sso_account_id = 111122223333\n"
        "sso_role_name = Auditor\n"
        "region = eu-west-1\n"
        "[sso-session corp]\n"
        "sso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = eu-west-1\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.aws/sso/cache
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    session = build_session(AwsSettings(profile="prod"))
    assert session.region_name == "eu-west-1"
    with pytest.raises(CollectionError, match="SSO session is missing or has expired") as caught:
        collect_snapshot(session, FAST, endpoint_url="http://127.0.0.1:9")
    assert caught.value.hint == "run `aws sso login --profile prod`"


def test_unreachable_endpoint(aws_env: None) -> None:
    url = f"http://127.0.0.1:{free_loopback_port()}"  # nothing listens there any more
    expected = f"sts:GetCallerIdentity: cannot connect to the AWS endpoint {url}"
    with pytest.raises(CollectionError, match=expected) as caught:
        collect_snapshot(boto3.Session(), FAST, endpoint_url=url)
    assert "--endpoint-url" in str(caught.value.hint)
    _one_line(caught.value)


def test_invalid_endpoint_url(aws_env: None) -> None:
    with pytest.raises(CollectionError, match="cannot create the iam client"):
        collect_snapshot(boto3.Session(), FAST, endpoint_url="not a url")
