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
from auditor.collector.aws_errors import fatal_error, profile_not_found
from auditor.collector.guard import ALLOWED_OPERATIONS, install_read_only_guard
from auditor.collector.transport import TranslatingClient, cap_transport_retries
from auditor.config import AwsSettings, CollectorSettings
from auditor.errors import CollectionError

DEFAULT_REGION = "us-east-1"
"""IAM is global; a region is only needed to build the clients when none is configured."""
CONNECT_TIMEOUT_SECONDS = 5.0
"""AWS endpoints accept within milliseconds; 5 s is generous even through a slow proxy."""
READ_TIMEOUT_SECONDS = 20.0
"""Longest silence between bytes of an answer (a 1,000-item IAM page arrives well within it)."""
TRANSPORT_MAX_ATTEMPTS = 2
"""Tries in all for a call that got no answer (timeout, reset): one retry for a network blip.
``max_attempts`` (botocore's *retries*, so one more try in all) stays for throttling; a silent
endpoint now fails in about 2 × ``READ_TIMEOUT_SECONDS`` (measured 41 s) instead of 11 × 60 s
plus backoff (QA measured 11 min 21 s)."""


def build_session(aws: AwsSettings) -> boto3.Session:
    """A session for ``aws.profile``/``aws.region`` (or the standard AWS environment)."""
    try:
        return boto3.Session(profile_name=aws.profile, region_name=aws.region)
    except bex.ProfileNotFound as error:
        raise profile_not_found(error) from None
    except bex.BotoCoreError as error:
        raise fatal_error(error, aws.profile) or CollectionError(
            f"cannot set up an AWS session: {error}"
        ) from None


def client_config(settings: CollectorSettings) -> Config:
    """Adaptive retries: client-side rate limiting absorbs IAM's per-account throttling.

    Timeouts are short and their retries capped (``TRANSPORT_MAX_ATTEMPTS``) so a cron run
    against an endpoint that never answers fails in well under a minute.
    """
    return Config(
        retries={"mode": "adaptive", "max_attempts": settings.max_attempts},
        user_agent_extra=f"mfa-auditor/{__version__}",
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        max_pool_connections=max(10, settings.mfa_device_workers),
    )


def make_client(
    session: boto3.Session,
    service: str,
    settings: CollectorSettings,
    endpoint_url: str | None,
    *,
    allowed: frozenset[str] = ALLOWED_OPERATIONS,
    region: str | None = None,
) -> TranslatingClient:
    """A guarded client; ``endpoint_url`` wins over ``AWS_ENDPOINT_URL``, which boto3 reads.

    Its API methods raise ``EndpointError`` (one line, no response body) for every failure
    that is not an answer from AWS; see ``auditor.collector.transport``. ``allowed`` is the
    guard's allow-list: the collector's reads, or the organization runner's wider list.
    ``region`` overrides the session's, for the regional services (CloudTrail per region,
    Identity Center's home region, Security Hub); IAM is global.
    """
    kwargs: dict[str, Any] = {
        "config": client_config(settings),
        "region_name": region or session.region_name or DEFAULT_REGION,
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
    install_read_only_guard(client, allowed)
    cap_transport_retries(client, TRANSPORT_MAX_ATTEMPTS)
    return TranslatingClient(
        client,
        profile=session.profile_name,
        read_timeout=READ_TIMEOUT_SECONDS,
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
    )
