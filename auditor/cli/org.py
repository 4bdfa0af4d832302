"""`scan --org` and `scan --profiles`: choose the accounts, audit them, write the summary.

Kept out of ``auditor.cli`` so the single-account command stays short; like the CLI, it only
wires library calls together and prints paths. Errors propagate as ``AuditorError`` for the CLI
to translate.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from auditor.cli.output import Output
from auditor.cli.signin import org_signins
from auditor.collector.signin_attach import SigninRequest
from auditor.config import AuditorConfig, AwsSettings
from auditor.errors import UsageError
from auditor.models import Severity
from auditor.timeutil import utc_now


def run_multi_account(
    config: AuditorConfig,
    aws: AwsSettings,
    *,
    org: bool,
    profiles: str | None,
    role_name: str | None,
    external_id: str | None,
    accounts: str | None,
    exclude_accounts: str | None,
    max_workers: int | None,
    out: Path | None,
    fail_on: Severity | None,
    output: Output,
    audit_member_roots: bool = False,
    signins: SigninRequest | None = None,
) -> int:
    """Audit several accounts and return the run's exit code (same policy as one account).

    ``fail_on`` is the resolved threshold (``None``: ``--fail-on none``)."""
    from auditor.collector import build_session
    from auditor.org import audit_accounts, choose_targets
    from auditor.reporter import run_folder
    from auditor.reporter.org import write_org_summary

    if org and profiles is not None:
        raise UsageError("give either --org or --profiles, not both")
    settings = dataclasses.replace(
        config.organization,
        role_name=role_name or config.organization.role_name,
        external_id=external_id or config.organization.external_id,
        max_workers=max_workers or config.organization.max_workers,
    )
    session = build_session(aws)
    targets = choose_targets(
        session,
        settings,
        profiles=profiles.split(",") if profiles is not None else None,
        include=_ids(accounts),
        exclude=_ids(exclude_accounts),
        endpoint_url=aws.endpoint_url,
    )
    reports_root = out or config.output_dir
    now = utc_now()
    run_config = dataclasses.replace(config, organization=settings)
    features = None
    if org:  # asked once, here: member accounts cannot ask ListOrganizationsFeatures themselves
        from auditor.org.root_audit import management_features

        features = management_features(
            session, endpoint_url=aws.endpoint_url, max_attempts=config.collector.max_attempts
        )
    result = audit_accounts(
        session,
        targets,
        run_config,
        reports_root=reports_root,
        max_workers=settings.max_workers,
        now=now,
        endpoint_url=aws.endpoint_url,
        progress=output.progress,
        organization_features=features,
        audit_member_roots=audit_member_roots,
        enrich=org_signins(session, run_config, aws, signins, now, output.progress),
    )
    summary_folder = run_folder(reports_root, "organization", now)
    for path in write_org_summary(result, summary_folder, generated_at=now):
        output.result(str(path))
    for outcome in result.failed:
        output.warn(f"Warning: {outcome.label}: not audited: {outcome.reason}")
    output.note(
        f"{len(result.audited)} of {len(result.outcomes)} account(s) audited, "
        f"{result.open_findings} open finding(s) in all, {result.duration_seconds:.1f} s"
    )
    return result.exit_code(fail_on)


def _ids(value: str | None) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []
