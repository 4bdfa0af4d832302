"""The plain-language notes that go with sign-in evidence: what was skipped and why.

Every event not judged is said so here: unknown shapes, role sessions (MFA decided by the
identity provider), external-IdP Identity Center sign-ins, and how much of the window the data
really covered. "Not judged" must never read as "no sign-ins".
"""

from __future__ import annotations

from datetime import timedelta

from auditor.signin.records import PrincipalSignins, SigninCoverage, SigninKind


def coverage_notes(
    principals: tuple[PrincipalSignins, ...],
    coverage: SigninCoverage,
    unknown_examples: list[str],
) -> list[str]:
    notes: list[str] = [read_summary(coverage)]
    if coverage.unknown_shapes:
        notes.append(
            f"{coverage.unknown_shapes} sign-in event(s) had a shape mfa-auditor does not know "
            f"and were skipped, e.g. {'; '.join(unknown_examples)}."
        )
    roles = [p for p in principals if p.kind is SigninKind.ROLE_SESSION and p.successes]
    if roles:
        shown = ", ".join(p.name for p in roles[:5]) + (" …" if len(roles) > 5 else "")
        notes.append(
            f"{sum(p.successes for p in roles)} console sign-in(s) through assumed-role or "
            f"federated sessions ({shown}) are not judged: CloudTrail records MFAUsed No for "
            "them even when the identity provider or Identity Center required MFA."
        )
    external = sum(p.external_idp for p in principals)
    if external:
        notes.append(
            f"{external} Identity Center sign-in(s) went through an external identity provider: "
            "MFA was decided there, and CloudTrail cannot say whether it was used."
        )
    unknown = sum(p.unknown_factors for p in principals)
    if unknown:
        notes.append(
            f"{unknown} Identity Center sign-in(s) completed without their credential "
            "verifications in the data read (outside the window or in files not given): "
            "not judged."
        )
    earliest = coverage.earliest_record
    late = earliest is not None and earliest - coverage.window_start > timedelta(days=1)
    if coverage.source != "lookup_events" and earliest is not None and late:
        notes.append(
            f"The CloudTrail data read begins {earliest:%Y-%m-%d}, after the window start "
            f"{coverage.window_start:%Y-%m-%d}: sign-ins before it were not read."
        )
    if coverage.outside_window:
        notes.append(
            f"{coverage.outside_window} sign-in event(s) outside the {coverage.days}-day window "
            "were ignored."
        )
    return notes


SOURCE_NAMES = {
    "lookup_events": "CloudTrail LookupEvents",
    "cloudtrail_files": "CloudTrail log files",
    "athena": "the organization trail (Athena)",
}


def read_summary(coverage: SigninCoverage) -> str:
    """What the data-completeness banner says about sign-ins: source, window, regions."""
    regions = ", ".join(coverage.regions_read) or "none"
    text = (
        f"Sign-ins read from {SOURCE_NAMES.get(coverage.source, coverage.source)}: the "
        f"{coverage.days} days {coverage.window_start:%Y-%m-%d} to "
        f"{coverage.window_end:%Y-%m-%d}, regions {regions}"
    )
    if coverage.files_read:
        text += f", {coverage.files_read} file(s), {coverage.records_read:,} record(s)"
    if coverage.regions_failed:
        failed = "; ".join(f"{f.region} ({f.reason})" for f in coverage.regions_failed)
        text += f"; NOT read: {failed}"
    return text + "."
