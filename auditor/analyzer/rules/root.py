"""Root-user rules: MFA, hardware MFA, access keys.

Root is judged from its credential-report row, cross-checked with ``GetAccountSummary`` (taken
with the authorization details, so usually newer than a cached report). A root without a
password cannot sign in to the console: that is how a member account whose root credentials
Organizations manages centrally looks (no password, no keys, no MFA), and AWS Config and Security
Hub (IAM.6, IAM.9: "Root user credentials aren't present in the account" passes) treat MFA as not
applicable then. So do we, and the report says so in a note.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.evidence import day, evidence_value, make_finding
from auditor.analyzer.refs import cis, doc, hub
from auditor.analyzer.root_facts import (
    centrally_managed,
    held_credentials,
    management_note,
    root_device_kinds,
    root_has_keys,
    root_has_mfa,
    root_has_password,
    root_row,
)
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import Note, Rule, RuleSpec
from auditor.mfa_devices import MfaDeviceKind
from auditor.models import (
    ROOT_USER_NAME,
    CollectionSource,
    CredentialReportRow,
    Finding,
    PrincipalType,
    Severity,
)

_ROOT_SOURCES = (CollectionSource.CREDENTIAL_REPORT, CollectionSource.ROOT_CREDENTIALS)
_ROOT_MFA_DOC = doc(
    "Multi-factor authentication for the AWS account root user",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
)
_CENTRAL_DOC = doc(
    "Centrally manage root access for member accounts",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management",
)


def _root_evidence(ctx: AnalysisContext, row: CredentialReportRow) -> dict[str, str]:
    summary = ctx.snapshot.account_summary or {}
    evidence = {
        "mfa_active": evidence_value(row.mfa_active),
        "password_last_used": evidence_value(row.password_last_used),
        "active_access_keys": str(row.active_access_keys),
    }
    for key in ("AccountMFAEnabled", "AccountPasswordPresent", "AccountAccessKeysPresent"):
        if key in summary:
            evidence[key] = str(summary[key])
    return evidence


def _root_finding(
    ctx: AnalysisContext, spec: RuleSpec, row: CredentialReportRow, detail: str
) -> Finding:
    return make_finding(
        ctx,
        spec,
        principal_type=PrincipalType.ROOT,
        name=ROOT_USER_NAME,
        arn=row.arn or ctx.root_arn,
        detail=detail,
        evidence=_root_evidence(ctx, row),
    )


NOT_APPLICABLE_NOTE = Note(
    "Root has no password (credentials managed centrally by AWS Organizations, or removed): "
    "root_no_mfa and root_no_hardware_mfa do not apply, as in Security Hub IAM.6/IAM.9."
)


def _applies(ctx: AnalysisContext, row: CredentialReportRow) -> bool:
    """False when root has no password: MFA protects nothing then (the checks say so)."""
    return root_has_password(ctx, row) is not False


def _not_applicable(ctx: AnalysisContext, row: CredentialReportRow) -> Note:
    """The Organization's note when it manages root centrally and root holds nothing."""
    note = management_note(ctx, row)
    if note is not None and centrally_managed(ctx) and not held_credentials(ctx, row):
        return note
    return NOT_APPLICABLE_NOTE


def check_root_no_mfa(ctx: AnalysisContext) -> Iterator[Finding | Note]:
    row = root_row(ctx)
    if not _applies(ctx, row):
        yield _not_applicable(ctx, row)
        return
    if root_has_mfa(ctx, row):
        return
    unknown = " (whether it has a password could not be read)"
    reason = unknown if root_has_password(ctx, row) is None else ""
    used = row.password_last_used
    when = f"password last used {day(used)}" if isinstance(used, datetime) else "password unused"
    yield _root_finding(ctx, ROOT_NO_MFA, row, f"The root user has no MFA device{reason}; {when}.")


def check_root_no_hardware_mfa(ctx: AnalysisContext) -> Iterator[Finding | Note]:
    """Virtual only fails. A FIDO key and a hardware TOTP token both pass (CIS 1.5, IAM.6: not
    virtual), but they differ: only FIDO resists phishing, so the note says which it is."""
    row = root_row(ctx)
    if not _applies(ctx, row):
        yield _not_applicable(ctx, row)
        return
    if not root_has_mfa(ctx, row):
        return
    kinds = root_device_kinds(ctx)
    if kinds is not None and (MfaDeviceKind.FIDO in kinds or MfaDeviceKind.HARDWARE in kinds):
        yield Note(
            "Root's MFA includes a FIDO security key (phishing-resistant)."
            if MfaDeviceKind.FIDO in kinds
            else "Root's MFA is a hardware TOTP token: it passes root_no_hardware_mfa, but its "
            "codes can be phished; a FIDO security key would resist phishing."
        )
        return
    devices = list(ctx.root_devices)
    if not devices and kinds is None:
        yield Note(
            "Root's MFA device is not virtual: a FIDO security key or a hardware TOTP token "
            "(only a root session can tell which: `scan --org --audit-member-roots`)."
        )
        return
    serial = devices[0].serial_number if devices else "listed in the root session"
    beside = (
        ""
        if kinds is not None
        else "; whether a FIDO key or hardware token sits beside it "
        "can only be read in a root session"
    )
    yield _root_finding(
        ctx,
        ROOT_NO_HARDWARE_MFA,
        row,
        f"The root user is protected by a virtual MFA device ({serial}) rather than a FIDO "
        f"security key (phishing-resistant) or a hardware TOTP token{beside}.",
    )


def check_root_access_keys(ctx: AnalysisContext) -> Iterator[Finding]:
    """The account summary is newer than a cached report, so it wins when both are there."""
    row = root_row(ctx)
    if not root_has_keys(ctx, row):
        return
    used = [
        f"key {slot} last used {day(key.last_used_date)}"
        for slot, key in (("1", row.access_key_1), ("2", row.access_key_2))
        if key.active
    ]
    clause = "; ".join(used) or "present per the account summary (newer than the report)"
    yield _root_finding(
        ctx, ROOT_ACCESS_KEYS, row, f"The root user has active access keys: {clause}."
    )


ROOT_NO_MFA = RuleSpec(
    id=RuleId.ROOT_NO_MFA.value,
    title="Root user without MFA",
    severity=Severity.CRITICAL,
    rationale=(
        "Root can do everything, including closing the account, and no policy restricts it; a "
        "leaked root password alone is a full compromise. Not applicable when root has no "
        "password (member accounts whose root credentials Organizations manages centrally)."
    ),
    remediation=(
        "Sign in as root → account menu → Security credentials → Multi-factor authentication "
        "→ Assign MFA device; prefer a hardware key kept in a safe.\n"
        "Or, for a member account, enable centralized root access in Organizations and delete "
        "the root password."
    ),
    depends_on=_ROOT_SOURCES,
    references=(
        cis("5.0.0", "1.4", "MFA for root"),
        cis("3.0.0", "1.5", "MFA for root"),
        hub("IAM.9", "MFA should be enabled for the root user"),
    ),
    documentation=(_ROOT_MFA_DOC, _CENTRAL_DOC),
)

ROOT_NO_HARDWARE_MFA = RuleSpec(
    id=RuleId.ROOT_NO_HARDWARE_MFA.value,
    title="Root user protected only by a virtual MFA device",
    severity=Severity.MEDIUM,
    rationale=(
        "A virtual MFA device lives on a phone with a large attack surface and is lost with it; "
        "CIS Level 2 asks for hardware MFA on root. Reported only when root has MFA (otherwise "
        "root_no_mfa) and a password."
    ),
    remediation=(
        "Sign in as root → Security credentials → Multi-factor authentication → assign a FIDO "
        "security key (phishing-resistant; preferred) or a hardware TOTP token, then remove the "
        "virtual device."
    ),
    depends_on=(*_ROOT_SOURCES, CollectionSource.VIRTUAL_MFA_DEVICES),
    references=(
        cis("5.0.0", "1.5", "hardware MFA for root"),
        cis("3.0.0", "1.6", "hardware MFA for root"),
        hub("IAM.6", "Hardware MFA should be enabled for the root user"),
    ),
    documentation=(_ROOT_MFA_DOC,),
)

ROOT_ACCESS_KEYS = RuleSpec(
    id=RuleId.ROOT_ACCESS_KEYS.value,
    title="Root user with active access keys",
    severity=Severity.CRITICAL,
    rationale=(
        "Root access keys give unrestricted API access, and MFA can never be required of them: "
        "MFA-protected API access is not available for root."
    ),
    remediation=(
        "Sign in as root → Security credentials → Access keys → deactivate, then delete each "
        "key; move automation to a role."
    ),
    depends_on=_ROOT_SOURCES,
    references=(
        cis("5.0.0", "1.3", "no root access key"),
        cis("3.0.0", "1.4", "no root access key"),
        hub("IAM.4", "IAM root user access key should not exist"),
    ),
    documentation=(
        doc(
            "Deleting access keys for the root user",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html",
        ),
    ),
)

RULES = (
    Rule(ROOT_NO_MFA, check_root_no_mfa),
    Rule(ROOT_NO_HARDWARE_MFA, check_root_no_hardware_mfa),
    Rule(ROOT_ACCESS_KEYS, check_root_access_keys),
)
