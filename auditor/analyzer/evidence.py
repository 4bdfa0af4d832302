"""Building findings: the one-sentence detail, the evidence fields, the shared wording.

Evidence is a ``str -> str`` mapping so every reporter (CSV columns, HTML tables, JSON) can show
it without knowing the rule. Dates in sentences are days (``2026-11-20``); in evidence they are
timestamps, because the reviewer may need to line them up with CloudTrail, written as
auditor/reporter/README.md documents them: ISO 8601 in UTC with a ``Z``, whole seconds.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone

from auditor.analyzer.context import AnalysisContext, UserFacts, names
from auditor.analyzer.graph.assessed import Assessed
from auditor.analyzer.spec import RuleSpec
from auditor.models import (
    CollectionSource,
    Finding,
    FindingStatus,
    MfaDeviceKind,
    PrincipalType,
    Severity,
    TimeValue,
    Unavailable,
)

FIDO_LIMITATION = (
    "AWS does not support FIDO security keys for MFA-protected API access: the CLI and SDKs "
    "need a TOTP code for GetSessionToken or AssumeRole, which a FIDO key cannot give "
    '(IAM User Guide, "Secure API access with MFA")'
)


def make_finding(
    ctx: AnalysisContext,
    spec: RuleSpec,
    *,
    principal_type: PrincipalType,
    name: str,
    arn: str,
    detail: str,
    severity: Severity | None = None,
    group: str = "",
    evidence: Mapping[str, str] | None = None,
    status: FindingStatus = FindingStatus.OPEN,
) -> Finding:
    merged = dict(evidence or {})
    if ctx.report_is_stale and _uses_report(spec):
        merged["credential_report_age_hours"] = f"{ctx.report_age_hours:.1f}"
    return Finding(
        account_id=ctx.account_id,
        rule_id=spec.id,
        severity=severity or spec.severity,
        status=status,
        principal_type=principal_type,
        principal_name=name,
        principal_arn=arn,
        group_name=group,
        title=spec.title,
        detail=detail,
        remediation=spec.remediation,
        evidence=merged,
    )


def _uses_report(spec: RuleSpec) -> bool:
    return CollectionSource.CREDENTIAL_REPORT in spec.depends_on


def rule_unknown(ctx: AnalysisContext, spec: RuleSpec, reason: str) -> Finding:
    """The single ``unknown`` result of a rule that could not run at all."""
    return make_finding(
        ctx,
        spec,
        principal_type=PrincipalType.ACCOUNT,
        name=ctx.account_id,
        arn=ctx.root_arn,
        detail=f"Rule {spec.id} could not be evaluated for account {ctx.account_id}: {reason}.",
        status=FindingStatus.UNKNOWN,
        evidence={"reason": reason},
    )


def day(value: TimeValue) -> str:
    if isinstance(value, datetime):  # what strftime("%Y-%m-%d") writes, at a third of its cost
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return {
        Unavailable.NOT_APPLICABLE: "n/a",
        Unavailable.NO_INFORMATION: "never",
        Unavailable.NOT_SUPPORTED: "not supported",
    }[value]


@functools.lru_cache(maxsize=8192)  # the report's time is in every user's evidence
def utc_timestamp(moment: datetime) -> str:
    """``2026-11-20T10:00:00Z``: UTC (a naive time is taken as UTC), whole seconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def evidence_value(value: TimeValue | bool | str) -> str:
    """A credential-report value as evidence text: times as ``utc_timestamp``, booleans
    ``true``/``false``, the report's markers (``N/A``, ``no_information``) as AWS writes them."""
    if isinstance(value, datetime):
        return utc_timestamp(value)
    if isinstance(value, Unavailable):
        return value.value
    return str(value).lower() if isinstance(value, bool) else value


def credentials_clause(facts: UserFacts) -> str:
    """How the user can authenticate today, with the last-use evidence, as a sentence clause."""
    row = facts.row
    if row is None:
        return "it is not in the credential report, so its password and keys are unknown"
    parts: list[str] = []
    if row.has_console_password:
        used = row.password_last_used
        parts.append(
            f"console password last used {day(used)}"
            if isinstance(used, datetime)
            else "console password never used"
        )
    for slot, key in (("1", row.access_key_1), ("2", row.access_key_2)):
        if key.active:
            used = key.last_used_date
            when = day(used) if isinstance(used, datetime) else "never used"
            parts.append(f"access key {slot} active ({when})")
    if not parts:
        return "no console password and no active access key, so it cannot sign in or call APIs"
    return "; ".join(parts)


def user_evidence(ctx: AnalysisContext, facts: UserFacts) -> dict[str, str]:
    evidence = {
        "groups": ", ".join(facts.groups) or "(none)",
        "mfa_active": _tri(facts.has_mfa),
        "mfa_devices": ", ".join(kind.value for kind in facts.device_kinds) or "(none)",
    }
    row = facts.row
    if row is None:
        evidence["credential_report"] = "no row for this user"
        return evidence
    evidence["password_enabled"] = evidence_value(row.password_enabled)
    evidence["password_last_used"] = evidence_value(row.password_last_used)
    evidence["active_access_keys"] = str(row.active_access_keys)
    for slot, key in (("1", row.access_key_1), ("2", row.access_key_2)):
        if key.active:
            evidence[f"access_key_{slot}_last_used"] = evidence_value(key.last_used_date)
            evidence[f"access_key_{slot}_last_used_service"] = evidence_value(key.last_used_service)
    report = ctx.snapshot.credential_report
    if report is not None:
        evidence["credential_report_generated"] = utc_timestamp(report.generated_time)
    return evidence


def assessment_evidence(assessed: Assessed, *, prefix: str = "") -> dict[str, str]:
    evidence = {
        f"{prefix}verdict": assessed.verdict.value,
        f"{prefix}policies": ", ".join(assessed.policies) or "(none)",
    }
    deciding = assessed.assessment.deciding
    if deciding:
        evidence[f"{prefix}deciding_statements"] = "; ".join(
            f"{ref.policy_name}#{ref.statement_id.lstrip('#')} ({ref.effect})"
            for ref in deciding[:5]
        )
    sample = privileged_sample(assessed, 5)
    if sample:
        evidence[f"{prefix}privileged_actions"] = ", ".join(sample)
    traps = sorted({action.trap for action in assessed.assessment.actions if action.trap})
    if traps:
        evidence[f"{prefix}trap"] = "; ".join(traps)
    if assessed.assessment.conditional:
        evidence[f"{prefix}conditional"] = "some decisions depend on other condition keys"
    if assessed.problems:
        evidence[f"{prefix}incomplete"] = "; ".join(assessed.problems)
    return evidence


def privileged_sample(assessed: Assessed, limit: int) -> tuple[str, ...]:
    """Worst-first privileged actions, for evidence and cards (``*`` stands for all)."""
    groups = sorted(
        (a for a in assessed.assessment.actions if a.verdict.rank > 0),
        key=lambda a: (-a.verdict.rank, a.action),
    )
    sample: dict[str, None] = {}  # ordered, and membership is O(1) on long action lists
    if any(group.action == "*" for group in groups):
        sample["*"] = None  # every privileged action: said as "every action (*)", first
    for group in groups:
        names = ("*",) if group.action == "*" else group.actions or (group.action,)
        for name in names:
            sample.setdefault(name)
            if len(sample) >= limit:
                break
        if len(sample) >= limit:
            break
    return tuple(sample)[:limit]


def actions_phrase(actions: Sequence[str], shown: int = 3) -> str:
    """``every action (*)``, or ``privileged actions such as a, b and N more``."""
    if "*" in actions:
        return "every action (*)"
    if not actions:
        return "privileged actions"
    return f"privileged actions such as {names(actions, shown)}"


def device_clause(facts: UserFacts) -> str:
    """What we can honestly say about the user's device kind for API access."""
    kinds = facts.device_kinds
    if kinds and set(kinds) == {MfaDeviceKind.FIDO}:
        return f"its only MFA device is a FIDO security key, and {FIDO_LIMITATION}"
    if kinds == (MfaDeviceKind.HARDWARE_OR_FIDO,):
        return (
            "its only MFA device is not virtual: a hardware TOTP token or a FIDO security key "
            "(telling them apart needs a per-user call); if it is FIDO, "
            f"{FIDO_LIMITATION}"
        )
    return ""


def policy_labels(assessed: Assessed, limit: int = 3) -> str:
    """``AdministratorAccess, ops +2 more``: the policies a verdict was computed from."""
    shown = ", ".join(assessed.policies[:limit])
    extra = len(assessed.policies) - limit
    return f"{shown} +{extra} more" if extra > 0 else shown or "no policies"


def _tri(value: bool | None) -> str:
    return "unknown" if value is None else str(value).lower()
