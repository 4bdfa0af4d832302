"""The end of ``scan`` and ``report``: analyze, write the chosen formats, import, summarise.

``--out -`` writes the findings JSON to stdout and nothing else there (the summary and progress
stay on stderr), so ``mfa-auditor report snap.json --format json --out - | jq`` works; any other
format with ``--out -`` is a usage error, since HTML or CSV on stdout would be unreadable.
``--security-hub`` imports after the reports are written, so a refused import never costs the
reports; any failed batch or finding is named and the run exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from auditor.cli.output import Output
from auditor.config import AuditorConfig, AwsSettings
from auditor.errors import UsageError
from auditor.exit_codes import ExitCode
from auditor.models import AuditResult, FindingStatus, Severity, Snapshot
from auditor.pipeline import (
    ReportRequest,
    analyze_snapshot,
    exit_code_for,
    import_to_security_hub,
    write_run_reports,
)
from auditor.timeutil import utc_now

STDOUT = Path("-")


@dataclass(frozen=True)
class ReportChoice:
    """The report options ``scan`` and ``report`` share."""

    out: Path | None
    threshold: Severity | None
    baseline: Path | None
    excel: bool
    xlsx: bool
    formats: str


def check_report_choice(choice: ReportChoice) -> None:
    """Refuse impossible combinations before any work (collection can take minutes)."""
    from auditor.reporter import ReportFormat, parse_formats

    formats = parse_formats(choice.formats)
    if choice.out == STDOUT and (formats != {ReportFormat.JSON} or choice.xlsx):
        raise UsageError(
            "--out - writes the findings JSON to stdout, and only that",
            hint="add --format json (and drop --xlsx), or give --out a folder",
        )


def analyze_and_report(
    snapshot: Snapshot,
    config: AuditorConfig,
    choice: ReportChoice,
    output: Output,
    *,
    security_hub: AwsSettings | None = None,
) -> int:
    """Analyze, write (or print) the reports, import into Security Hub if asked; the exit code."""
    from auditor.reporter import findings_json_text, parse_formats

    now = utc_now()
    progress = output.progress
    if progress:
        progress(f"analyzing {len(snapshot.users)} users, {len(snapshot.groups)} groups")
    result = analyze_snapshot(snapshot, config, now=now)
    if choice.out == STDOUT:
        typer.echo(findings_json_text(result, generated_at=now, baseline=choice.baseline), nl=False)
    else:
        request = ReportRequest(
            out=choice.out,
            reports_root=config.output_dir,
            baseline=choice.baseline,
            excel_bom=choice.excel,
            xlsx=choice.xlsx,
            formats=parse_formats(choice.formats),
            asff_region=security_hub.region if security_hub else None,
        )
        for path in write_run_reports(result, snapshot, request, now=now):
            output.result(str(path))
    code = exit_code_for(result, choice.threshold)
    if security_hub is not None:
        if progress:
            progress("importing the findings into Security Hub")
        imported = import_to_security_hub(result, config, security_hub, now=now)
        for failure in imported.failures:
            where = f"{failure.finding_id}: " if failure.finding_id else ""
            typer.echo(f"Error: Security Hub import: {where}{failure.reason}", err=True)
        output.note(imported.summary())
        if not imported.ok:
            code = ExitCode.TOOL_ERROR
    summarise(result, code, output)
    return code


def summarise(result: AuditResult, code: int, output: Output) -> None:
    open_findings = [f for f in result.findings if f.status is FindingStatus.OPEN]
    unknown = [f for f in result.findings if f.status is FindingStatus.UNKNOWN]
    exempted = [f for f in result.findings if f.status is FindingStatus.EXEMPTED]
    by_severity = ", ".join(
        f"{sum(f.severity is s for f in open_findings)} {s.value}"
        for s in Severity
        if any(f.severity is s for f in open_findings)
    )
    label = result.account_alias or result.account_id
    output.note(
        f"{label}: {len(open_findings)} open finding(s)"
        + (f" ({by_severity})" if by_severity else "")
        + f", {len(exempted)} exempted, {len(unknown)} unknown"
    )
    if code == ExitCode.INCOMPLETE:
        output.warn(
            "Warning: the audit is incomplete (some data could not be read); see the report's "
            "data-completeness banner."
        )
