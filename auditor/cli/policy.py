"""``explain`` and ``check-policy``: the policy engine on policy files, without AWS.

Both commands read policy files (one policy document, or a JSON list of them), call one
library function, and leave the translation of library errors to ``auditor.cli.errors`` (one
``Error: …`` line on stderr and the error's exit code): 0 clean, 2 unreadable or malformed
input, 3 (``check-policy``) a privileged action not protected by MFA (``ExitCode``).
``register(app)`` adds them to the main typer app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from auditor.cli.errors import translated_errors
from auditor.config import load_config
from auditor.errors import AuditorError, InputError, UsageError
from auditor.exit_codes import ExitCode
from auditor.fileio import read_json
from auditor.policy import (
    Explanation,
    NamedPolicy,
    PolicyEngine,
    RequestContext,
    explanation_to_json,
    lint_policy,
)

PolicyFiles = Annotated[
    list[Path],
    typer.Option("--policy", "-p", help="Policy file: one document or a JSON list (repeatable)."),
]
ActionOption = Annotated[str, typer.Option("--action", "-a", help="e.g. iam:CreateAccessKey")]
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
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="YAML config: privileged actions, MFA ages."),
]


def load_policy_file(path: Path) -> list[tuple[str, Any]]:
    """(name, document) pairs from a file holding one document or a JSON list of them."""
    data = read_json(path, "policy file")
    if isinstance(data, list):
        if not data:
            raise InputError(f"{path}: an empty list holds no policy")
        return [(f"{path.name}[{i}]", doc) for i, doc in enumerate(data)]
    return [(path.name, data)]


def _engine(
    config: Path | None, fresh: int | None = None, stale: int | None = None
) -> PolicyEngine:
    analysis = load_config(config).analysis
    return PolicyEngine(
        analysis.privilege,
        fresh_age=analysis.fresh_mfa_age_seconds if fresh is None else fresh,
        stale_age=analysis.stale_mfa_age_seconds if stale is None else stale,
        max_age=analysis.max_mfa_age_seconds,
    )


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


def explain(
    policy: PolicyFiles,
    action: ActionOption,
    resource: ResourceOption = "*",
    context: ContextOption = None,
    fresh_age: FreshOption = None,
    stale_age: StaleOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Decide one action in the four request contexts and show the deciding statements."""
    with translated_errors():
        engine = _engine(config, fresh_age, stale_age)
        policies = [NamedPolicy(n, d, str(p)) for p in policy for n, d in load_policy_file(p)]
        explanation = engine.explain(policies, action, resource, _context(context))
    if as_json:
        typer.echo(json.dumps(explanation_to_json(explanation), indent=2))
    else:
        typer.echo(render_explanation(explanation))


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
    files: Annotated[list[Path], typer.Argument(help="Policy files to check.")],
    config: ConfigOption = None,
) -> None:
    """Lint policy files for MFA gaps: exit 3 when a privileged action is not MFA-protected."""
    with translated_errors():
        _check_files(files, _engine(config))


def _check_files(files: list[Path], engine: PolicyEngine) -> None:
    """Every file is checked; unreadable ones are reported after the others (exit 2)."""
    blocking = total = 0
    broken: list[AuditorError] = []
    for path in files:
        try:
            loaded = load_policy_file(path)
            document: Any = [d for _, d in loaded] if len(loaded) > 1 else loaded[0][1]
            problems = lint_policy(document, file=str(path), policy_name=path.name, engine=engine)
        except AuditorError as error:
            broken.append(error)
            continue
        for p in problems:
            where = f"{p.file}: {p.policy_name} / {p.statement_id}"
            typer.echo(f"{where}: {p.severity}: {p.message}. Advice: {p.advice}")
        total += len(problems)
        blocking += sum(p.blocks for p in problems)
    for failure in broken:
        typer.echo(f"Error: {failure.message}", err=True)
    typer.echo(
        f"{total} problem(s), {blocking} blocking, in {len(files) - len(broken)} file(s)", err=True
    )
    if broken:
        raise typer.Exit(code=broken[0].exit_code)
    if blocking:
        raise typer.Exit(code=ExitCode.FINDINGS)


def register(app: typer.Typer) -> None:
    """Add ``explain`` and ``check-policy`` to ``app``."""
    app.command("explain")(explain)
    app.command("check-policy")(check_policy)
