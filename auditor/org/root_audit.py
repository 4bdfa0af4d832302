"""Member accounts' root credentials in ``scan --org``: from the reports, or from a root session.

Every member account's credential report (already read) has root's row, and its account summary
says whether a root password, access keys and MFA are present: ``root_credentials_text`` turns
that into the ``root_credentials`` column of ``accounts.csv`` with no extra call.

With ``--audit-member-roots`` the management account also opens a privileged root session in
each member account: ``sts:AssumeRoot`` with the AWS-managed task policy
``IAMAuditRootUserCredentials``, which only reads root's credentials (IAM User Guide, "Perform a
privileged task on an AWS Organizations member account"). Inside it ``GetLoginProfile``,
``ListAccessKeys``, ``ListSigningCertificates`` and ``ListMFADevices`` name root's own
credentials, including the type of each MFA device, which no IAM principal can list otherwise.
AssumeRoot is refused by STS's global endpoint, so the STS client is regional; its guard admits
``sts:AssumeRoot`` only on this client, made only when the option is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import ClientError

from auditor.collector.aws_errors import error_code
from auditor.collector.mfa_lookup import read_user_devices
from auditor.collector.organization import read_organization_features
from auditor.collector.session import DEFAULT_REGION, make_client
from auditor.config import CollectorSettings
from auditor.mfa_devices import OrganizationFeatures, RootCredentials, device_types_text
from auditor.models import Snapshot
from auditor.org.guard import ORG_ALLOWED
from auditor.org.sessions import translate

AUDIT_TASK_POLICY = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
ROOT_SESSION_SECONDS = 900
"""AssumeRoot's maximum (15 minutes); four reads need seconds."""
ASSUME_ROOT = "sts:AssumeRoot"
GLOBAL_STS = "https://sts.amazonaws.com"
ROOT_STS_ALLOWED: frozenset[str] = ORG_ALLOWED | {ASSUME_ROOT}
ROOT_SESSION_ALLOWED: frozenset[str] = frozenset(
    {
        "iam:GetLoginProfile",
        "iam:ListAccessKeys",
        "iam:ListSigningCertificates",
        "iam:ListMFADevices",
    }
)
"""The reads made inside a root session: a subset of what IAMAuditRootUserCredentials allows."""
ROOT_AUDIT_STATEMENT: dict[str, Any] = {
    "Sid": "MfaAuditorAuditMemberRoots",
    "Effect": "Allow",
    "Action": ASSUME_ROOT,
    "Resource": "arn:aws:iam::*:root",
    "Condition": {"StringEquals": {"sts:TaskPolicyArn": AUDIT_TASK_POLICY}},
}
"""What the management account's identity needs for ``--audit-member-roots`` (only that)."""


def management_features(
    session: boto3.Session, *, endpoint_url: str | None, max_attempts: int
) -> OrganizationFeatures:
    """``iam:ListOrganizationsFeatures`` once, from the account ``scan --org`` runs in."""
    settings = CollectorSettings(max_attempts=max_attempts)
    iam = make_client(session, "iam", settings, endpoint_url, allowed=ORG_ALLOWED)
    features, _gap = read_organization_features(iam, session.profile_name)
    return features


def root_sts_client(session: boto3.Session, *, endpoint_url: str | None, max_attempts: int) -> Any:
    """A regional STS client whose guard admits ``sts:AssumeRoot`` (and the runner's calls)."""
    settings = CollectorSettings(max_attempts=max_attempts)
    client = make_client(session, "sts", settings, endpoint_url, allowed=ROOT_STS_ALLOWED)
    if endpoint_url is None and client.client.meta.endpoint_url == GLOBAL_STS:
        # AWS_STS_REGIONAL_ENDPOINTS=legacy keeps us-east-1 on the global endpoint, which
        # AssumeRoot refuses; the regional one is named explicitly then.
        region = session.region_name or DEFAULT_REGION
        regional = f"https://sts.{region}.amazonaws.com"
        client = make_client(session, "sts", settings, regional, allowed=ROOT_STS_ALLOWED)
    return client


def audit_member_root(
    root_sts: Any,
    account_id: str,
    *,
    endpoint_url: str | None,
    region_name: str | None,
    max_attempts: int,
    open_iam: Callable[[boto3.Session], Any] | None = None,
) -> RootCredentials:
    """Root's credentials in ``account_id``, read in an ``IAMAuditRootUserCredentials`` session.

    ``open_iam`` builds the root session's IAM client (default: a guarded client allowed only
    ``ROOT_SESSION_ALLOWED``); tests pass a Stubber-backed one.
    """
    try:
        credentials = root_sts.assume_root(
            TargetPrincipal=account_id,
            TaskPolicyArn={"arn": AUDIT_TASK_POLICY},
            DurationSeconds=ROOT_SESSION_SECONDS,
        )["Credentials"]
    except ClientError as error:
        raise translate(
            error,
            f"sts:AssumeRoot in {account_id}",
            hint="enable centralized root access (RootSessions) in Organizations and allow "
            f"sts:AssumeRoot with the task policy {AUDIT_TASK_POLICY}",
        ) from None
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region_name,
    )
    if open_iam is None:
        settings = CollectorSettings(max_attempts=max_attempts)
        iam = make_client(session, "iam", settings, endpoint_url, allowed=ROOT_SESSION_ALLOWED)
    else:
        iam = open_iam(session)
    try:
        password = _has_login_profile(iam)
        keys = iam.list_access_keys()["AccessKeyMetadata"]
        certificates = iam.list_signing_certificates()["Certificates"]
        devices = read_user_devices(iam, None)
    except ClientError as error:
        raise translate(error, f"reading root's credentials in {account_id}") from None
    return RootCredentials(
        password=password,
        access_keys=sum(1 for key in keys if key.get("Status") == "Active"),
        signing_certificates=sum(1 for c in certificates if c.get("Status") == "Active"),
        devices=devices,
    )


def _has_login_profile(iam: Any) -> bool:
    try:
        iam.get_login_profile()
    except ClientError as error:
        if error_code(error) == "NoSuchEntity":
            return False
        raise
    return True


def root_credentials_text(snapshot: Snapshot) -> str:
    """``password, access keys, MFA (fido)``, ``none``, or ``unknown (…)``: one summary cell."""
    audited = snapshot.root_credentials
    if audited is not None:
        held = [
            *(["password"] if audited.password else []),
            *(["access keys"] if audited.access_keys else []),
            *(["signing certificates"] if audited.signing_certificates else []),
            *([f"MFA ({device_types_text(audited.kinds)})"] if audited.devices else []),
        ]
        return (", ".join(held) or "none") + " (root session)"
    report = snapshot.credential_report
    row = report.root if report is not None else None
    if row is None:
        return "unknown (no root row in the credential report)"
    summary = snapshot.account_summary or {}
    password = (
        summary["AccountPasswordPresent"] != 0
        if "AccountPasswordPresent" in summary
        else row.password_enabled is True
    )
    keys = (
        summary["AccountAccessKeysPresent"] != 0
        if "AccountAccessKeysPresent" in summary
        else row.active_access_keys > 0
    )
    mfa = summary["AccountMFAEnabled"] != 0 if "AccountMFAEnabled" in summary else row.mfa_active
    held = [
        *(["password"] if password else []),
        *(["access keys"] if keys else []),
        *(["MFA"] if mfa else []),
    ]
    return ", ".join(held) or "none"
