"""``explain`` and ``check-policy``: the policy engine on policy files, without AWS.

Both commands read policy files (one policy document, or a JSON list of them), call one
library function, and leave the translation of library errors to ``auditor.cli.errors`` (one
``Error: …`` line on stderr and the error's exit code): 0 clean, 2 unreadable or malformed
input, 3 a privileged action not protected by MFA (``ExitCode``). For ``explain`` that is its
verdict: 3 when the action is allowed without MFA (in a console session, or with long-term
access keys), 0 otherwise (MFA required, denied, or not applicable).
``register(app)`` adds them to the main typer app.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated

import typer

from auditor.cli.errors import error_line, translated_errors
from auditor.config import load_config
from auditor.errors import UsageError
from auditor.exit_codes import ExitCode
from auditor.models import MfaEnforcement
from auditor.policy import (
    Explanation,
    NamedPolicy,
    PolicyEngine,
    RequestContext,
    explanation_to_json,
)
from auditor.policy.check import check_policy_files, load_policy_file
from auditor.policy.check_output import CheckFormat, render_check

PolicyFiles = Annotated[
    list[Path] | None,
    typer.Option("--policy", "-p", help="Policy file: one document or a JSON list (repeatable)."),
]
ActionOption = Annotated[
    str | None, typer.Option("--action", "-a", help="e.g. iam:CreateAccessKey")
]
SnapshotOption = Annotated[
    Path | None,
    typer.Option("--snapshot", help="Snapshot file (with --principal): explain access paths."),
]
PrincipalOption = Annotated[
    str | None,
    typer.Option(help="User or role name, root, or user:NAME / role:NAME (with --snapshot)."),
]
ResourceOption = Annotated[
    str, typer.Option("--resource", "-r", help='Resource ARN; "*" means "some resource".')
]
ContextOption = Annotated[
    list[str] | None,
    typer.Option("--context", help="Extra request-context key, KEY=VALUE (repeatable)."),
]
FreshOption = Annotated[
    int | None,
    typer.Option(min=0, help="MFA age (s) of a fresh MFA session (default: config, else 60)."),
]
StaleOption = Annotated[
    int | None,
    typer.Option(min=0, help="MFA age (s) of a stale MFA session (default: config, else 86400)."),
]
AbsentOption = Annotated[
    list[str] | None,
    typer.Option(
        "--absent",
        help="A request-context key the request does not carry, e.g. aws:PrincipalTag/team "
        "(repeatable).",
    ),
]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Audit time for date conditions (aws:CurrentTime, aws:TokenIssueTime), "
        "ISO 8601 (default: now).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="YAML config: privileged actions, MFA ages."),
]


def _engine(
    config: Path | None,
    fresh: int | None = None,
    stale: int | None = None,
    at: datetime | None = None,
) -> PolicyEngine:
    """The engine with the config's ages; ``at`` (default: now) is the audit time for date
    conditions. The clock is read here, never inside the policy engine."""
    analysis = load_config(config).analysis
    return PolicyEngine(
        analysis.privilege,
        fresh_age=analysis.fresh_mfa_age_seconds if fresh is None else fresh,
        stale_age=analysis.stale_mfa_age_seconds if stale is None else stale,
        max_age=analysis.max_mfa_age_seconds,
        now=at if at is not None else datetime.now(timezone.utc),
    )


def _audit_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--at {text!r}: expected an ISO 8601 time, e.g. 2026-12-03T09:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _context(pairs: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--context {pair!r}: expected KEY=VALUE, e.g. aws:username=alice")
        if key.strip().lower() in (k.lower() for k in out):
            raise UsageError(f"--context {key.strip()}: given twice")
        out[key.strip()] = value
    return out


def _absent(keys: list[str] | None) -> list[str]:
    out: list[str] = []
    for key in keys or ():
        if not key.strip() or "=" in key:
            raise UsageError(f"--absent {key!r}: expected a context key, e.g. aws:SourceVpc")
        out.append(key.strip())
    return out


def explain(
    policy: PolicyFiles = None,
    action: ActionOption = None,
    resource: ResourceOption = "*",
    context: ContextOption = None,
    absent: AbsentOption = None,
    at: AtOption = None,
    fresh_age: FreshOption = None,
    stale_age: StaleOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
    snapshot: SnapshotOption = None,
    principal: PrincipalOption = None,
) -> None:
    """Decide one action in the four request contexts and show the deciding statements;
    or, with --snapshot and --principal, show a principal's access paths and their MFA gates."""
    if snapshot is not None or principal is not None:
        with translated_errors():
            _explain_principal(snapshot, principal, config, as_json, bool(policy or action))
        return
    with translated_errors():
        if not policy or action is None:
            raise UsageError(
                "explain needs --policy and --action, or --snapshot and --principal",
                "see mfa-auditor explain --help",
            )
        engine = _engine(config, fresh_age, stale_age, _audit_time(at))
        policies = [
            NamedPolicy(name, document, str(path))
            for path in policy
            for name, document in load_policy_file(path).documents
        ]
        explanation = engine.explain(
            policies, action, resource, _context(context), absent=_absent(absent)
        )
    if as_json:
        typer.echo(json.dumps(explanation_to_json(explanation), indent=2))
    else:
        typer.echo(render_explanation(explanation))
    raise typer.Exit(code=explain_exit_code(explanation))


WITHOUT_MFA = (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.BYPASSABLE)


def explain_exit_code(explanation: Explanation) -> int:
    """3 when the action is allowed without MFA (as ``check-policy`` blocks), else 0."""
    return ExitCode.FINDINGS if explanation.verdict in WITHOUT_MFA else ExitCode.CLEAN


def _explain_principal(
    snapshot: Path | None, principal: str | None, config: Path | None, as_json: bool, mixed: bool
) -> None:
    """``explain --snapshot FILE --principal NAME``: the access graph's paths for one principal."""
    if snapshot is None or principal is None:
        raise UsageError("--snapshot and --principal go together")
    if mixed:
        raise UsageError("--policy/--action explain a policy; --snapshot/--principal a principal")
    from auditor.analyzer.graph.explain import (
        explain_principal,
        principal_to_json,
        render_principal,
    )
    from auditor.snapshot_io import load_snapshot
    from auditor.timeutil import utc_now

    loaded = load_snapshot(snapshot)
    explanation = explain_principal(loaded, load_config(config), principal, now=utc_now())
    if as_json:
        typer.echo(json.dumps(principal_to_json(explanation), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_principal(explanation))


def render_explanation(explanation: Explanation) -> str:
    lines = [f"action:   {explanation.action}", f"resource: {explanation.resource}"]
    lines += [f"  {ctx.value:<15} {explanation.decisions[ctx].value}" for ctx in RequestContext]
    trap = f" ({explanation.trap})" if explanation.trap else ""
    lines.append(f"verdict:  {explanation.verdict.value}{trap}")
    if explanation.statements:
        lines.append("deciding statements:")
    for ref in explanation.statements:
        lines.append(f"  {ref.policy_name} / {ref.statement_id} ({ref.effect}): {ref.why}")
        lines.append(f"      {ref.statement_json}")
    if not explanation.statements:
        lines.append("no statement matches this action (implicit deny)")
    lines += [f"note: {note}" for note in explanation.notes]
    return "\n".join(lines)


def check_policy(
    files: Annotated[list[Path], typer.Argument(help="Policy files to check.", metavar="FILE...")],
    config: ConfigOption = None,
    output_format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="text (one line per problem), json, sarif (code scanning) or junit (CI).",
        ),
    ] = CheckFormat.TEXT,
) -> None:
    """Lint policy files for MFA gaps: exit 3 when a privileged action is not MFA-protected."""
    with translated_errors():
        report = check_policy_files(files, _engine(config))
    typer.echo(render_check(report, output_format), nl=False)
    for file in report.broken:
        if file.error is not None:
            typer.echo(error_line(file.error), err=True)
    if output_format is CheckFormat.TEXT:
        typer.echo(report.summary(), err=True)
    raise typer.Exit(code=report.exit_code)


def register(app: typer.Typer) -> None:
    """Add ``explain`` and ``check-policy`` to ``app``."""
    app.command("explain")(explain)
    app.command("check-policy")(check_policy)
