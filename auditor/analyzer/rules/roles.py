"""``role_assumable_without_mfa``: a privileged role any IAM principal may assume without MFA.

Group MFA conditions protect a user's own actions; a role whose trust policy trusts the account
(or its users) without an MFA condition hands the same privileges to whoever is allowed
``sts:AssumeRole``, MFA or not. For roles, MFA is enforced in the trust policy when the role is
assumed (IAM User Guide, "Secure API access with MFA"), and for another account's users it is the
only place this account can enforce it ("Scenario: MFA protection for cross-account
delegation"), so other accounts' IAM principals count too (see ``trustees``). A role whose own
permission policies already deny its privileged actions to a session without MFA is not a way
around MFA, and is not reported. A trust policy the engine cannot parse is ``unknown``, not a pass.

The access graph decides who can reach the role at all (``AccessModel.entry``): a role reached
only by AWS services, a service-linked role, an Identity Center role (``AWSReservedSSO_…``) or a
role reached only from Identity Center or an identity provider is not "assumable without MFA"
(the last two are ``role_mfa_decided_by_idp``'s). A cross-account trust keeps its finding with a
remediation that can work: MFA in the trust, or an ExternalId and MFA in the other account.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.evidence import assessment_evidence, make_finding, policy_labels
from auditor.analyzer.graph.trustees import (
    Trustee,
    assumable_by_iam,
    iam_trustees,
    trusted_accounts,
)
from auditor.analyzer.refs import MFA_API_DOC, NO_CONTROL_NOTE, doc
from auditor.analyzer.remediation import ROLE_TRUST_POLICY_JSON
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import POLICY_SOURCES, Rule, RuleSpec
from auditor.models import (
    Finding,
    FindingStatus,
    MfaDecidedBy,
    MfaEnforcement,
    PrincipalType,
    Severity,
)


def check_role_assumable_without_mfa(ctx: AnalysisContext) -> Iterator[Finding]:
    for role in sorted(ctx.snapshot.roles, key=lambda r: r.name):
        result = ctx.privilege.trust(role.name)
        if result.trust is None:
            yield make_finding(
                ctx,
                ROLE_RULE,
                principal_type=PrincipalType.ROLE,
                name=role.name,
                arn=role.arn,
                detail=(
                    f"Role {role.name}'s trust policy could not be evaluated ({result.error}), "
                    "so who may assume it without MFA is unknown."
                ),
                status=FindingStatus.UNKNOWN,
                evidence={"error": result.error},
            )
            continue
        trust = result.trust
        if ctx.access.entry(role).decided_by not in HUMAN_IAM:
            continue  # only services, service-linked use, Identity Center or an IdP reach it
        trustees = iam_trustees(trust, ctx.account_id)
        if trust.verdict is not MfaEnforcement.NOT_ENFORCED or not assumable_by_iam(
            trust, ctx.account_id
        ):
            continue
        permissions = ctx.privilege.role(role.name)
        if not permissions.privileged and not permissions.problems:
            continue
        if (
            permissions.privileged
            and not permissions.problems
            and not _usable_without_mfa(permissions.verdict)
        ):
            continue
        principals = ", ".join(t.describe() for t in trustees[:3]) or "the account"
        evidence = assessment_evidence(permissions)
        evidence["trusted_principals"] = ", ".join(t.principal for t in trustees)
        evidence["trusted_accounts"] = trusted_accounts(trustees)
        evidence["trust_verdict"] = trust.verdict.value
        if not permissions.privileged:
            yield make_finding(
                ctx,
                ROLE_RULE,
                principal_type=PrincipalType.ROLE,
                name=role.name,
                arn=role.arn,
                detail=(
                    f"Role {role.name} can be assumed by {principals} without MFA, and whether "
                    f"it is privileged is unknown ({'; '.join(permissions.problems)})."
                ),
                status=FindingStatus.UNKNOWN,
                evidence=evidence,
            )
            continue
        paths = ctx.access.role_paths(role)
        if paths:
            evidence["paths"] = "; ".join(p.description for p in paths)
        finding = make_finding(
            ctx,
            ROLE_RULE,
            principal_type=PrincipalType.ROLE,
            name=role.name,
            arn=role.arn,
            detail=(
                f"Role {role.name} ({policy_labels(permissions)}) can be assumed by {principals} "
                f"with no MFA condition in its trust policy, {_consequence(trustees)}."
            ),
            evidence=evidence,
        )
        if any(not t.this_account for t in trustees):
            finding = replace(finding, remediation=CROSS_ACCOUNT_REMEDIATION)
        yield finding


HUMAN_IAM = (MfaDecidedBy.IAM, MfaDecidedBy.OTHER_ACCOUNT)
"""Entries where a person reaches the role through IAM principals (here or in another account)."""

CROSS_ACCOUNT_REMEDIATION = (
    "IAM console → Roles → <role> → Trust relationships → Edit trust policy: add the MFA "
    "condition (Bool aws:MultiFactorAuthPresent true, with a NumericLessThan "
    "aws:MultiFactorAuthAge limit) to each statement that trusts another account.\n"
    "If that account is a third party that cannot send MFA, require an sts:ExternalId in the "
    "trust instead and have that account require MFA of whoever assumes the role there."
)


def _usable_without_mfa(verdict: MfaEnforcement) -> bool:
    """Whether a session assumed without MFA can use the role's privileges.

    Such a session carries ``aws:MultiFactorAuthPresent`` = ``false`` (temporary credentials,
    IAM User Guide, "AWS global condition context keys") and never long-term keys, so only a
    permission verdict of ``not_enforced`` (allowed in that context) or ``unknown`` leaves the
    privileges open; ``bypassable`` is about access keys, which role sessions never use.
    """
    return verdict in (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.UNKNOWN)


def _consequence(trustees: tuple[Trustee, ...]) -> str:
    if any(not t.this_account for t in trustees):
        return "the only place where this account can require MFA of another account's users"
    return "a way around MFA conditions on users' own policies"


ROLE_RULE = RuleSpec(
    id=RuleId.ROLE_ASSUMABLE_WITHOUT_MFA.value,
    title="Privileged role assumable without MFA",
    severity=Severity.HIGH,
    rationale=(
        "Anyone in the account allowed sts:AssumeRole on the role (including access-key-only "
        "users) gets its privileges without MFA, however strictly their own groups demand MFA; "
        "for a trusted other account, the trust policy is the only MFA check this account owns."
    ),
    remediation=(
        "IAM console → Roles → <role> → Trust relationships → Edit trust policy: add the MFA "
        "condition of the rule's trust policy (shown on the card) to each statement that trusts "
        "an account or its users and roles (this account or another).\n"
        "Callers then assume the role with `aws sts assume-role --serial-number … --token-code …`."
    ),
    depends_on=POLICY_SOURCES,
    references_note=NO_CONTROL_NOTE,
    documentation=(
        MFA_API_DOC,
        doc(
            "Configuring MFA-protected API access: roles",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "id_credentials_mfa_configure-api-require.html#MFAProtectedAPI-cross-account-delegation",
        ),
    ),
    remediation_policy=ROLE_TRUST_POLICY_JSON,
)

RULES = (Rule(ROLE_RULE, check_role_assumable_without_mfa),)
