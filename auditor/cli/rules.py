"""``rules [--json]`` and ``permissions [--org …]``: what the tool checks and what it needs.

``rules`` prints the rule registry, so the documentation cannot drift.

The text form is for people choosing what to exempt; ``--json`` is the full metadata (rationale,
remediation, policy JSON, references keyed by benchmark and version) for tooling and docs.
"""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING, Annotated

import typer

from auditor.snapshot_io import to_jsonable

if TYPE_CHECKING:
    from auditor.analyzer import RuleSpec


def register(app: typer.Typer) -> None:
    """Add ``rules`` and ``permissions`` to ``app`` (the version is ``-V/--version``)."""
    app.command(name="rules")(rules)
    app.command(name="permissions")(permissions)


def _flag(name: str, what: str) -> object:
    return typer.Option(name, help=f"Add what {what} needs.")


def permissions(
    org: Annotated[bool, _flag("--org", "scan --org needs in the management account")] = False,
    identity_center: Annotated[
        bool, _flag("--identity-center", "reading IAM Identity Center")
    ] = False,
    cloudtrail: Annotated[bool, _flag("--cloudtrail", "CloudTrail sign-in evidence")] = False,
    cloudtrail_athena: Annotated[
        bool, _flag("--cloudtrail-athena", "CloudTrail evidence through Athena")
    ] = False,
    security_hub: Annotated[
        bool, _flag("--security-hub", "scan --security-hub (its one write)")
    ] = False,
    audit_member_roots: Annotated[
        bool, _flag("--audit-member-roots", "scan --org --audit-member-roots")
    ] = False,
) -> None:
    """Print the least-privilege IAM policy for the features you use (base: read-only)."""
    from auditor.collector.permissions import Feature, least_privilege_policy

    chosen = {
        Feature.ORG: org,
        Feature.IDENTITY_CENTER: identity_center,
        Feature.CLOUDTRAIL: cloudtrail,
        Feature.CLOUDTRAIL_ATHENA: cloudtrail_athena,
        Feature.SECURITY_HUB: security_hub,
    }
    policy = least_privilege_policy(feature for feature, wanted in chosen.items() if wanted)
    if audit_member_roots:
        from auditor.org.root_audit import ROOT_AUDIT_STATEMENT

        policy = {**policy, "Statement": [*policy["Statement"], ROOT_AUDIT_STATEMENT]}
    typer.echo(json.dumps(policy, indent=2))


def rules(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full metadata as a JSON list.")
    ] = False,
) -> None:
    """List every rule: id, severity, title, data it needs, and the controls it maps to."""
    from auditor.analyzer import RULES  # imported here: the analyzer loads pandas

    if as_json:
        typer.echo(json.dumps([rule_json(spec) for spec in RULES], indent=2, ensure_ascii=False))
        return
    for spec in RULES:
        typer.echo(render(spec))


def rule_json(spec: RuleSpec) -> dict[str, object]:
    data: dict[str, object] = to_jsonable(spec)
    data["references"] = [{"key": ref.key, **to_jsonable(ref)} for ref in spec.references]
    return data


def render(spec: RuleSpec) -> str:
    lines = [f"{spec.id}  [{spec.severity.value}]  {spec.title}"]
    needs = ", ".join(source.value for source in spec.depends_on) or "configuration only"
    lines.append(f"  needs: {needs}")
    if spec.references:
        for ref in spec.references:
            relation = "" if ref.relation == "same check" else f" ({ref.relation})"
            lines.append(f"  maps to: {ref.benchmark} {ref.version} {ref.control}{relation}")
    else:
        lines.append(f"  maps to: nothing — {spec.references_note}")
    lines.extend(_wrapped("why", spec.rationale))
    for step in spec.remediation.splitlines():
        lines.extend(_wrapped("fix", step))
    return "\n".join(lines) + "\n"


def _wrapped(label: str, text: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=100,
        initial_indent=f"  {label}: ",
        subsequent_indent=" " * (len(label) + 4),
        break_on_hyphens=False,
    )
