"""``identity_center_mfa_unverified``: privileged Identity Center users whose MFA no API shows.

Identity Center issues the ``AWSReservedSSO_`` roles' credentials itself; whether its users prove
MFA is its own setting (Settings → Authentication → Multi-factor authentication), or the
external IdP's, and neither ``sso-admin`` nor ``identitystore`` exposes it or users' devices. So
this account-level finding counts who depends on that setting and says how to verify it; the
person who verified it records an exemption (principal: the account id) with an expiry, and the
finding stays in the report, marked. Without Identity Center data (a refused read) the rule is
``unknown``; an account without an instance, or a run that skipped it on purpose, is a note.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext, names
from auditor.analyzer.evidence import make_finding
from auditor.analyzer.refs import doc
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import Note, Rule, RuleNotEvaluable, RuleSpec
from auditor.identity_center_models import IdentityCenterData, IdentityCenterStatus
from auditor.models import CollectionSource, Finding, PrincipalType, Severity

NOT_IN_SNAPSHOT = (
    "IAM Identity Center was not read: this snapshot has no Identity Center data (collected "
    "before schema version 2, or AWS CLI exports without the Identity Center folder)."
)
IDENTITY_SOURCE_UNREADABLE = (
    "the identity source (Identity Center directory, Active Directory or external IdP) has no "
    "public API"
)


def check_identity_center_mfa(ctx: AnalysisContext) -> Iterator[Finding | Note]:
    data = ctx.snapshot.identity_center
    if data is None:
        yield Note(NOT_IN_SNAPSHOT)
        return
    if data.status is IdentityCenterStatus.SKIPPED:
        yield Note(data.reason + ".")
        return
    if data.status is IdentityCenterStatus.NO_INSTANCE:
        yield Note(
            f"{data.reason} (a fact, not a gap; an organization's instance is read from its "
            "management or delegated administrator account)."
        )
        return
    if data.status is IdentityCenterStatus.FAILED:
        raise RuleNotEvaluable(data.reason)
    users = ctx.identity_center_users
    privileged = [u for u in users if u.privileged]
    maybe = [u for u in users if u.privileged is None]
    if not privileged and not maybe:
        yield Note(
            f"IAM Identity Center ({data.region}): {len(users)} user(s), none holds a "
            "privileged permission set in an assigned account."
        )
        return
    source = identity_source(data)
    held = "; ".join(
        f"{u.user.user_name}: {', '.join(g.via for g in u.privileged_grants()[:3])}"
        for u in privileged[:10]
    )
    maybe_clause = f", and {len(maybe)} more may be (policies unread)" if maybe else ""
    yield make_finding(
        ctx,
        IC_RULE,
        principal_type=PrincipalType.ACCOUNT,
        name=ctx.account_id,
        arn=ctx.root_arn,
        detail=(
            f"{len(privileged)} Identity Center user(s) hold privileged permission sets "
            f"({names([u.user.user_name for u in privileged], 5)}){maybe_clause}; whether they "
            f"sign in with MFA is decided by {source}; no AWS API exposes that setting: "
            "verify it in the console."
        ),
        evidence={
            "privileged_users": str(len(privileged)),
            "possibly_privileged_users": str(len(maybe)),
            "user_names": ", ".join(u.user.user_name for u in privileged + maybe),
            "held_through": held,
            "instance_arn": data.instance_arn,
            "region": data.region,
            "read_from_account": data.read_from_account or ctx.account_id,
            "identity_source": source,
        },
    )


def identity_source(data: IdentityCenterData) -> str:
    """Who decides MFA, as far as the identity store shows it.

    ``ExternalIds`` appear on users an external system provisioned (SCIM); their issuers name it.
    The identity source itself is not readable, so without them only "Identity Center's MFA
    setting, or an external IdP's" can be said.
    """
    issuers = sorted({i for user in data.users for i in user.external_id_issuers})
    if issuers:
        return (
            "the external identity provider that provisions the users "
            f"({', '.join(issuers[:3])}, from their ExternalIds; {IDENTITY_SOURCE_UNREADABLE})"
        )
    return f"Identity Center's MFA setting, or a connected IdP's ({IDENTITY_SOURCE_UNREADABLE})"


IC_RULE = RuleSpec(
    id=RuleId.IDENTITY_CENTER_MFA_UNVERIFIED.value,
    title="Privileged Identity Center users depend on an MFA setting no API exposes",
    severity=Severity.MEDIUM,
    rationale=(
        "Identity Center users reach their permission sets through AWSReservedSSO_ roles whose "
        "credentials Identity Center issues; IAM conditions cannot prove MFA for them. If "
        "Identity Center's MFA is context-aware, email one-time passwords, or off, every "
        "administrator among them may sign in with a password alone, while IAM looks clean."
    ),
    remediation=(
        "IAM Identity Center console → Settings → Authentication → Multi-factor authentication → "
        "Configure: under Prompt users for MFA choose Every time they sign in (always-on); under "
        "If a user does not yet have a registered MFA device choose Require them to register an "
        "MFA device at sign in.\n"
        "With an external IdP that section is absent: verify MFA in the IdP's own policy.\n"
        "Whoever verified it records an exemption: rule identity_center_mfa_unverified, "
        "principal <account id>, reason (who checked, what they saw), expires (re-check date)."
    ),
    depends_on=(CollectionSource.IDENTITY_CENTER, CollectionSource.POLICY_DOCUMENTS),
    references_note=(
        "No CIS AWS Foundations or Security Hub control checks Identity Center's MFA setting "
        "(it has no API)."
    ),
    documentation=(
        doc(
            "IAM Identity Center: Prompt users for MFA",
            "https://docs.aws.amazon.com/singlesignon/latest/userguide/mfa-getting-started.html",
        ),
        doc(
            "IAM Identity Center: Configure MFA device enforcement",
            "https://docs.aws.amazon.com/singlesignon/latest/userguide/"
            "how-to-configure-mfa-device-enforcement.html",
        ),
        doc(
            "Referencing permission sets in resource policies, Amazon EKS, and AWS KMS",
            "https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html",
        ),
    ),
)

RULES = (Rule(IC_RULE, check_identity_center_mfa),)
