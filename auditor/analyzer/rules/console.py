"""``console_user_no_mfa``: IAM users with a console password and no MFA device (CIS 1.9/1.10).

Only IAM users: root is never a console user here (its own rules cover it), and a user without a
password is not a console user, whatever its keys. A user the credential report does not list
(created after it) is ``unknown``, never "has MFA". A privileged console user is reported here
too (this is the CIS control, so it must be complete) and by ``privileged_member_no_mfa``.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.evidence import credentials_clause, make_finding, user_evidence
from auditor.analyzer.refs import CREDENTIAL_REPORT_DOC, ENABLE_MFA_DOC, cis, hub
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import Rule, RuleNotEvaluable, RuleSpec
from auditor.models import CollectionSource, Finding, FindingStatus, PrincipalType, Severity


def check_console_user_no_mfa(ctx: AnalysisContext) -> Iterator[Finding]:
    report = ctx.snapshot.credential_report
    if report is None:
        raise RuleNotEvaluable("the snapshot has no credential report")
    generated = report.generated_time.strftime("%Y-%m-%d %H:%M UTC")
    for facts in ctx.users:
        if facts.has_mfa or facts.console is False:
            continue
        evidence = user_evidence(ctx, facts)
        status = FindingStatus.UNKNOWN
        if facts.console:
            status = FindingStatus.OPEN
            detail = (
                f"{facts.name} has a console password and no MFA device; "
                f"{credentials_clause(facts)}."
            )
        elif facts.row is None:
            detail = (
                f"{facts.name} is not in the credential report generated {generated} (created "
                "after it?), so whether it has a console password and an MFA device is unknown."
            )
        else:
            detail = (
                f"{facts.name} has no MFA device and its password_enabled value "
                f"({evidence['password_enabled']}) does not say whether it has a console password."
            )
        yield make_finding(
            ctx,
            CONSOLE_USER_NO_MFA,
            principal_type=PrincipalType.USER,
            name=facts.name,
            arn=facts.arn,
            detail=detail,
            evidence=evidence,
            status=status,
        )


CONSOLE_USER_NO_MFA = RuleSpec(
    id=RuleId.CONSOLE_USER_NO_MFA.value,
    title="Console user without MFA",
    severity=Severity.MEDIUM,
    rationale=(
        "A console password alone is phished, reused or guessed; with MFA a stolen password "
        "does not open a session. Users without a password are not console users and are not "
        "reported here (their access keys are judged by access_key_privileged_no_mfa)."
    ),
    remediation=(
        "IAM console → Users → <user> → Security credentials → Multi-factor authentication → "
        "Assign MFA device (or have the user do it under 'My security credentials').\n"
        "If the user no longer needs the console: Security credentials → Console sign-in → "
        "Disable console access."
    ),
    depends_on=(CollectionSource.CREDENTIAL_REPORT,),
    references=(
        cis("5.0.0", "1.9", "console MFA"),
        cis("3.0.0", "1.10", "console MFA"),
        hub("IAM.5", "MFA should be enabled for all IAM users that have a console password"),
    ),
    documentation=(ENABLE_MFA_DOC, CREDENTIAL_REPORT_DOC),
)

RULES = (Rule(CONSOLE_USER_NO_MFA, check_console_user_no_mfa),)
