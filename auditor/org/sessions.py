"""AWS sessions for a multi-account run: assumed-role and profile sessions, guarded clients.

Every client made here gets adaptive retries (so ``Throttling: Rate exceeded`` in one account is
retried inside that account's worker without stalling the others) and the collector's read-only
guard (the org runner's own calls are ``organizations:ListAccounts``, ``sts:AssumeRole`` and
``sts:GetCallerIdentity``). botocore failures become ``CollectionError``/``AccessDeniedError`` with
the account and role named, because the summary shows the message as the account's reason.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from auditor import __version__
from auditor.collector.aws_errors import ACCESS_DENIED_CODES, fatal_error
from auditor.collector.session import DEFAULT_REGION
from auditor.errors import AccessDeniedError, CollectionError
from auditor.org.guard import install_org_guard

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient
    from mypy_boto3_sts import STSClient

ASSUME_ROLE_DURATION_SECONDS = 3600
"""One hour: the default maximum session of a role, and far longer than one account's audit."""


def client_config(max_attempts: int) -> Config:
    """Adaptive retries per client: each account's throttling is absorbed by its own clients."""
    return Config(
        retries={"mode": "adaptive", "max_attempts": max_attempts},
        user_agent_extra=f"mfa-auditor/{__version__}",
    )


def guarded_client(
    session: boto3.Session, service: str, *, endpoint_url: str | None, max_attempts: int
) -> Any:
    """A client with retries and the collector's read-only guard installed."""
    kwargs: dict[str, Any] = {
        "config": client_config(max_attempts),
        "region_name": session.region_name or DEFAULT_REGION,
    }
    if endpoint_url:
        kwargs["endpoint_url"] = endpoint_url
    try:
        client = session.client(service, **kwargs)  # type: ignore[call-overload]
    except (BotoCoreError, ValueError) as error:
        raise translate(error, f"cannot create the {service} client") from None
    install_org_guard(client)
    return client


def sts_client(session: boto3.Session, *, endpoint_url: str | None, max_attempts: int) -> STSClient:
    client: STSClient = guarded_client(
        session, "sts", endpoint_url=endpoint_url, max_attempts=max_attempts
    )
    return client


def organizations_client(
    session: boto3.Session, *, endpoint_url: str | None, max_attempts: int
) -> OrganizationsClient:
    client: OrganizationsClient = guarded_client(
        session, "organizations", endpoint_url=endpoint_url, max_attempts=max_attempts
    )
    return client


def role_session_name(now: datetime) -> str:
    """``mfa-auditor-<UTC time>``: CloudTrail in each member account shows which run it was."""
    return f"mfa-auditor-{now:%Y%m%dT%H%M%SZ}"


def caller_account(sts: STSClient) -> str:
    """The account the credentials belong to (``sts:GetCallerIdentity`` needs no permission)."""
    try:
        return str(sts.get_caller_identity()["Account"])
    except (ClientError, BotoCoreError) as error:
        raise translate(error, "sts:GetCallerIdentity") from None


def assume_role_session(
    sts: STSClient,
    role_arn: str,
    *,
    session_name: str,
    external_id: str | None,
    region_name: str | None,
) -> boto3.Session:
    """A fresh session with the role's temporary credentials (one hour)."""
    arguments: dict[str, Any] = {
        "RoleArn": role_arn,
        "RoleSessionName": session_name,
        "DurationSeconds": ASSUME_ROLE_DURATION_SECONDS,
    }
    if external_id:
        arguments["ExternalId"] = external_id
    try:
        credentials = sts.assume_role(**arguments)["Credentials"]
    except (ClientError, BotoCoreError) as error:
        raise translate(
            error,
            f"sts:AssumeRole on {role_arn}",
            hint="check that the role exists in that account and trusts the auditing principal"
            + (" with this ExternalId" if external_id else ""),
        ) from None
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region_name,
    )


def profile_session(profile: str, *, region_name: str | None) -> boto3.Session:
    """A session for a named profile; the profile's own region wins over the run's."""
    try:
        session = boto3.Session(profile_name=profile)
    except BotoCoreError as error:
        raise CollectionError(f"profile {profile!r}: {one_line(str(error))}") from None
    if session.region_name is None and region_name is not None:
        session = boto3.Session(profile_name=profile, region_name=region_name)
    return session


def translate(error: Exception, what: str, *, hint: str | None = None) -> CollectionError:
    """One line naming the call; access denials get their own class, credential and network
    problems the collector's wording (and its hint on how to fix them)."""
    fatal = fatal_error(error, None)
    if fatal is not None:
        return CollectionError(f"{what}: {fatal.message}", hint=fatal.hint or hint)
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = str(details.get("Code", "Unknown"))
        message = one_line(str(details.get("Message", "")))
        text = f"{what}: {code}" + (f": {message}" if message else "")
        if code in ACCESS_DENIED_CODES:
            return AccessDeniedError(text, hint=hint)
        return CollectionError(text, hint=hint)
    return CollectionError(f"{what}: {one_line(str(error))}", hint=hint)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
