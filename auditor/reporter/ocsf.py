"""``findings.ocsf.json``: every finding as an OCSF 1.5 Detection Finding (class_uid 2004).

OCSF is what data lakes (Amazon Security Lake, SIEMs) ingest, and Prowler's default JSON. The
mapping follows Prowler's JSON-OCSF output so both tools' findings land in the same columns:
``finding_info.uid`` the stable id, ``metadata.event_code`` the rule id, ``status_code`` FAIL,
``status`` New (or Suppressed when exempted), ``resources[]`` the principal, ``cloud.account``
the audited account, ``unmapped.compliance`` the benchmark controls. Findings whose rule could
not be evaluated carry ``status_code`` UNKNOWN (never PASS). Schema: schema.ocsf.io,
class "Detection Finding".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from auditor.analyzer.spec import RuleSpec
from auditor.models import AuditResult, Finding, FindingStatus, Severity
from auditor.reporter.interchange import (
    PRODUCT_NAME,
    finding_uid,
    partition,
    resource_id,
    resource_type,
    rule_facts,
)
from auditor.reporter.values import iso
from auditor.timeutil import as_utc

OCSF_VERSION = "1.5.0"
DETECTION_FINDING = 2004
FINDINGS_CATEGORY = 2
ACTIVITY_CREATE = 1
AWS_ACCOUNT_TYPE_ID = 10

_SEVERITY = {
    Severity.INFO: (1, "Informational"),
    Severity.LOW: (2, "Low"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.HIGH: (4, "High"),
    Severity.CRITICAL: (5, "Critical"),
}
_STATUS = {
    FindingStatus.OPEN: (1, "New", "FAIL"),
    FindingStatus.EXEMPTED: (3, "Suppressed", "FAIL"),
    FindingStatus.UNKNOWN: (1, "New", "UNKNOWN"),
}


def ocsf_findings(
    result: AuditResult, *, generated_at: datetime, rules: Mapping[str, RuleSpec]
) -> list[dict[str, Any]]:
    """The OCSF Detection Finding objects of one run, in the run's finding order."""
    return [_finding(result, f, generated_at, rules) for f in result.findings]


def _finding(
    result: AuditResult, finding: Finding, when: datetime, rules: Mapping[str, RuleSpec]
) -> dict[str, Any]:
    severity_id, severity = _SEVERITY[finding.severity]
    status_id, status, status_code = _STATUS[finding.status]
    facts = rule_facts(rules, finding.rule_id)
    seconds = int(as_utc(when).timestamp())
    stamp = iso(when)
    document: dict[str, Any] = {
        "message": finding.detail,
        "metadata": {
            "event_code": finding.rule_id,
            "product": {
                "uid": PRODUCT_NAME,
                "name": PRODUCT_NAME,
                "vendor_name": PRODUCT_NAME,
                "version": result.tool_version,
            },
            "profiles": ["cloud", "datetime"],
            "version": OCSF_VERSION,
        },
        "severity_id": severity_id,
        "severity": severity,
        "status": status,
        "status_code": status_code,
        "status_detail": finding.detail,
        "status_id": status_id,
        "unmapped": {
            "compliance": list(facts.requirements),
            "evidence": dict(finding.evidence),
            "group_name": finding.group_name,
            "exemption": {
                "reason": finding.exemption_reason,
                "expires": finding.exemption_expires,
                "ticket": finding.exemption_ticket,
            },
        },
        "activity_name": "Create",
        "activity_id": ACTIVITY_CREATE,
        "finding_info": {
            "created_time": seconds,
            "created_time_dt": stamp,
            "desc": facts.rationale or finding.title,
            "title": finding.title,
            "types": [finding.rule_id],
            "uid": finding_uid(finding),
        },
        "resources": [
            {
                "cloud_partition": partition(finding),
                "group": {"name": "iam"},
                "name": finding.principal_name,
                "type": resource_type(finding),
                "uid": resource_id(finding),
            }
        ],
        "category_name": "Findings",
        "category_uid": FINDINGS_CATEGORY,
        "class_name": "Detection Finding",
        "class_uid": DETECTION_FINDING,
        "cloud": {
            "account": {
                "name": result.account_alias or result.account_id,
                "type": "AWS Account",
                "type_id": AWS_ACCOUNT_TYPE_ID,
                "uid": result.account_id,
            },
            "provider": "aws",
        },
        "remediation": {"desc": finding.remediation, "references": list(facts.urls)},
        "risk_details": facts.rationale,
        "time": seconds,
        "time_dt": stamp,
        "type_uid": DETECTION_FINDING * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
    }
    return document
