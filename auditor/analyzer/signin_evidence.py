"""Evidence and wording shared by the sign-in rules: count, first and last time, addresses.

Timestamps as ``auditor.analyzer.evidence`` writes them (ISO 8601 UTC with ``Z``) so a reviewer
can line them up with CloudTrail.
"""

from __future__ import annotations

from datetime import datetime

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.evidence import utc_timestamp
from auditor.signin.records import PrincipalSignins, SigninEvidence


def signin_evidence(entry: PrincipalSignins, evidence: SigninEvidence) -> dict[str, str]:
    """Count, first and last sign-in without MFA, up to three addresses, and the window."""
    coverage = evidence.coverage
    fields = {
        "signins_without_mfa": str(entry.without_mfa),
        "signins_with_mfa": str(entry.with_mfa),
        "first_signin_without_mfa": _stamp(entry.first_without_mfa),
        "last_signin_without_mfa": _stamp(entry.last_without_mfa),
        "source_addresses": ", ".join(entry.addresses_without_mfa),
        "last_signin": _stamp(entry.last),
        "signin_window": f"{coverage.days} days to {utc_timestamp(coverage.window_end)}",
        "signin_source": coverage.source,
    }
    if entry.regions:
        fields["signin_regions"] = ", ".join(entry.regions)
    if entry.mfa_device_types:
        fields["mfa_device_types_used"] = ", ".join(entry.mfa_device_types)
    if entry.credential_types:
        fields["credential_types"] = ", ".join(entry.credential_types)
    return fields


def _stamp(moment: datetime | None) -> str:
    return utc_timestamp(moment) if isinstance(moment, datetime) else ""


def times_phrase(entry: PrincipalSignins, days: int) -> str:
    last = entry.last_without_mfa
    where = ", ".join(entry.addresses_without_mfa)
    address = f" from {len(entry.addresses_without_mfa)} address(es) ({where})" if where else ""
    when = f", last on {last:%Y-%m-%d}" if last else ""
    return f"{entry.without_mfa} time(s) in the last {days} days{when}{address}"


def user_privileged(ctx: AnalysisContext, name: str) -> bool | None:
    if name not in ctx.users_by_name or ctx.users_by_name[name].user is None:
        return None
    assessed = ctx.privilege.user_effective(name)
    if assessed.privileged:
        return True
    return None if assessed.fails_closed else False
