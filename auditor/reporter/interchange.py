"""What the OCSF and ASFF outputs share: stable finding ids, resource types, rule metadata.

Security Hub updates a finding whose ``Id`` (with ``ProductArn``) it already holds and adds one
it does not, so an id that changed between runs would duplicate every finding weekly. The id is
a digest of ``Finding.key`` (account, rule, principal ARN, group): the same identity the
run-to-run diff uses, so "the same finding" means one thing everywhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from auditor.analyzer.spec import RuleSpec
from auditor.models import Finding, PrincipalType

ID_PREFIX = "mfa-auditor"
PRODUCT_NAME = "mfa-auditor"

_ASFF_RESOURCE_TYPE = {
    PrincipalType.USER: "AwsIamUser",
    PrincipalType.GROUP: "AwsIamGroup",
    PrincipalType.ROLE: "AwsIamRole",
    PrincipalType.ROOT: "AwsAccount",
    PrincipalType.ACCOUNT: "AwsAccount",
}
"""ASFF resource types (Security Hub's ``Resources[].Type``); anything else is ``Other``."""


def finding_uid(finding: Finding) -> str:
    """``mfa-auditor/<account>/<rule id>/<32 hex digits of the key's SHA-256>``."""
    digest = hashlib.sha256("\x1f".join(finding.key).encode("utf-8")).hexdigest()[:32]
    return f"{ID_PREFIX}/{finding.account_id}/{finding.rule_id}/{digest}"


def resource_type(finding: Finding) -> str:
    return _ASFF_RESOURCE_TYPE.get(finding.principal_type, "Other")


def resource_id(finding: Finding) -> str:
    """The principal's ARN; account-level findings name the account as Security Hub does."""
    if finding.principal_arn and finding.principal_type is not PrincipalType.ROOT:
        return finding.principal_arn
    if resource_type(finding) == "AwsAccount":
        return f"AWS::::Account:{finding.account_id}"
    return (
        finding.principal_arn
        or f"{ID_PREFIX}:{finding.principal_type.value}:{finding.principal_name}"
    )


def partition(finding: Finding) -> str:
    """``aws``, ``aws-cn`` or ``aws-us-gov``, read from the principal's ARN."""
    parts = finding.principal_arn.split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else "aws"


@dataclass(frozen=True)
class RuleFacts:
    """What a rule's metadata adds to a finding: why it matters, controls, documentation."""

    rationale: str
    requirements: tuple[str, ...]
    urls: tuple[str, ...]


def rule_facts(rules: Mapping[str, RuleSpec], rule_id: str) -> RuleFacts:
    spec = rules.get(rule_id)
    if spec is None:
        return RuleFacts("", (), ())
    return RuleFacts(
        spec.rationale,
        tuple(reference.key for reference in spec.references),
        tuple(link.url for link in spec.documentation),
    )


def default_rules() -> dict[str, RuleSpec]:
    """The registry's specs by id (imported late: the analyzer package pulls in pandas)."""
    from auditor.analyzer.rules import RULES

    return {spec.id: spec for spec in RULES}
