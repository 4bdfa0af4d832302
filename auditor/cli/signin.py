"""Sign-in options (``--cloudtrail``, ``--signin-days``, ``--signin-regions``,
``--cloudtrail-athena``, ``--athena-workgroup``) and their wiring into the audit commands.

Kept out of ``auditor.cli.audit`` so the commands there only gain parameters and one call each.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import boto3
import typer

from auditor.collector.signin_attach import DEFAULT_SIGNIN_DAYS, SigninRequest
from auditor.config import AuditorConfig, AwsSettings
from auditor.errors import UsageError
from auditor.models import Snapshot
from auditor.org.runner import Enrich
from auditor.pipeline import Progress

CloudtrailOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--cloudtrail",
        help="CloudTrail log file or folder (S3 layout, .json.gz or .json, or lookup-events "
        "output) to read sign-ins from; repeatable.",
    ),
]
SigninDaysOption = Annotated[
    int,
    typer.Option(
        "--signin-days",
        min=0,
        help="Sign-in window in days (0: do not read sign-ins; LookupEvents keeps 90).",
    ),
]
SigninRegionsOption = Annotated[
    str | None,
    typer.Option(
        "--signin-regions",
        help="Comma-separated regions to read sign-ins in (default: us-east-1, us-east-2, "
        "eu-north-1, ap-southeast-2, the Identity Center region and every enabled region).",
    ),
]
AthenaTableOption = Annotated[
    str | None,
    typer.Option(
        "--cloudtrail-athena",
        help="DATABASE.TABLE of the organization trail in Athena (with --org): one query "
        "instead of LookupEvents in every account.",
    ),
]
AthenaWorkgroupOption = Annotated[
    str | None,
    typer.Option("--athena-workgroup", help="Athena workgroup (default: primary)."),
]


def signin_request(
    days: int,
    regions: str | None,
    athena_table: str | None = None,
    athena_workgroup: str | None = None,
    *,
    org: bool = False,
) -> SigninRequest:
    if athena_table is not None and not org:
        raise UsageError("--cloudtrail-athena reads an organization trail: use it with --org")
    if athena_workgroup is not None and athena_table is None:
        raise UsageError("--athena-workgroup goes with --cloudtrail-athena")
    chosen = tuple(r.strip() for r in regions.split(",") if r.strip()) if regions else None
    request = SigninRequest(
        days=days,
        regions=chosen,
        athena_table=athena_table,
        athena_workgroup=athena_workgroup or "primary",
    )
    request.check_lookup()
    return request


def signin_bar(progress: Progress | None) -> Progress | None:
    """A progress bar for LookupEvents on a terminal (it can take minutes), else ``progress``."""
    return _Bar() if progress is not None and sys.stderr.isatty() else progress


def add_offline_signins(
    snapshot: Snapshot, paths: list[Path] | None, days: int, progress: Progress | None
) -> Snapshot:
    """The snapshot with sign-ins read from CloudTrail files, over ``days`` days up to the
    snapshot's collection time (so a re-run over the same files gives the same findings)."""
    if not paths:
        return snapshot
    if days == 0:
        raise UsageError("--cloudtrail reads sign-ins: drop --signin-days 0")
    from auditor.collector.signin_attach import with_evidence
    from auditor.signin.files import read_cloudtrail

    evidence = read_cloudtrail(
        paths,
        account_id=snapshot.account_id,
        window_end=snapshot.collected_at,
        days=days,
        progress=progress,
    )
    return with_evidence(snapshot, evidence)


def org_signins(
    session: boto3.Session,
    config: AuditorConfig,
    aws: AwsSettings,
    request: SigninRequest | None,
    now: datetime,
    progress: Progress | None,
) -> Enrich | None:
    """How each member account gets its sign-ins: from one Athena query over the organization
    trail (read here, once), or LookupEvents in the account itself; ``None`` when off."""
    from auditor.collector.signin_attach import attach_live_signins, with_evidence

    if request is None or request.days == 0:
        return None
    if request.athena_table is None:

        def lookup(snapshot: Snapshot, account_session: boto3.Session) -> Snapshot:
            return attach_live_signins(
                snapshot,
                account_session,
                config.collector,
                request,
                now=now,
                endpoint_url=aws.endpoint_url,
            )

        return lookup
    from auditor.collector.signin_athena import read_signins_athena

    if progress is not None:
        progress(f"querying the organization trail with Athena ({request.athena_table})")
    athena = read_signins_athena(
        session,
        config.collector,
        table=request.athena_table,
        workgroup=request.athena_workgroup,
        now=now,
        days=request.days,
        endpoint_url=aws.endpoint_url,
    )

    def from_athena(snapshot: Snapshot, _session: boto3.Session) -> Snapshot:
        return with_evidence(snapshot, *athena.for_account(snapshot.account_id))

    return from_athena


class _Bar:
    """One self-overwriting stderr line: regions done of those started, and the last page."""

    def __init__(self) -> None:
        self.started: set[str] = set()
        self.done: set[str] = set()

    def __call__(self, line: str) -> None:
        region = line.split(":", 1)[0]
        self.started.add(region)
        if line.endswith(": done"):
            self.done.add(region)
        total = max(len(self.started), 1)
        filled = int(20 * len(self.done) / total)
        bar = "#" * filled + "-" * (20 - filled)
        typer.echo(
            f"\r[{bar}] {len(self.done)}/{total} regions · {line[:60]:<60}", nl=False, err=True
        )
        if len(self.done) == len(self.started):
            typer.echo("", err=True)


__all__ = [
    "DEFAULT_SIGNIN_DAYS",
    "AthenaTableOption",
    "AthenaWorkgroupOption",
    "CloudtrailOption",
    "SigninDaysOption",
    "SigninRegionsOption",
    "add_offline_signins",
    "org_signins",
    "signin_bar",
    "signin_request",
]
