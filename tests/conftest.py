"""Every test runs without the developer's AWS configuration.

A test that accidentally reads ~/.aws (a profile, SSO cache, credentials, an endpoint override)
would pass or fail depending on the machine, and could even reach a real account. Tests that
need a profile or credentials set them explicitly with monkeypatch, which wins over this.
"""

from __future__ import annotations

import os

import pytest

_UNSET = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
)


@pytest.fixture(autouse=True)
def _no_developer_aws_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in _UNSET:
        monkeypatch.delenv(name, raising=False)
