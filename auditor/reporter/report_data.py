"""What every writer starts from: the result, its findings in report order, and the diff.

Computing the order and the diff once keeps ``findings.csv``, ``findings.json`` and the HTML
table in agreement row for row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from auditor.models import AuditResult, Finding, FindingStatus, GroupSummary, UserSummary
from auditor.reporter.diff import FindingsDiff

_STATUS_ORDER = {FindingStatus.OPEN: 0, FindingStatus.UNKNOWN: 1, FindingStatus.EXEMPTED: 2}


def finding_order(finding: Finding) -> tuple[int, int, str, str, str, str, str]:
    """Worst first, then open before unknown before exempted, then by rule and principal."""
    return (
        -finding.severity.rank,
        _STATUS_ORDER[finding.status],
        finding.rule_id,
        finding.principal_type.value,
        finding.principal_name,
        finding.principal_arn,
        finding.group_name,
    )


def ordered(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=finding_order))


@dataclass(frozen=True)
class ReportData:
    result: AuditResult
    generated_at: datetime
    findings: tuple[Finding, ...]
    """``result.findings`` in report order (``finding_order``)."""
    users: tuple[UserSummary, ...]
    """By name, so two runs over the same account give identical files."""
    groups: tuple[GroupSummary, ...]
    diff: FindingsDiff | None = None

    @classmethod
    def build(
        cls, result: AuditResult, generated_at: datetime, diff: FindingsDiff | None = None
    ) -> ReportData:
        return cls(
            result=result,
            generated_at=generated_at,
            findings=ordered(result.findings),
            users=tuple(sorted(result.users, key=lambda user: (user.name, user.arn))),
            groups=tuple(sorted(result.groups, key=lambda group: (group.name, group.arn))),
            diff=diff,
        )

    def diff_status(self, finding: Finding) -> str:
        """``new``/``unchanged``, or ``""`` when there is no baseline."""
        return "" if self.diff is None else self.diff.status_of(finding).value
