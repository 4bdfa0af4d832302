"""AWS sessions for a multi-account run: assumed-role and profile sessions, guarded clients.

Clients come from the collector's own factory (``auditor.collector.session.make_client``), so the
runner's Organizations and STS calls get what every collector call gets: adaptive retries (so
``Throttling: Rate exceeded`` in one account is retried inside that account's worker without
stalling the others), the connect/read timeouts with capped retries of unanswered calls, the
translation of every failure below the API (no answer, a proxy's HTML) into one ``EndpointError``
line, and the read-only guard, here with the runner's allow-list (``auditor.org.guard``). AWS's
own error answers are worded by ``translate`` with the collector's classifiers, naming the call
and the role, because the summary shows the message as the account's reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import boto3
from botocore.exceptions import ClientError

from auditor.collector.aws_errors import error_code, error_message, fatal_error, is_access_denied
from auditor.collector.session import build_session, make_client
from auditor.config import AwsSettings, CollectorSettings
from auditor.errors import AccessDeniedError, AuditorError, CollectionError
from auditor.org.guard import ORG_ALLOWED

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient
    from mypy_boto3_sts import STSClient

ASSUME_ROLE_DURATION_SECONDS = 3600
"""One hour: the default maximum session of a role, and far longer than one account's audit."""


def guarded_client(
    session: boto3.Session, service: str, *, endpoint_url: str | None, max_attempts: int
) -> Any:
    """The collector's client (retries, timeouts, translation) with the runner's allow-list."""
    settings = CollectorSettings(max_attempts=max_attempts)
    return make_client(session, service, settings, endpoint_url, allowed=ORG_ALLOWED)


def sts_client(session: boto3.Session, *, endpoint_url: str | None, max_attempts: int) -> STSClient:
    client = guarded_client(session, "sts", endpoint_url=endpoint_url, max_attempts=max_attempts)
    return cast("STSClient", client)


def organizations_client(
    session: boto3.Session, *, endpoint_url: str | None, max_attempts: int
) -> OrganizationsClient:
    client = guarded_client(
        session, "organizations", endpoint_url=endpoint_url, max_attempts=max_attempts
    )
    return cast("OrganizationsClient", client)


def role_session_name(now: datetime) -> str:
    """``mfa-auditor-<UTC time>``: CloudTrail in each member account shows which run it was."""
    return f"mfa-auditor-{now:%Y%m%dT%H%M%SZ}"


def caller_account(sts: STSClient) -> str:
    """The account the credentials belong to (``sts:GetCallerIdentity`` needs no permission)."""
    try:
        return str(sts.get_caller_identity()["Account"])
    except ClientError as error:
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
    except ClientError as error:
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
    """A session for a named profile (the collector's ``build_session``, so its errors read the
    same); the profile's own region wins over the run's."""
    session = build_session(AwsSettings(profile=profile))
    if session.region_name is None and region_name is not None:
        session = build_session(AwsSettings(profile=profile, region=region_name))
    return session


def translate(error: ClientError, what: str, *, hint: str | None = None) -> AuditorError:
    """One line naming the call for an error AWS answered with.

    Only ``ClientError`` reaches here: the collector's clients raise ``EndpointError`` themselves
    for failures below the API and a ``CollectionError`` for missing credentials. Expired or
    rejected credentials get the collector's wording and hint, access denials their own class;
    any other code keeps AWS's message, which for ``sts:AssumeRole`` names the principal and role.
    """
    fatal = fatal_error(error, None)
    if fatal is not None:
        return type(fatal)(f"{what}: {fatal.message}", hint=fatal.hint or hint)
    message = error_message(error)
    text = f"{what}: {error_code(error)}" + (f": {message}" if message else "")
    if is_access_denied(error):
        return AccessDeniedError(text, hint=hint)
    return CollectionError(text, hint=hint)
