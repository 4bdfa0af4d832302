"""Build the ``findings.json`` document (format described in the reporter README).

Findings are written with every ``Finding`` field under its own name, so a newer analyzer field
appears without touching this module, and ``load_findings_json`` reads them back with the same
generic converter the snapshot uses.
"""

from __future__ import annotations

from typing import Any

from auditor.models import Finding, FindingStatus, Severity
from auditor.reporter.diff import DiffStatus
from auditor.reporter.findings_file import FINDINGS_JSON_SCHEMA_VERSION
from auditor.reporter.principals_table import principal_json
from auditor.reporter.report_data import ReportData
from auditor.reporter.values import iso, iso_or_none
from auditor.snapshot_io import to_jsonable


def findings_document(data: ReportData) -> dict[str, Any]:
    result = data.result
    document: dict[str, Any] = {
        "schema_version": FINDINGS_JSON_SCHEMA_VERSION,
        "run": {
            "account_id": result.account_id,
            "account_alias": result.account_alias,
            "source": result.source,
            "collected_at": iso(result.collected_at),
            "credential_report_generated_at": iso_or_none(result.credential_report_generated_at),
            "tool_version": result.tool_version,
            "generated_at": iso(data.generated_at),
            "complete": result.complete,
            "gaps": [to_jsonable(gap) for gap in result.gaps],
            "notes": list(result.notes),
            "counts": _counts(data),
        },
        "findings": [_finding(data, finding) for finding in data.findings],
        "rule_outcomes": [to_jsonable(outcome) for outcome in result.rule_outcomes],
        "principals": [principal_json(row) for row in result.principals],
    }
    if data.diff is not None:
        diff = data.diff
        baseline = diff.baseline
        document["diff"] = {
            "baseline": {
                "account_id": baseline.account_id,
                "collected_at": iso_or_none(baseline.collected_at),
                "generated_at": iso_or_none(baseline.generated_at),
                "tool_version": baseline.tool_version,
            },
            **{status.value: diff.count(status) for status in DiffStatus},
            "resolved": [_plain(finding) for finding in diff.resolved],
            "not_rechecked": [_plain(finding) for finding in diff.not_rechecked],
        }
    return document


def _plain(finding: Finding) -> dict[str, Any]:
    converted: dict[str, Any] = to_jsonable(finding)
    return converted


def _finding(data: ReportData, finding: Finding) -> dict[str, Any]:
    converted = _plain(finding)
    # Always present, as in findings.csv: ``null`` when there is no baseline to compare with.
    converted["diff_status"] = None
    if data.diff is not None:
        converted["diff_status"] = data.diff_status(finding)
        previous = data.diff.previous_of(finding)
        if previous is not None:
            converted["diff_previous"] = {
                "status": previous.status.value,
                "severity": previous.severity.value,
            }
    return converted


def _counts(data: ReportData) -> dict[str, Any]:
    return {
        "total": len(data.findings),
        "by_status": {status.value: data.count(status) for status in FindingStatus},
        "open_by_severity": {
            severity.value: data.count(FindingStatus.OPEN, severity) for severity in Severity
        },
    }
