"""What the snapshot says about root's credentials, shared by the root rules.

Three sources, best first: a root session's own answer (``Snapshot.root_credentials``, read via
``sts:AssumeRoot`` with ``IAMAuditRootUserCredentials`` under ``--audit-member-roots``), then
``GetAccountSummary`` (taken with the authorization details, so usually newer than a cached
credential report), then root's credential-report row.

The Organization's answer about centralized root access (``Snapshot.organization_features``)
decides the note the root rules add: which of AWS's 2024–2026 situations the account is in.
"""

from __future__ import annotations

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.spec import Note, RuleNotEvaluable
from auditor.mfa_devices import MfaDeviceKind, RootManagement
from auditor.models import CredentialReportRow

CENTRAL_NOTE = "root credentials are managed centrally by the Organization"


def root_row(ctx: AnalysisContext) -> CredentialReportRow:
    report = ctx.snapshot.credential_report
    if report is None:
        raise RuleNotEvaluable("the snapshot has no credential report")
    row = report.root
    if row is None:
        raise RuleNotEvaluable("the credential report has no <root_account> row")
    return row


def root_has_password(ctx: AnalysisContext, row: CredentialReportRow) -> bool | None:
    """The root session's answer, ``AccountPasswordPresent``, else the row (often not_supported)."""
    if ctx.snapshot.root_credentials is not None:
        return ctx.snapshot.root_credentials.password
    summary = ctx.snapshot.account_summary or {}
    if "AccountPasswordPresent" in summary:
        return summary["AccountPasswordPresent"] != 0
    return row.password_enabled if isinstance(row.password_enabled, bool) else None


def root_has_mfa(ctx: AnalysisContext, row: CredentialReportRow) -> bool:
    """The root session's devices, ``AccountMFAEnabled`` (newer than a cached report), the row."""
    if ctx.snapshot.root_credentials is not None:
        return bool(ctx.snapshot.root_credentials.devices)
    summary = ctx.snapshot.account_summary or {}
    if "AccountMFAEnabled" in summary:
        return summary["AccountMFAEnabled"] != 0
    return row.mfa_active


def root_has_keys(ctx: AnalysisContext, row: CredentialReportRow) -> bool:
    """The root session's keys, ``AccountAccessKeysPresent``, else the row's active keys."""
    if ctx.snapshot.root_credentials is not None:
        return ctx.snapshot.root_credentials.access_keys > 0
    summary = ctx.snapshot.account_summary or {}
    if "AccountAccessKeysPresent" in summary:
        return summary["AccountAccessKeysPresent"] != 0
    return row.active_access_keys > 0


def root_device_kinds(ctx: AnalysisContext) -> tuple[MfaDeviceKind, ...] | None:
    """Root's device kinds when a root session listed them, else ``None`` (not knowable:
    ``ListMFADevices`` cannot name root from an IAM principal)."""
    credentials = ctx.snapshot.root_credentials
    return None if credentials is None else credentials.kinds


def centrally_managed(ctx: AnalysisContext) -> bool:
    features = ctx.snapshot.organization_features
    return features is not None and features.management is RootManagement.CENTRAL


def management_note(ctx: AnalysisContext, row: CredentialReportRow) -> Note | None:
    """Which centralized-root-access situation the account is in, or ``None`` (not asked)."""
    features = ctx.snapshot.organization_features
    if features is None:
        return None
    organization = f" ({features.organization_id})" if features.organization_id else ""
    report = "the root rules judge root from the credential report"
    management = features.management
    if management is RootManagement.CENTRAL:
        held = held_credentials(ctx, row)
        if not held:
            return Note(
                f"Root: {CENTRAL_NOTE}{organization}, and root holds no password, access keys "
                "or MFA device; root_no_mfa, root_no_hardware_mfa and root_access_keys pass."
            )
        see = "" if held == ["an MFA device"] else ": see root_credentials_present"
        return Note(
            f"Root: {CENTRAL_NOTE}{organization}, but root still holds {' and '.join(held)} "
            f"(enabling central management does not delete them){see}."
        )
    text = {
        RootManagement.NOT_ENABLED: "the Organization does not manage root credentials "
        f"centrally (RootCredentialsManagement is not enabled){organization}; {report}.",
        RootManagement.MANAGEMENT_ACCOUNT: "this is the Organization's management or delegated "
        f"administrator account{organization} (enabled: "
        f"{', '.join(features.enabled_features) or 'none'}); central management covers member "
        f"accounts' roots, not the management account's; {report}.",
        RootManagement.NOT_IN_ORGANIZATION: f"the account is not in an Organization; {report}.",
        RootManagement.NOT_ANSWERED_HERE: "only the management account can tell whether the "
        "Organization manages root centrally (iam:ListOrganizationsFeatures answered "
        f"AccountNotManagementOrDelegatedAdministrator); {report}; `scan --org` from the "
        "management account knows.",
        RootManagement.DENIED: "whether the Organization manages root centrally could not be "
        f"read ({features.reason}); {report}.",
    }[management]
    return Note(f"Root: {text}")


def held_credentials(ctx: AnalysisContext, row: CredentialReportRow) -> list[str]:
    """``["a password", "access keys"]``: what a centrally managed root should not hold."""
    held = []
    if root_has_password(ctx, row):
        held.append("a password")
    if root_has_keys(ctx, row):
        held.append("access keys")
    credentials = ctx.snapshot.root_credentials
    if credentials is not None and credentials.signing_certificates:
        held.append("signing certificates")
    if root_has_mfa(ctx, row):
        held.append("an MFA device")
    return held
