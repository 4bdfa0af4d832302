"""``exemption_expired`` and ``exemption_invalid``: the exemptions list itself, audited.

An expired exemption stops exempting (its findings reopen) and becomes a finding of its own, so
the accepted risk is re-decided rather than silently renewed. A malformed entry, or one naming a
rule id that does not exist, exempts nothing and is reported, because a typo must not read as
"accepted". Both rules need no AWS data and cannot be exempted themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.evidence import make_finding
from auditor.analyzer.rule_ids import RULE_IDS, RuleId
from auditor.analyzer.spec import Rule, RuleSpec
from auditor.config import Exemption
from auditor.models import Finding, PrincipalType, Severity


def exemption_name(exemption: Exemption) -> str:
    return f"{exemption.rule_id}:{exemption.principal}"


def is_expired(exemption: Exemption, ctx: AnalysisContext) -> bool:
    """An exemption is valid through its ``expires`` day (UTC)."""
    return exemption.expires < ctx.now.date()


def check_exemption_expired(ctx: AnalysisContext) -> Iterator[Finding]:
    for exemption in ctx.config.exemptions:
        if not is_expired(exemption, ctx):
            continue
        ticket = f", ticket {exemption.ticket}" if exemption.ticket else ""
        yield make_finding(
            ctx,
            EXPIRED_RULE,
            principal_type=PrincipalType.EXEMPTION,
            name=exemption.principal,
            arn=f"exemption:{exemption_name(exemption)}",
            detail=(
                f"The exemption of {exemption.principal} from {exemption.rule_id} "
                f'("{exemption.reason}"{ticket}) expired on {exemption.expires.isoformat()}; '
                "its findings are open again."
            ),
            evidence={
                "rule": exemption.rule_id,
                "principal": exemption.principal,
                "reason": exemption.reason,
                "expires": exemption.expires.isoformat(),
                "ticket": exemption.ticket,
                "config": ctx.config.source,
            },
        )


def check_exemption_invalid(ctx: AnalysisContext) -> Iterator[Finding]:
    problems = [(text.split(":", 1)[0], text) for text in ctx.config.invalid_exemptions]
    for exemption in ctx.config.exemptions:
        if exemption.rule_id not in RULE_IDS:
            problems.append(
                (
                    exemption_name(exemption),
                    f"exemption of {exemption.principal}: {exemption.rule_id!r} is not a rule id "
                    "(see `mfa-auditor rules`)",
                )
            )
    for index, (name, problem) in enumerate(problems):
        yield make_finding(
            ctx,
            INVALID_RULE,
            principal_type=PrincipalType.EXEMPTION,
            name=name,
            arn=f"exemption-invalid:{index}:{name}",
            detail=f"{ctx.config.source}: {problem}; it exempts nothing.",
            evidence={"problem": problem, "config": ctx.config.source},
        )


_EXEMPTION_REMEDIATION = (
    "Edit the exemptions list in the config file: renew with a new expires date and reason (a "
    "fresh risk decision), fix the entry, or delete it and fix the underlying finding.\n"
    "Each entry needs rule, principal (name or glob), reason and expires (YYYY-MM-DD); "
    "ticket is optional."
)

EXPIRED_RULE = RuleSpec(
    id=RuleId.EXEMPTION_EXPIRED.value,
    title="Exemption expired",
    severity=Severity.MEDIUM,
    rationale=(
        "Accepted risks are accepted until a date; after it the finding reopens and the "
        "acceptance must be decided again, not renewed by inertia."
    ),
    remediation=_EXEMPTION_REMEDIATION,
    depends_on=(),
    references_note="Concerns this tool's configuration; no benchmark control applies.",
)

INVALID_RULE = RuleSpec(
    id=RuleId.EXEMPTION_INVALID.value,
    title="Exemption malformed or naming an unknown rule",
    severity=Severity.MEDIUM,
    rationale=(
        "A malformed exemption (missing reason or expiry, bad date, misspelt rule id) exempts "
        "nothing; reporting it stops a typo from passing for an accepted risk."
    ),
    remediation=_EXEMPTION_REMEDIATION,
    depends_on=(),
    references_note="Concerns this tool's configuration; no benchmark control applies.",
)

RULES = (Rule(EXPIRED_RULE, check_exemption_expired), Rule(INVALID_RULE, check_exemption_invalid))
