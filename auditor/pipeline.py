"""The stages wired together: collect (or load) → analyze → report, and the exit-code policy.

The CLI parses options and calls these; keeping the wiring here means the demo, a single account
and each account of an organization run go through exactly the same steps.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from auditor.config import AuditorConfig, AwsSettings
from auditor.errors import UsageError
from auditor.models import AuditResult, FindingStatus, Severity, Snapshot

Progress = Callable[[str], None]


class ExitCode:
    """The documented exit codes (README, "Exit codes"): an interface for schedulers."""

    CLEAN = 0
    TOOL_ERROR = 1
    USAGE_ERROR = 2
    FINDINGS = 3
    INCOMPLETE = 4


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def collect_live(
    config: AuditorConfig, aws: AwsSettings, *, progress: Progress | None = None
) -> Snapshot:
    """Collect a snapshot from the account the AWS settings point at."""
    from auditor.collector import build_session, collect_snapshot

    session = build_session(aws)
    return collect_snapshot(
        session, config.collector, endpoint_url=aws.endpoint_url, progress=progress
    )


def collect_demo(
    config: AuditorConfig, *, progress: Progress | None = None
) -> tuple[Snapshot, AuditorConfig]:
    """Seed the sample company into an embedded moto and run the real collector against it.

    Returns the snapshot and ``config`` plus the demo's own exemptions (the data file carries an
    expired one, so the demo shows ``exemption_expired`` working).
    """
    try:
        from auditor.demo import (
            apply_demo_root,
            demo_session,
            embedded_moto,
            load_demo_data,
            seed_account,
        )
    except ImportError as error:  # moto is an optional extra
        raise UsageError(
            f"the demo needs the 'demo' extra ({error.name or error} is not installed)",
            hint="pip install 'mfa-auditor[demo]'",
        ) from None
    from auditor.collector import collect_snapshot

    data = load_demo_data()
    with embedded_moto() as endpoint_url:
        session = demo_session(endpoint_url)
        if progress:
            progress(f"demo: seeding the sample company into moto at {endpoint_url}")
        seed_account(session.client("iam", endpoint_url=endpoint_url), data)
        snapshot = collect_snapshot(
            session, config.collector, endpoint_url=endpoint_url, progress=progress
        )
    demo_config = dataclasses.replace(config, exemptions=config.exemptions + data.exemptions)
    return dataclasses.replace(apply_demo_root(snapshot, data), source="demo"), demo_config


def analyze_snapshot(snapshot: Snapshot, config: AuditorConfig, *, now: datetime) -> AuditResult:
    from auditor.analyzer import analyze

    return analyze(snapshot, config, now=now)


@dataclass(frozen=True)
class ReportRequest:
    out: Path | None
    """Write into this folder itself; ``None`` means ``<reports root>/<account>/<timestamp>/``."""
    reports_root: Path
    baseline: Path | None
    excel_bom: bool = False
    xlsx: bool = False


def write_run_reports(
    result: AuditResult, snapshot: Snapshot | None, request: ReportRequest, *, now: datetime
) -> list[Path]:
    from auditor.reporter import find_baseline, run_folder, write_reports

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
    )
    return paths.all()


def exit_code_for(result: AuditResult, fail_on: Severity) -> int:
    """4 when the audit is incomplete, else 3 when an open finding reaches ``fail_on``, else 0.

    Incomplete wins over findings: a scheduler that sees 3 every week would never notice that a
    lost permission turned a rule into "unknown", and the findings are in the reports either way.
    """
    unknown = any(f.status is FindingStatus.UNKNOWN for f in result.findings)
    if not result.complete or unknown:
        return ExitCode.INCOMPLETE
    if any(
        f.status is FindingStatus.OPEN and f.severity.rank >= fail_on.rank for f in result.findings
    ):
        return ExitCode.FINDINGS
    return ExitCode.CLEAN
