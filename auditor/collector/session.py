"""Sessions and clients: built on demand from settings, never at import time.

Clients are made per collection from the caller's session, so a test can hand in a moto or
Stubber-backed session and nothing global needs patching.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore import exceptions as bex
from botocore.client import BaseClient
from botocore.config import Config

from auditor import __version__
from auditor.collector.aws_errors import fatal_error
from auditor.collector.guard import install_read_only_guard
from auditor.config import AwsSettings, CollectorSettings
from auditor.errors import CollectionError

DEFAULT_REGION = "us-east-1"
"""IAM is global; a region is only needed to build the clients when none is configured."""


def build_session(aws: AwsSettings) -> boto3.Session:
    """A session for ``aws.profile``/``aws.region`` (or the standard AWS environment)."""
    try:
        return boto3.Session(profile_name=aws.profile, region_name=aws.region)
    except bex.BotoCoreError as error:
        raise fatal_error(error, aws.profile) or CollectionError(
            f"cannot set up an AWS session: {error}"
        ) from None


def client_config(settings: CollectorSettings) -> Config:
    """Adaptive retries: client-side rate limiting absorbs IAM's per-account throttling."""
    return Config(
        retries={"mode": "adaptive", "max_attempts": settings.max_attempts},
        user_agent_extra=f"mfa-auditor/{__version__}",
        connect_timeout=10,
        read_timeout=60,
    )


def make_client(
    session: boto3.Session,
    service: str,
    settings: CollectorSettings,
    endpoint_url: str | None,
) -> BaseClient:
    """A guarded client; ``endpoint_url`` wins over ``AWS_ENDPOINT_URL``, which boto3 reads."""
    kwargs: dict[str, Any] = {
        "config": client_config(settings),
        "region_name": session.region_name or DEFAULT_REGION,
    }
    if endpoint_url:
        kwargs["endpoint_url"] = endpoint_url
    try:
        client: BaseClient = session.client(service, **kwargs)  # type: ignore[call-overload]
    except (bex.BotoCoreError, ValueError) as error:
        raise fatal_error(error, session.profile_name) or CollectionError(
            f"cannot create the {service} client: {error}",
            hint="check --region and --endpoint-url",
        ) from None
    install_read_only_guard(client)
    return client
