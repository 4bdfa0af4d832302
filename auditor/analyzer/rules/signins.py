"""Sign-in rules: who actually signed in without MFA, from CloudTrail (``Snapshot.signins``).

Configuration says who *could* sign in without MFA; these say who *did*. They judge only
successful sign-ins inside the window (the aggregator drops failures and everything outside it),
IAM users and root by ``ConsoleLogin``'s ``MFAUsed``, Identity Center users by the credentials
verified in one ``AuthWorkflowID``. Role and federated sessions are never judged (CloudTrail says
``MFAUsed: No`` for them even when the IdP did MFA), nor external-IdP Identity Center sign-ins.

Without sign-in evidence the rules say "not read" in a note and find nothing: CloudTrail is an
extra source, and its absence must not read as "no sign-ins". A region that could not be read
adds one ``unknown`` finding per rule, so the audit exits 4 while what was read still counts.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.evidence import make_finding, rule_unknown
from auditor.analyzer.refs import doc, hub
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.signin_evidence import signin_evidence, times_phrase, user_privileged
from auditor.analyzer.spec import CIS_AWS, Note, NotRead, Reference, Rule, RuleSpec
from auditor.models import Finding, PrincipalType, Severity
from auditor.signin.records import SigninEvidence, SigninKind

NOT_READ = (
    "Sign-in evidence: not read (no CloudTrail was read: `scan` reads it unless --signin-days 0, "
    "`report` takes --cloudtrail), so the sign-in rules judged nothing; this is not "
    '"no sign-ins".'
)
SIGNINS_NOT_READ = "no sign-in evidence (CloudTrail) was given"
CONSOLE_EVENTS_DOC = doc(
    "AWS Management Console sign-in events",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
    "cloudtrail-event-reference-aws-console-sign-in-events.html",
)
IC_EVENTS_DOC = doc(
    "Understanding IAM Identity Center sign-in events",
    "https://docs.aws.amazon.com/singlesignon/latest/userguide/understanding-sign-in-events.html",
)
_CIS_NOTE = (
    "CIS AWS Foundations (v5.0.0 included) only asks for a CloudWatch metric filter and alarm on "
    "console sign-ins without MFA; this rule lists who did it. Listed are the versions whose "
    "control number was verified (v3.0.0 4.2, v1.4.0 4.2, v1.2.0 3.2); v5.0.0's was not."
)


def _references(topic: str, controls: tuple[tuple[str, str], ...]) -> tuple[Reference, ...]:
    return tuple(Reference(CIS_AWS, v, c, topic, relation="partial") for v, c in controls)


def _evidence(ctx: AnalysisContext) -> SigninEvidence | None:
    return ctx.snapshot.signins


def _gap(ctx: AnalysisContext, spec: RuleSpec, evidence: SigninEvidence) -> Iterator[Finding]:
    failed = evidence.coverage.regions_failed
    if failed:
        shown = "; ".join(f"{f.region}: {f.reason}" for f in failed[:3])
        more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
        yield rule_unknown(
            ctx,
            spec,
            f"sign-in events of {len(failed)} region(s) could not be read ({shown}{more})",
        )


def check_console_signin_without_mfa(ctx: AnalysisContext) -> Iterator[Finding | Note | NotRead]:
    evidence = _evidence(ctx)
    if evidence is None:
        yield Note(NOT_READ)
        yield NotRead(SIGNINS_NOT_READ)
        return
    yield from (Note(text) for text in evidence.notes)
    days = evidence.coverage.days
    for entry in evidence.principals:
        if entry.kind is not SigninKind.IAM_USER or not entry.without_mfa:
            continue
        privileged = user_privileged(ctx, entry.name)
        role = {True: ", a privileged user,", None: " (privilege unknown)"}.get(privileged, "")
        fields = signin_evidence(entry, evidence)
        fields["privileged"] = {True: "true", False: "false", None: "unknown"}[privileged]
        yield make_finding(
            ctx,
            CONSOLE_SIGNIN_WITHOUT_MFA,
            principal_type=PrincipalType.USER,
            name=entry.name,
            arn=entry.arn or f"arn:{ctx.partition}:iam::{ctx.account_id}:user/{entry.name}",
            severity=Severity.MEDIUM if privileged is False else Severity.HIGH,
            detail=f"{entry.name}{role} signed in to the console without MFA "
            f"{times_phrase(entry, days)}.",
            evidence=fields,
        )
    yield from _gap(ctx, CONSOLE_SIGNIN_WITHOUT_MFA, evidence)


def check_root_signin(ctx: AnalysisContext) -> Iterator[Finding | NotRead]:
    evidence = _evidence(ctx)
    if evidence is None:
        yield NotRead(SIGNINS_NOT_READ)
        return
    days = evidence.coverage.days
    for entry in evidence.principals:
        if entry.kind is not SigninKind.ROOT or not entry.successes:
            continue
        how = (
            f"without MFA {times_phrase(entry, days)}"
            if entry.without_mfa
            else f"{entry.successes} time(s) in the last {days} days, always with MFA"
        )
        yield make_finding(
            ctx,
            ROOT_SIGNIN,
            principal_type=PrincipalType.ROOT,
            name="<root_account>",
            arn=ctx.root_arn,
            severity=Severity.CRITICAL if entry.without_mfa else Severity.MEDIUM,
            detail=f"The root user of account {ctx.account_id} signed in to the console {how}.",
            evidence=signin_evidence(entry, evidence),
        )
    yield from _gap(ctx, ROOT_SIGNIN, evidence)


def check_identity_center_signin_without_mfa(ctx: AnalysisContext) -> Iterator[Finding | NotRead]:
    evidence = _evidence(ctx)
    if evidence is None:
        yield NotRead(SIGNINS_NOT_READ)
        return
    days = evidence.coverage.days
    for entry in evidence.principals:
        if entry.kind is not SigninKind.IDENTITY_CENTER or not entry.without_mfa:
            continue
        arn = (
            f"arn:{ctx.partition}:identitystore:::user/{entry.user_id}"
            if entry.user_id
            else entry.arn
        )
        yield make_finding(
            ctx,
            IDENTITY_CENTER_SIGNIN_WITHOUT_MFA,
            principal_type=PrincipalType.IDENTITY_CENTER_USER,
            name=entry.name,
            arn=arn,
            detail=f"Identity Center user {entry.name} signed in with no second factor (a "
            f"password without TOTP or WebAuthn) {times_phrase(entry, days)}.",
            evidence=signin_evidence(entry, evidence),
        )
    yield from _gap(ctx, IDENTITY_CENTER_SIGNIN_WITHOUT_MFA, evidence)


CONSOLE_SIGNIN_WITHOUT_MFA = RuleSpec(
    id=RuleId.CONSOLE_SIGNIN_WITHOUT_MFA.value,
    title="IAM user signed in to the console without MFA",
    severity=Severity.HIGH,
    rationale=(
        "CloudTrail shows the user actually used a password alone: the configuration gap was "
        "exercised, and whoever holds the password had the same access. High when the user is "
        "privileged (or its privilege could not be evaluated), medium otherwise. Failed "
        "sign-ins and sign-ins outside the window never count; federated and assumed-role "
        "sessions are never judged (CloudTrail writes MFAUsed No for them even when the "
        "identity provider did MFA)."
    ),
    remediation=(
        "IAM console → Users → <user> → Security credentials → Assign MFA device.\n"
        "Attach the self-service MFA policy (deny everything but MFA set-up without MFA).\n"
        "Ask the user whether each listed sign-in (time, address) was theirs; if not, reset "
        "the password and review CloudTrail for what the session did."
    ),
    depends_on=(),
    references=(
        Reference(
            CIS_AWS,
            "3.0.0",
            "4.2",
            "Ensure management console sign-in without MFA is monitored",
            relation="partial",
        ),
        *_references(
            "Ensure a log metric filter and alarm exist for Management Console sign-in without MFA",
            (("1.4.0", "4.2"), ("1.2.0", "3.2")),
        ),
    ),
    references_note=_CIS_NOTE,
    documentation=(CONSOLE_EVENTS_DOC,),
)

ROOT_SIGNIN = RuleSpec(
    id=RuleId.ROOT_SIGNIN.value,
    title="Root user signed in",
    severity=Severity.CRITICAL,
    rationale=(
        "Root can do anything, and AWS asks that it not be used for everyday tasks. Critical "
        "when a root sign-in used no MFA, medium when every one did (root was still used)."
    ),
    remediation=(
        "Confirm who signed in as root and why (the sign-in times and addresses are listed).\n"
        "Do the task with an IAM Identity Center or IAM administrator instead next time.\n"
        "IAM console → Dashboard → Add MFA for root user, if it used none."
    ),
    depends_on=(),
    references=(
        hub(
            "CloudWatch.1",
            'A log metric filter and alarm should exist for usage of the "root" user',
            "partial",
        ),
        *_references(
            "Ensure a log metric filter and alarm exist for usage of 'root' account",
            (("1.4.0", "4.3"), ("1.2.0", "3.3")),
        ),
    ),
    references_note="CIS and Security Hub ask for an alarm on root usage; this lists the sign-ins.",
    documentation=(CONSOLE_EVENTS_DOC,),
)

IDENTITY_CENTER_SIGNIN_WITHOUT_MFA = RuleSpec(
    id=RuleId.IDENTITY_CENTER_SIGNIN_WITHOUT_MFA.value,
    title="Identity Center user signed in without a second factor",
    severity=Severity.HIGH,
    rationale=(
        "One Identity Center sign-in opens every account and permission set assigned to the "
        "user. A sign-in whose workflow verified a password and no TOTP or WebAuthn credential "
        "had no second factor; no API shows Identity Center's MFA setting, so this is the only "
        "evidence there is. Sign-ins through an external identity provider are not judged: MFA "
        "is decided there (a note says how many)."
    ),
    remediation=(
        "IAM Identity Center console → Settings → Authentication → Multi-factor "
        "authentication → Configure: prompt users for MFA every time they sign in, and require "
        "them to register a device at sign-in.\n"
        "Have the listed user register an authenticator app or security key."
    ),
    depends_on=(),
    references_note="No CIS or Security Hub control covers Identity Center sign-ins.",
    documentation=(IC_EVENTS_DOC,),
)

RULES = (
    Rule(CONSOLE_SIGNIN_WITHOUT_MFA, check_console_signin_without_mfa),
    Rule(ROOT_SIGNIN, check_root_signin),
    Rule(IDENTITY_CENTER_SIGNIN_WITHOUT_MFA, check_identity_center_signin_without_mfa),
)
