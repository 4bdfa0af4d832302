"""``privileged_user_phishable_mfa``: a privileged human whose MFA is only a one-time code.

A TOTP code, from an app (virtual device) or a hardware token, can be typed into a phishing site
and relayed within its 30 seconds; a FIDO security key or passkey signs the real sign-in origin
and cannot (CISA, "Implementing Phishing-Resistant MFA"; NIST SP 800-63B-4, AAL3). So a
privileged user who signs in to the console (has a password) should hold a FIDO device, and one
FIDO device among several is enough: whoever holds it need not type a code.

The device types come from the collector's per-user ``ListMFADevices`` record. A user whose
types are unknown (the call was refused, or the input has no per-user list: AWS CLI exports,
version-1 snapshots) is an ``unknown`` finding, and the rule reports itself partial, so the audit
is incomplete exactly when a privileged user's verdict is missing. Users without any MFA device
are ``privileged_member_no_mfa``'s, not this rule's.

Identity Center users: their factor is decided by Identity Center and shows only in sign-in
evidence (CloudTrail); ``identity_center_phishable`` takes that evidence per user, so the
sign-in stream can feed it once it records the factor type (see the module's function).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from auditor.analyzer.context import AnalysisContext, UserFacts
from auditor.analyzer.evidence import make_finding, user_evidence
from auditor.analyzer.graph.summaries import shown_privileged
from auditor.analyzer.refs import CISA_PHISHING_RESISTANT, ENABLE_MFA_DOC, FIDO_DOC, NIST_AAL3
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import POLICY_SOURCES, Note, Partial, Rule, RuleSpec
from auditor.config import RuleSettings
from auditor.mfa_devices import PHISHABLE_KINDS, MfaDeviceKind
from auditor.models import CollectionSource, Finding, FindingStatus, PrincipalType, Severity

_WORDS = {
    MfaDeviceKind.VIRTUAL: "a virtual (authenticator app) device",
    MfaDeviceKind.HARDWARE: "a hardware TOTP token",
}


def settings(ctx: AnalysisContext) -> RuleSettings:
    return ctx.config.rules.get(PHISHABLE_RULE.id, RuleSettings())


def check_privileged_user_phishable_mfa(ctx: AnalysisContext) -> Iterator[Finding | Note | Partial]:
    chosen = settings(ctx)
    if not chosen.enabled:
        yield Note(f"{PHISHABLE_RULE.id} is turned off in the config (rules.{PHISHABLE_RULE.id}).")
        return
    undecided: list[str] = []
    for facts in ctx.users:
        if facts.user is None or facts.console is not True:
            continue  # not a console human (or unknown): the sign-in factor does not apply
        if not shown_privileged(ctx.privilege.user_effective(facts.name)):
            continue
        kinds = facts.device_kinds
        if not kinds or MfaDeviceKind.FIDO in kinds:
            continue
        reason = _undecidable(facts)
        if reason:
            undecided.append(facts.name)
            yield _finding(ctx, facts, chosen, reason, FindingStatus.UNKNOWN)
        elif all(kind in PHISHABLE_KINDS for kind in kinds):
            yield _finding(ctx, facts, chosen, "", FindingStatus.OPEN)
    if undecided:
        yield Partial(
            f"the MFA device types of {len(undecided)} privileged console user(s) are unknown "
            f"({', '.join(undecided[:5])}{' …' if len(undecided) > 5 else ''})"
        )


def _undecidable(facts: UserFacts) -> str:
    """Why the user's devices may include a FIDO key nobody could see, or ``""``."""
    record = facts.devices
    if record is None:
        return (
            "the input has no per-user device list (an AWS CLI export or an older snapshot), "
            "so a FIDO key beside the known device cannot be ruled out"
        )
    if record.unknown_reason:
        return f"its devices could not be listed: {record.unknown_reason}"
    if not record.listed:
        return "its devices were not listed (iam:ListMFADevices was not called for it)"
    return ""


def _finding(
    ctx: AnalysisContext,
    facts: UserFacts,
    chosen: RuleSettings,
    unknown: str,
    status: FindingStatus,
) -> Finding:
    kinds = facts.device_kinds
    if unknown:
        detail = (
            f"{facts.name} is a privileged console user whose MFA may be only phishable one-time "
            f"codes: {unknown}."
        )
    else:
        held = sorted({_WORDS[kind] for kind in kinds})
        detail = (
            f"{facts.name} is a privileged console user whose only MFA is {' and '.join(held)}: "
            "its codes can be phished; no FIDO security key or passkey."
        )
    evidence = user_evidence(ctx, facts)
    evidence["mfa_device_types"] = ";".join(kind.value for kind in kinds)
    return make_finding(
        ctx,
        PHISHABLE_RULE,
        principal_type=PrincipalType.USER,
        name=facts.name,
        arn=facts.arn,
        detail=detail,
        severity=chosen.severity or PHISHABLE_RULE.severity,
        evidence=evidence,
        status=status,
    )


@dataclass(frozen=True)
class SignInFactor:
    """One Identity Center user's sign-in evidence: the MFA factor types it was seen using."""

    user_name: str
    user_arn: str
    privileged: bool
    factor_types: tuple[MfaDeviceKind, ...]
    """Empty when the evidence does not name the factor (then nothing can be concluded)."""


def identity_center_phishable(
    ctx: AnalysisContext, evidence: Iterable[SignInFactor]
) -> Iterator[Finding]:
    """Findings for privileged Identity Center users whose sign-ins show only phishable factors.

    The hook for sign-in evidence (CloudTrail, issue 12): this branch has no such evidence, so
    the registry's check does not call it; a caller that has per-user factor evidence does.
    """
    chosen = settings(ctx)
    if not chosen.enabled:
        return
    for item in evidence:
        kinds = item.factor_types
        if not item.privileged or not kinds or MfaDeviceKind.FIDO in kinds:
            continue
        if all(kind in PHISHABLE_KINDS for kind in kinds):
            yield make_finding(
                ctx,
                PHISHABLE_RULE,
                principal_type=PrincipalType.IDENTITY_CENTER_USER,
                name=item.user_name,
                arn=item.user_arn,
                detail=(
                    f"{item.user_name} is a privileged Identity Center user whose sign-ins used "
                    f"only one-time codes ({';'.join(k.value for k in kinds)}): phishable."
                ),
                severity=chosen.severity or PHISHABLE_RULE.severity,
                evidence={"mfa_device_types": ";".join(k.value for k in kinds)},
            )


PHISHABLE_RULE = RuleSpec(
    id=RuleId.PRIVILEGED_USER_PHISHABLE_MFA.value,
    title="Privileged user's MFA is phishable (no FIDO device)",
    severity=Severity.MEDIUM,
    rationale=(
        "One-time codes from an authenticator app or a hardware TOTP token can be relayed by a "
        "phishing site in real time; FIDO security keys and passkeys cannot, which is why CISA "
        "and NIST SP 800-63B (AAL3) ask privileged users for phishing-resistant MFA. Not "
        "reported for a user holding a FIDO device beside a TOTP one. Configurable: "
        "rules.privileged_user_phishable_mfa (enabled, severity)."
    ),
    remediation=(
        "Have the user register a FIDO security key or passkey: IAM console → Users → <user> → "
        "Security credentials → Assign MFA device → Passkey or security key.\n"
        "Keep one TOTP device only where the user needs MFA for the CLI (FIDO cannot satisfy "
        "MFA-protected API access), or move them to Identity Center with phishing-resistant MFA."
    ),
    depends_on=(CollectionSource.CREDENTIAL_REPORT, *POLICY_SOURCES),
    references=(NIST_AAL3, CISA_PHISHING_RESISTANT),
    documentation=(FIDO_DOC, ENABLE_MFA_DOC),
)

RULES = (Rule(PHISHABLE_RULE, check_privileged_user_phishable_mfa),)
