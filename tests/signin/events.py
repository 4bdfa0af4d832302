"""CloudTrail sign-in records written from AWS's documented examples, with the values varied.

- ``console_login``: CloudTrail User Guide, "AWS Management Console sign-in events"
  (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html):
  the IAM user examples with and without MFA, the failed sign-in (``errorMessage``
  "Failed authentication", ``ConsoleLogin`` "Failure"), the root example, and the federated
  (SAML, assumed-role) example whose ``MFAUsed`` is "No".
- ``ic_event``: IAM Identity Center User Guide, "Understanding IAM Identity Center sign-in events"
  (https://docs.aws.amazon.com/singlesignon/latest/userguide/understanding-sign-in-events.html):
  ``CredentialChallenge`` / ``CredentialVerification`` / ``UserAuthentication`` with
  ``additionalEventData.CredentialType`` and ``AuthWorkflowID``, the user in
  ``userIdentity.onBehalfOf``, the outcome in ``serviceEventDetails``.
"""

from __future__ import annotations

from typing import Any

ACCOUNT = "123456789012"
IDENTITY_STORE = "arn:aws:identitystore::123456789012:identitystore/d-9067230000"


def console_login(
    who: str = "Anaya",
    *,
    identity_type: str = "IAMUser",
    mfa: bool = False,
    success: bool = True,
    time: str = "2026-11-20T21:44:40Z",
    region: str = "us-east-1",
    ip: str = "192.0.2.0",
    device: str = "arn:aws:iam::123456789012:mfa/Anaya-phone",
    account: str = ACCOUNT,
) -> dict[str, Any]:
    identity: dict[str, Any]
    if identity_type == "Root":
        identity = {
            "type": "Root",
            "principalId": account,
            "arn": f"arn:aws:iam::{account}:root",
            "accountId": account,
            "accessKeyId": "",
        }
    elif identity_type == "AssumedRole":
        identity = {
            "type": "AssumedRole",
            "principalId": f"AROAEXAMPLE:{who}",
            "arn": f"arn:aws:sts::{account}:assumed-role/AWSReservedSSO_Admin_0123abcd/{who}",
            "accountId": account,
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROAEXAMPLE",
                    "arn": f"arn:aws:iam::{account}:role/AWSReservedSSO_Admin_0123abcd",
                    "accountId": account,
                    "userName": "AWSReservedSSO_Admin_0123abcd",
                },
                "attributes": {"creationDate": time, "mfaAuthenticated": "false"},
            },
        }
    else:
        identity = {
            "type": "IAMUser",
            "principalId": "AIDACKCEVSQ6C2EXAMPLE",
            "accountId": account,
            "userName": who,
        }
        if success:
            identity["arn"] = f"arn:aws:iam::{account}:user/{who}"
    extra: dict[str, Any] = {
        "LoginTo": "https://console.aws.amazon.com/console/home",
        "MobileVersion": "No",
        "MFAUsed": "Yes" if mfa else "No",
    }
    if mfa:
        extra["MFAIdentifier"] = device
    if identity_type == "AssumedRole":
        extra["SamlProviderArn"] = f"arn:aws:iam::{account}:saml-provider/AWSSSO_0123_DO_NOT_DELETE"
    record: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": identity,
        "eventTime": time,
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        "awsRegion": region,
        "sourceIPAddress": ip,
        "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        "requestParameters": None,
        "responseElements": {"ConsoleLogin": "Success" if success else "Failure"},
        "additionalEventData": extra,
        "eventID": "e1bf1000-ddfe-4d8f-8ef7-EXAMPLE4f47",
        "readOnly": False,
        "eventType": "AwsConsoleSignIn",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }
    if not success:
        record["errorMessage"] = "Failed authentication"
    return record


def ic_event(
    event_name: str,
    *,
    workflow: str = "9de74b32-8362-4a01-a524-de21df59fd83",
    credential: str | None = "PASSWORD",
    success: bool = True,
    user_id: str = "94482488-3041-7026-18f3-be45837cd0e4",
    user_name: str | None = "dana",
    time: str = "2026-11-20T20:33:58Z",
    region: str = "eu-west-1",
    ip: str = "203.0.113.10",
    account: str = ACCOUNT,
) -> dict[str, Any]:
    identity: dict[str, Any] = {
        "type": "Unknown",
        "principalId": account,
        "arn": "",
        "accountId": account,
        "accessKeyId": "",
        "onBehalfOf": {"userId": user_id, "identityStoreArn": IDENTITY_STORE},
    }
    if user_name is not None:
        identity["userName"] = user_name
    extra: dict[str, Any] = {"AuthWorkflowID": workflow}
    if credential is not None:
        extra["CredentialType"] = credential
    return {
        "eventVersion": "1.08",
        "userIdentity": identity,
        "eventTime": time,
        "eventSource": "signin.amazonaws.com",
        "eventName": event_name,
        "awsRegion": region,
        "sourceIPAddress": ip,
        "userAgent": "Mozilla/5.0",
        "requestParameters": None,
        "responseElements": None,
        "additionalEventData": extra,
        "serviceEventDetails": {event_name: "Success" if success else "Failure"},
        "eventType": "AwsServiceEvent",
        "readOnly": False,
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }


def ic_signin(
    factors: tuple[str, ...], *, workflow: str = "wf-1", complete: bool = True, **kw: Any
) -> list[dict[str, Any]]:
    """One Identity Center sign-in: a challenge and a verification per factor, then (if it
    completed) ``UserAuthentication``, as the Identity Center guide lists them."""
    records: list[dict[str, Any]] = []
    for factor in factors:
        records.append(ic_event("CredentialChallenge", credential=factor, workflow=workflow, **kw))
        records.append(
            ic_event("CredentialVerification", credential=factor, workflow=workflow, **kw)
        )
    if complete:
        records.append(ic_event("UserAuthentication", credential=None, workflow=workflow, **kw))
    return records


def other_event(region: str = "us-east-1", time: str = "2026-11-20T10:00:00Z") -> dict[str, Any]:
    """A management event that is not a sign-in (an EC2 DescribeInstances call)."""
    return {
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "userName": "ops", "accountId": ACCOUNT},
        "eventTime": time,
        "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstances",
        "awsRegion": region,
        "sourceIPAddress": "198.51.100.7",
        "requestParameters": {"maxResults": 5},
        "responseElements": None,
        "recipientAccountId": ACCOUNT,
    }
