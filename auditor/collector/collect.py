"""``collect_snapshot``: one account, read once, into a frozen ``Snapshot``.

The number of calls is constant plus pagination pages, plus one ``iam:ListMFADevices`` per user
whose device types it can change (``auditor.collector.mfa_lookup`` states the formula; never one
per user of the account), so a 10,000-user account costs few calls more than a 10-user one.
Order matters: credentials are checked first (fail fast), the credential report is started
second (IAM builds it while the other reads run), and it is collected last; the per-user device
lists follow, since whom to ask depends on the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from auditor import __version__
from auditor.collector.account import AccountReader
from auditor.collector.authorization import AuthorizationDetails, AuthorizationDetailsBuilder
from auditor.collector.aws_errors import required_call_error
from auditor.collector.identity_center import collect_identity_center
from auditor.collector.mfa_lookup import lookup_devices
from auditor.collector.organization import read_organization_features
from auditor.collector.paging import iam_pages
from auditor.collector.report_fetch import CredentialReportFetcher, missing_root_gap
from auditor.collector.session import make_client
from auditor.config import CollectorSettings
from auditor.errors import CollectionError, InputError
from auditor.identity_center_models import IdentityCenterData
from auditor.models import SNAPSHOT_SCHEMA_VERSION, CollectionGap, Snapshot
from auditor.timeutil import utc_now

Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    """Default progress sink: the library never prints; the CLI decides."""


def collect_snapshot(
    session: boto3.Session,
    settings: CollectorSettings,
    *,
    endpoint_url: str | None = None,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
    identity_center: tuple[IdentityCenterData, tuple[CollectionGap, ...]] | None = None,
    after_identity: Callable[[str], None] | None = None,
) -> Snapshot:
    """Read the account behind ``session``; raise ``CollectionError`` when it cannot be read.

    ``identity_center`` is Identity Center already read elsewhere, with its gaps (an
    organization run reads it once, in the management or delegated administrator account);
    otherwise it is read here. ``after_identity`` is called with the account id once the
    credentials are known to work, before the long reads (``scan`` starts its sign-in lookup
    there, so it overlaps them).
    """
    say = progress or _silent
    profile = session.profile_name
    iam = make_client(session, "iam", settings, endpoint_url)
    sts = make_client(session, "sts", settings, endpoint_url)
    reader = AccountReader(iam, sts, profile)

    say("Checking credentials (sts:GetCallerIdentity)")
    account_id, caller_arn = reader.caller_identity()
    say(f"Account {account_id}, as {caller_arn}; starting the credential report")
    fetcher = CredentialReportFetcher(iam, settings, clock=clock, sleep=sleep, profile=profile)
    fetcher.start()
    if after_identity is not None:
        after_identity(account_id)
    details = read_authorization_details(iam, profile, say)
    say("Reading virtual MFA devices, account summary, password policy and aliases")
    devices = reader.virtual_mfa_devices()
    summary = reader.account_summary()
    password_policy = reader.password_policy()
    alias = reader.account_alias()
    features, features_gap = read_organization_features(iam, profile)
    if identity_center is None:
        identity_center = collect_identity_center(
            session, settings, endpoint_url=endpoint_url, say=say
        )
    ic_data, ic_gaps = identity_center
    say("Waiting for the credential report")
    report, report_gap = fetcher.finish()
    lookup = lookup_devices(
        iam,
        profile,
        details.users,
        details.roles,
        report,
        devices,
        workers=settings.mfa_device_workers,
    )
    say(f"Listed the MFA devices of {lookup.calls} user(s) (iam:ListMFADevices)")

    gaps: list[CollectionGap] = [*details.gaps, *reader.gaps, *ic_gaps]
    if report_gap is not None:
        gaps.append(report_gap)
    gaps.extend(gap for gap in (lookup.gap, features_gap) if gap is not None)
    root_gap = missing_root_gap(report) if report is not None else None
    if root_gap is not None:
        gaps.append(root_gap)
    say(
        f"Collected {len(details.users)} users, {len(details.groups)} groups, "
        f"{len(details.roles)} roles, {len(details.policies)} attached managed policies"
    )
    return Snapshot(
        schema_version=SNAPSHOT_SCHEMA_VERSION,
        tool_version=__version__,
        source="aws",
        account_id=account_id,
        account_alias=alias,
        caller_arn=caller_arn,
        collected_at=clock(),
        credential_report=report,
        users=details.users,
        groups=details.groups,
        roles=details.roles,
        policies=details.policies,
        virtual_mfa_devices=devices or (),
        account_summary=summary,
        password_policy=password_policy,
        gaps=tuple(gaps),
        notes=tuple(fetcher.notes),
        user_mfa_devices=lookup.users,
        organization_features=features,
        identity_center=ic_data,
    )


def read_authorization_details(
    iam: Any, profile: str | None, say: Progress
) -> AuthorizationDetails:
    """Every page of the unfiltered ``GetAccountAuthorizationDetails`` (a required read)."""
    operation = "iam:GetAccountAuthorizationDetails"
    builder = AuthorizationDetailsBuilder("GetAccountAuthorizationDetails")
    pages = iam_pages(iam.get_account_authorization_details, operation)
    try:
        for number, page in enumerate(pages, start=1):
            builder.add_page(page, f"page {number}")
            say(f"Read authorization details page {number}")
    except (ClientError, BotoCoreError) as error:
        raise required_call_error(error, operation, profile) from None
    except InputError as error:
        raise CollectionError(
            f"unexpected answer from {operation}: {error}",
            hint="run again; if it persists, report it with the AWS SDK version",
        ) from None
    return builder.build()
