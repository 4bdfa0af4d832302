"""``findings.asff.json``: the findings in the AWS Security Finding Format, for Security Hub.

Every required top-level attribute is set (Security Hub User Guide, "Required top-level ASFF
attributes": AwsAccountId, CreatedAt, Description, GeneratorId, Id, ProductArn, Resources,
SchemaVersion, Severity, Title, Types, UpdatedAt). ``ProductArn`` is the account's own
"default" product, the one Security Hub gives custom integrations
(``arn:aws:securityhub:<region>:<account>:product/<account>/default``), so findings land in the
audited account's Security Hub. ``Id`` is stable across runs (``finding_uid``): a second import
updates rather than duplicates. Exempted findings are sent with workflow status SUPPRESSED,
findings whose rule could not be evaluated with compliance status NOT_AVAILABLE.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from auditor.analyzer.spec import RuleSpec
from auditor.models import AuditResult, Finding, FindingStatus, Severity
from auditor.reporter.interchange import (
    finding_uid,
    partition,
    resource_id,
    resource_type,
    rule_facts,
)
from auditor.reporter.values import iso

ASFF_SCHEMA_VERSION = "2018-10-08"
FINDING_TYPE = "Software and Configuration Checks/AWS Security Best Practices"
DEFAULT_REGION = "us-east-1"
_TEXT_LIMIT = 1024
"""Security Hub caps Title at 256 and Description at 1,024 characters."""

_LABEL = {
    Severity.INFO: "INFORMATIONAL",
    Severity.LOW: "LOW",
    Severity.MEDIUM: "MEDIUM",
    Severity.HIGH: "HIGH",
    Severity.CRITICAL: "CRITICAL",
}
_WORKFLOW = {
    FindingStatus.OPEN: ("FAILED", "NEW"),
    FindingStatus.EXEMPTED: ("FAILED", "SUPPRESSED"),
    FindingStatus.UNKNOWN: ("NOT_AVAILABLE", "NEW"),
}


def product_arn(account_id: str, region: str, aws_partition: str = "aws") -> str:
    return f"arn:{aws_partition}:securityhub:{region}:{account_id}:product/{account_id}/default"


def asff_findings(
    result: AuditResult,
    *,
    generated_at: datetime,
    rules: Mapping[str, RuleSpec],
    region: str = DEFAULT_REGION,
) -> list[dict[str, Any]]:
    """The ASFF findings of one run; ``region`` is the Security Hub region they are meant for."""
    return [_finding(result, f, generated_at, rules, region) for f in result.findings]


def _finding(
    result: AuditResult,
    finding: Finding,
    when: datetime,
    rules: Mapping[str, RuleSpec],
    region: str,
) -> dict[str, Any]:
    compliance, workflow = _WORKFLOW[finding.status]
    facts = rule_facts(rules, finding.rule_id)
    stamp = iso(when)
    aws_partition = partition(finding)
    remediation: dict[str, Any] = {"Text": _cut(finding.remediation or finding.title, 512)}
    if facts.urls:
        remediation["Url"] = facts.urls[0]
    document: dict[str, Any] = {
        "SchemaVersion": ASFF_SCHEMA_VERSION,
        "Id": finding_uid(finding),
        "ProductArn": product_arn(result.account_id, region, aws_partition),
        "ProductName": "mfa-auditor",
        "CompanyName": "mfa-auditor",
        "GeneratorId": f"mfa-auditor/{finding.rule_id}",
        "AwsAccountId": result.account_id,
        "Region": region,
        "Types": [FINDING_TYPE],
        "CreatedAt": stamp,
        "UpdatedAt": stamp,
        "Severity": {"Label": _LABEL[finding.severity], "Original": finding.severity.value},
        "Title": _cut(finding.title, 256),
        "Description": _cut(finding.detail or finding.title, _TEXT_LIMIT),
        "Remediation": {"Recommendation": remediation},
        "ProductFields": {
            "mfa-auditor/RuleId": finding.rule_id,
            "mfa-auditor/Status": finding.status.value,
            "mfa-auditor/ToolVersion": result.tool_version,
        },
        "Resources": [
            {
                "Type": resource_type(finding),
                "Id": resource_id(finding),
                "Partition": aws_partition,
                "Region": region,
            }
        ],
        "Compliance": {"Status": compliance},
        "Workflow": {"Status": workflow},
        "RecordState": "ACTIVE",
    }
    if facts.requirements:
        document["Compliance"]["RelatedRequirements"] = list(facts.requirements)[:32]
    if finding.group_name:
        document["ProductFields"]["mfa-auditor/Group"] = finding.group_name
    if finding.exemption_reason:
        document["Note"] = {
            "Text": _cut(f"Exempted: {finding.exemption_reason}", 512),
            "UpdatedBy": "mfa-auditor",
            "UpdatedAt": stamp,
        }
    return document


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
