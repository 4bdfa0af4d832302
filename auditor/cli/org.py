"""`scan --org` and `scan --profiles`: choose the accounts, audit them, write the summary.

Kept out of ``auditor.cli`` so the single-account command stays short; like the CLI, it only
wires library calls together and prints paths. Errors propagate as ``AuditorError`` for the CLI
to translate.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from auditor.config import AuditorConfig, AwsSettings
from auditor.errors import UsageError
from auditor.models import Severity
from auditor.pipeline import Progress
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
    progress: Progress | None,
) -> int:
    """Audit several accounts and return the run's exit code (same policy as one account)."""
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
    result = audit_accounts(
        session,
        targets,
        run_config,
        reports_root=reports_root,
        max_workers=settings.max_workers,
        now=now,
        endpoint_url=aws.endpoint_url,
        progress=progress,
    )
    summary_folder = run_folder(reports_root, "organization", now)
    for path in write_org_summary(result, summary_folder, generated_at=now):
        typer.echo(str(path))
    for outcome in result.failed:
        typer.echo(f"Warning: {outcome.label}: not audited: {outcome.reason}", err=True)
    typer.echo(
        f"{len(result.audited)} of {len(result.outcomes)} account(s) audited, "
        f"{result.open_findings} open finding(s) in all, {result.duration_seconds:.1f} s",
        err=True,
    )
    return result.exit_code(fail_on or config.fail_on)


def _ids(value: str | None) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []
