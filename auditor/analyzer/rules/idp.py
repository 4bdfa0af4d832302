"""``role_mfa_decided_by_idp``: roles reached through Identity Center or an identity provider.

IAM cannot see MFA on those paths: ``AssumeRoleWithSAML`` / ``AssumeRoleWithWebIdentity``
sessions carry no MFA proof IAM could test, Identity Center issues the credentials of its
``AWSReservedSSO_…`` roles itself (STS API reference, AssumeRoleWithSAML: it does not work on
them), and AWS documents no ``aws:MultiFactorAuthPresent`` value for Identity Center sessions.
So the trust policy's MFA condition is not the fix there, and one high finding per role would
be noise: the account gets one finding naming every such role and who decides MFA for it, its
severity set by the most privileged reach (high for every action, medium for other privileged
actions or an unknown verdict). Roles reached only this way never yield
``role_assumable_without_mfa``.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext, names
from auditor.analyzer.evidence import make_finding
from auditor.analyzer.refs import NO_CONTROL_NOTE, doc
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import POLICY_SOURCES, Rule, RuleSpec
from auditor.models import Finding, MfaDecidedBy, PrincipalType, Severity

_DECIDERS = {
    MfaDecidedBy.IDENTITY_CENTER: "Identity Center",
    MfaDecidedBy.EXTERNAL_IDP: "an external identity provider (SAML or OIDC)",
}


def check_role_mfa_decided_by_idp(ctx: AnalysisContext) -> Iterator[Finding]:
    access = ctx.access
    reached: dict[MfaDecidedBy, list[str]] = {d: [] for d in _DECIDERS}
    admin: list[str] = []
    privileged: list[str] = []
    for role in sorted(ctx.snapshot.roles, key=lambda r: r.name):
        entry = access.entry(role)
        if entry.decided_by not in reached:
            continue
        paths = access.role_paths(role)
        if not paths:
            continue
        via = [v.partition(":")[2] or v for v in entry.via if not v.startswith("role:")]
        reached[entry.decided_by].append(f"{role.name} ({', '.join(via)})" if via else role.name)
        (admin if any(p.admin for p in paths) else privileged).append(role.name)
    if not admin and not privileged:
        return
    parts = [
        f"{_DECIDERS[d]} for {len(roles)} role(s): {names(roles, 5)}"
        for d, roles in reached.items()
        if roles
    ]
    worst = (
        f"{names(admin, 3)} reach every action (*)"
        if admin
        else f"{names(privileged, 3)} reach privileged actions"
    )
    detail = (
        f"MFA for privileged roles of account {ctx.account_id} is decided outside IAM, by "
        f"{'; and by '.join(parts)}: no trust-policy condition can prove it, and {worst}. "
        "Confirm that the provider requires MFA for these sign-ins."
    )
    evidence = {f"{d.value}_roles": ", ".join(roles) for d, roles in reached.items() if roles} | {
        "roles_with_every_action": ", ".join(admin) or "(none)"
    }
    yield make_finding(
        ctx,
        IDP_RULE,
        principal_type=PrincipalType.ACCOUNT,
        name=ctx.account_id,
        arn=ctx.root_arn,
        detail=detail,
        severity=Severity.HIGH if admin else Severity.MEDIUM,
        evidence=evidence,
    )


IDP_RULE = RuleSpec(
    id=RuleId.ROLE_MFA_DECIDED_BY_IDP.value,
    title="Privileged roles whose MFA is decided by Identity Center or an identity provider",
    severity=Severity.HIGH,
    rationale=(
        "Sessions issued by Identity Center or federated through SAML/OIDC prove no MFA to IAM, "
        "so whether a person used MFA before reaching these roles is the provider's setting. "
        "High when a role reaches every action, medium for other privileged actions."
    ),
    remediation=(
        "Identity Center console → Settings → Authentication → Multi-factor authentication: "
        "prompt users for MFA every time they sign in, and require a registered device.\n"
        "For an external IdP (Okta, Entra ID, Google …): require MFA in the sign-on policy of "
        "the AWS application; the trust policy cannot enforce it."
    ),
    depends_on=POLICY_SOURCES,
    references_note=NO_CONTROL_NOTE,
    documentation=(
        doc(
            "AssumeRoleWithSAML (STS API reference)",
            "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html",
        ),
        doc(
            "Multi-factor authentication in IAM Identity Center",
            "https://docs.aws.amazon.com/singlesignon/latest/userguide/enable-mfa.html",
        ),
    ),
)

RULES = (Rule(IDP_RULE, check_role_mfa_decided_by_idp),)
