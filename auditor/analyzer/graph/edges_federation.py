"""Federation terminals: SAML and OIDC providers, and Identity Center, deciding MFA themselves.

``sts:AssumeRoleWithSAML`` / ``AssumeRoleWithWebIdentity`` sessions prove nothing about MFA to
IAM: the identity provider decides (``external_idp``). Identity Center creates
``AWSReservedSSO_<PermissionSet>_<hash>`` roles under ``/aws-reserved/sso.amazonaws.com/``,
trusted by the SAML provider ``AWSSSO_<id>_DO_NOT_DELETE``; yet ``AssumeRoleWithSAML`` does not
work on them (STS API reference, AssumeRoleWithSAML): Identity Center itself issues their
credentials, and its MFA setting (no public API) decides (``identity_center``). A trust naming
``arn:aws:sts::…:assumed-role/AWSReservedSSO_…/<user>`` lets that Identity Center session in,
so MFA there is Identity Center's too.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.graph.inputs import SSO_PROVIDER, GraphInputs, is_identity_center_role
from auditor.analyzer.graph.records import Edge
from auditor.analyzer.graph.trustees import ARN_ACCOUNT
from auditor.models import MfaDecidedBy, MfaEnforcement

IDENTITY_CENTER = "identity_center"


def edges(inputs: GraphInputs) -> Iterator[Edge]:
    unknown = MfaEnforcement.UNKNOWN
    for role in inputs.snapshot.roles:
        if is_identity_center_role(role):
            reason = f"Identity Center issues {role.name}'s sessions (permission set)"
            yield Edge(
                IDENTITY_CENTER,
                f"role:{role.name}",
                "identity_center",
                reason,
                unknown,
                MfaDecidedBy.IDENTITY_CENTER,
            )
    for entry in inputs.trust_index.other:
        role = entry.role
        if is_identity_center_role(role) or not entry.principal.startswith("Federated:"):
            continue
        provider = entry.principal.removeprefix("Federated:")
        name = provider.rsplit("/", 1)[-1]
        target = f"role:{role.name}"
        if ":saml-provider/" in provider and SSO_PROVIDER.fullmatch(name):
            reason = f"{role.name} trusts Identity Center's SAML provider {name}"
            kind, by = IDENTITY_CENTER, MfaDecidedBy.IDENTITY_CENTER
            yield Edge(IDENTITY_CENTER, target, kind, reason, unknown, by)
            continue
        source = f"saml:{name}" if ":saml-provider/" in provider else f"oidc:{name}"
        if ":oidc-provider/" not in provider and ":saml-provider/" not in provider:
            source = f"oidc:{provider}"  # a public web-identity host (Cognito, Google, ...)
        kind = source.split(":", 1)[0]
        action = "AssumeRoleWithSAML" if kind == "saml" else "AssumeRoleWithWebIdentity"
        reason = f"{role.name} trusts the identity provider {provider} (sts:{action})"
        yield Edge(source, target, kind, reason, unknown, MfaDecidedBy.EXTERNAL_IDP)
    for principal, entries in inputs.trust_index.by_principal.items():
        match = ARN_ACCOUNT.fullmatch(principal)
        if match is None or not match.group(2).startswith("assumed-role/AWSReservedSSO_"):
            continue
        session_role = match.group(2).split("/")[1]
        source = f"role:{session_role}" if session_role in inputs.roles else IDENTITY_CENTER
        for entry in entries:
            reason = (
                f"{entry.role.name}'s trust policy names the Identity Center session {principal}"
            )
            yield Edge(
                source,
                f"role:{entry.role.name}",
                "identity_center",
                reason,
                entry.gate,
                MfaDecidedBy.IDENTITY_CENTER,
            )
