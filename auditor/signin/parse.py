"""One CloudTrail record → ``SigninEvent``, ``None`` (not a sign-in), or ``UnknownShape``.

Shapes follow AWS's documented examples: CloudTrail User Guide, "AWS Management Console sign-in
events" (``ConsoleLogin``: ``additionalEventData.MFAUsed`` Yes/No, ``MFAIdentifier``,
``responseElements.ConsoleLogin`` Success/Failure, ``userIdentity.type`` IAMUser, Root,
AssumedRole, FederatedUser), and the IAM Identity Center User Guide, "Understanding IAM
Identity Center sign-in events" (``CredentialChallenge``, ``CredentialVerification``,
``UserAuthentication``; ``additionalEventData.CredentialType`` and ``AuthWorkflowID``; the user in
``userIdentity.onBehalfOf.userId``, older events in ``userIdentity.userName``).

A record that is a sign-in event by name but lacks what a verdict needs raises
``UnknownShape``: the reader skips and counts it (a note says how many), never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from auditor.signin.records import SigninEvent, SigninKind

SIGNIN_SOURCE = "signin.amazonaws.com"
CONSOLE_LOGIN = "ConsoleLogin"
IC_EVENTS = frozenset({"CredentialChallenge", "CredentialVerification", "UserAuthentication"})
SIGNIN_EVENT_NAMES = frozenset({CONSOLE_LOGIN, *IC_EVENTS})
LOOKUP_EVENT_NAMES = (CONSOLE_LOGIN, "CredentialVerification", "UserAuthentication")
"""What the live readers ask for: ``CredentialChallenge`` adds nothing a verification lacks."""
ROOT_NAME = "<root_account>"
"""The credential report's name for root (``auditor.models.ROOT_USER_NAME``)."""
ROLE_SESSION_TYPES = frozenset({"AssumedRole", "FederatedUser", "SAMLUser", "WebIdentityUser"})


class UnknownShape(Exception):
    """A sign-in event this parser cannot read with confidence; ``str()`` says what is missing."""


def is_signin(record: Mapping[str, Any]) -> bool:
    return (
        record.get("eventSource") == SIGNIN_SOURCE and record.get("eventName") in SIGNIN_EVENT_NAMES
    )


def parse_record(record: Mapping[str, Any]) -> SigninEvent | None:
    """The sign-in ``record`` describes, or ``None`` when it is another kind of event."""
    if not is_signin(record):
        return None
    name = str(record["eventName"])
    identity = _mapping(record.get("userIdentity"), "userIdentity")
    extra = record.get("additionalEventData")
    extra = extra if isinstance(extra, Mapping) else {}
    common = {
        "event_name": name,
        "account_id": str(record.get("recipientAccountId") or identity.get("accountId") or ""),
        "time": parse_time(record.get("eventTime")),
        "region": str(record.get("awsRegion") or ""),
        "source_ip": str(record.get("sourceIPAddress") or ""),
    }
    if not common["account_id"]:
        raise UnknownShape(f"{name} without an account id")
    if name == CONSOLE_LOGIN:
        return _console_login(record, identity, extra, common)
    return _identity_center(record, identity, extra, common)


def _console_login(
    record: Mapping[str, Any],
    identity: Mapping[str, Any],
    extra: Mapping[str, Any],
    common: dict[str, Any],
) -> SigninEvent:
    response = record.get("responseElements")
    outcome = response.get("ConsoleLogin") if isinstance(response, Mapping) else None
    if outcome not in ("Success", "Failure"):
        raise UnknownShape("ConsoleLogin without responseElements.ConsoleLogin Success/Failure")
    success = outcome == "Success"
    kind_name = identity.get("type")
    arn = str(identity.get("arn") or "")
    if kind_name in ("IAMUser", "Root"):
        mfa_flag = extra.get("MFAUsed")
        if mfa_flag not in ("Yes", "No") and success:
            raise UnknownShape(f"successful {kind_name} ConsoleLogin without MFAUsed Yes/No")
        if kind_name == "Root":
            kind, name = SigninKind.ROOT, ROOT_NAME
        else:
            kind, name = SigninKind.IAM_USER, str(identity.get("userName") or _arn_tail(arn))
            if not name:
                raise UnknownShape("IAMUser ConsoleLogin without a user name")
        return SigninEvent(
            kind=kind,
            name=name,
            arn=arn,
            success=success,
            mfa_used=mfa_flag == "Yes",
            mfa_identifier=str(extra.get("MFAIdentifier") or ""),
            **common,
        )
    if kind_name in ROLE_SESSION_TYPES:
        return SigninEvent(
            kind=SigninKind.ROLE_SESSION,
            name=_role_name(identity, arn),
            arn=arn,
            success=success,
            **common,
        )
    raise UnknownShape(f"ConsoleLogin by userIdentity.type {kind_name!r}")


def _identity_center(
    record: Mapping[str, Any],
    identity: Mapping[str, Any],
    extra: Mapping[str, Any],
    common: dict[str, Any],
) -> SigninEvent:
    name = common["event_name"]
    workflow = extra.get("AuthWorkflowID")
    if not isinstance(workflow, str) or not workflow:
        raise UnknownShape(f"{name} without additionalEventData.AuthWorkflowID")
    behalf = identity.get("onBehalfOf")
    user_id = str(behalf.get("userId") or "") if isinstance(behalf, Mapping) else ""
    user_name = str(identity.get("userName") or extra.get("UserName") or user_id)
    if not user_name:
        raise UnknownShape(f"{name} naming no user (no onBehalfOf.userId, no userName)")
    credential = extra.get("CredentialType")
    if name == "CredentialVerification" and not isinstance(credential, str):
        raise UnknownShape("CredentialVerification without additionalEventData.CredentialType")
    return SigninEvent(
        kind=SigninKind.IDENTITY_CENTER,
        name=user_name,
        arn=str(behalf.get("identityStoreArn") or "") if isinstance(behalf, Mapping) else "",
        success=_service_success(record, name),
        workflow_id=workflow,
        credential_type=str(credential or ""),
        user_id=user_id,
        **common,
    )


def _service_success(record: Mapping[str, Any], name: str) -> bool:
    """``serviceEventDetails.<event>`` Success/Failure; an error code also means failure."""
    for key in ("serviceEventDetails", "responseElements"):
        details = record.get(key)
        if isinstance(details, Mapping) and details.get(name) in ("Success", "Failure"):
            return bool(details[name] == "Success")
    return not (record.get("errorCode") or record.get("errorMessage"))


def _role_name(identity: Mapping[str, Any], arn: str) -> str:
    context = identity.get("sessionContext")
    issuer = context.get("sessionIssuer") if isinstance(context, Mapping) else None
    if isinstance(issuer, Mapping) and issuer.get("userName"):
        return str(issuer["userName"])
    parts = arn.split(":", 5)[-1].split("/")
    if len(parts) >= 2 and parts[0] in ("assumed-role", "federated-user"):
        return parts[1]
    return arn or str(identity.get("principalId") or "unknown session")


def _arn_tail(arn: str) -> str:
    return arn.rsplit("/", 1)[-1] if ":user/" in arn else ""


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise UnknownShape(f"sign-in event without a {what} object")
    return value


def parse_time(value: Any) -> datetime:
    """CloudTrail's ``eventTime`` (``2026-11-30T09:15:02Z``) as an aware UTC datetime."""
    if not isinstance(value, str):
        raise UnknownShape("sign-in event without an eventTime")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UnknownShape(f"eventTime {value[:40]!r} is not ISO 8601") from None
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
