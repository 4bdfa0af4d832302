"""The default per-account audit: reach the account, then the same pipeline as a single account.

Reaching the account means assuming the target's role (through the shared, guarded STS client),
opening its profile, or using the caller's own credentials for the caller's own account. From
there ``collect_snapshot`` → ``analyze`` → ``write_reports`` run exactly as for ``scan`` (compared
with the account's previous run in the same reports root), and the account's reports land in
``run_folder(reports_root, account_id, now)``.

Before anything is written, the account actually reached is checked against the one expected: a
role ARN that points at another account would otherwise file one account's gaps under another's
name in the summary.
"""

from __future__ import annotations

import dataclasses

import boto3

from auditor.collector.organization import for_member_account
from auditor.errors import AuditorError, CollectionError
from auditor.mfa_devices import RootManagement
from auditor.models import Snapshot
from auditor.org.root_audit import audit_member_root, root_credentials_text
from auditor.org.runner import AccountAudit, AccountJob
from auditor.org.sessions import (
    assume_role_session,
    caller_account,
    profile_session,
    role_session_name,
    sts_client,
)


def audit_account(job: AccountJob) -> AccountAudit:
    """Audit one account end to end; raises ``AuditorError`` subclasses on failure."""
    from auditor.collector import collect_snapshot
    from auditor.pipeline import ReportRequest, analyze_snapshot, write_run_reports
    from auditor.reporter import find_baseline, load_findings_json, run_folder
    from auditor.reporter.diff import compare

    session, via, account_id = _reach(job)
    job.claim(account_id)
    job.progress("collecting")
    from auditor.org.identity_center import for_account

    shared = job.identity_center
    snapshot = collect_snapshot(
        session,
        job.config.collector,
        endpoint_url=job.endpoint_url,
        progress=lambda line: job.progress(f"collecting: {line}"),
        identity_center=None if shared is None else for_account(shared, account_id),
    )
    if snapshot.account_id != account_id:
        raise CollectionError(
            f"expected account {account_id} but {via} reached account {snapshot.account_id}"
        )
    if job.target.role_arn:  # a member account: the management account's answers apply
        snapshot = _member_root(job, snapshot, account_id)
    if job.enrich is not None:
        job.progress("reading sign-ins")
        snapshot = job.enrich(snapshot, session)
    job.progress("analyzing")
    result = analyze_snapshot(snapshot, job.config, now=job.now)
    job.progress("writing reports")
    # The baseline the pipeline would pick, found here and handed to it: the diff_status column
    # all-findings.csv gets from ``diff`` is then the one this account's findings.csv has.
    folder = run_folder(job.reports_root, account_id, job.now)
    baseline = find_baseline(job.reports_root, account_id, before=folder)
    request = ReportRequest(out=None, reports_root=job.reports_root, baseline=baseline)
    paths = write_run_reports(result, snapshot, request, now=job.now)
    diff = None if baseline is None else compare(result, load_findings_json(baseline))
    by_name = {path.name: path for path in paths}
    html = by_name.get("report.html")
    return AccountAudit(
        result=result,
        via=via,
        report_folder=(html or paths[0]).parent if paths else None,
        report_html=html,
        findings_csv=by_name.get("findings.csv"),
        diff=diff,
        root_credentials=root_credentials_text(snapshot),
    )


def _member_root(job: AccountJob, snapshot: Snapshot, account_id: str) -> Snapshot:
    """The Organization's centralized-root answer, and with ``--audit-member-roots`` root's own
    credentials read in a root session (a failure there is a note: the root rules still run
    from the credential report)."""
    features = job.organization_features
    if features is not None and features.management is RootManagement.MANAGEMENT_ACCOUNT:
        snapshot = dataclasses.replace(snapshot, organization_features=for_member_account(features))
    if job.root_sts is None:
        return snapshot
    job.progress("auditing root (sts:AssumeRoot, IAMAuditRootUserCredentials)")
    try:
        root = audit_member_root(
            job.root_sts,
            account_id,
            endpoint_url=job.endpoint_url,
            region_name=job.region_name,
            max_attempts=job.config.collector.max_attempts,
        )
    except AuditorError as error:
        note = f"Root session not opened, root judged from the credential report: {error}"
        return dataclasses.replace(snapshot, notes=(*snapshot.notes, note))
    return dataclasses.replace(snapshot, root_credentials=root)


def _reach(job: AccountJob) -> tuple[boto3.Session, str, str]:
    """The account's session, how it was reached, and its account id."""
    target = job.target
    if target.role_arn:
        arn_account = _arn_account(target.role_arn)
        if target.account_id and arn_account != target.account_id:
            raise CollectionError(
                f"role {target.role_arn} is not in account {target.account_id}",
            )
        job.progress(f"assuming {target.role_arn}")
        session = assume_role_session(
            job.sts,
            target.role_arn,
            session_name=role_session_name(job.now),
            external_id=job.config.organization.external_id,
            region_name=job.region_name,
        )
        return session, target.role_arn, arn_account
    if target.profile:
        job.progress("opening profile")
        session = profile_session(target.profile, region_name=job.region_name)
        sts = sts_client(
            session,
            endpoint_url=job.endpoint_url,
            max_attempts=job.config.collector.max_attempts,
        )
        account_id = caller_account(sts)
        if target.account_id and account_id != target.account_id:
            raise CollectionError(
                f"profile {target.profile!r} reaches account {account_id}, not {target.account_id}"
            )
        return session, f"profile:{target.profile}", account_id
    account_id = caller_account(job.sts)
    if target.account_id and account_id != target.account_id:
        raise CollectionError(
            f"the caller's credentials reach account {account_id}, not {target.account_id}"
        )
    return job.base_session, "caller credentials", account_id


def _arn_account(role_arn: str) -> str:
    parts = role_arn.split(":")
    if len(parts) < 6 or parts[0] != "arn" or parts[2] != "iam" or not parts[4].isdigit():
        raise CollectionError(f"{role_arn!r} is not an IAM role ARN")
    return parts[4]
