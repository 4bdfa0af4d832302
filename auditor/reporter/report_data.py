"""What every writer starts from: the result, its findings in report order, and the diff.

The findings keep the analyzer's order (``auditor.analyzer.postprocess.sort_findings``: severity,
worst first, then rule id, principal name, group and ARN); re-sorting here by other keys gave the
files an order the analyzer's own output did not have. Users and groups are sorted by name, and
the diff is computed once, so ``findings.csv``, ``findings.json`` and the HTML table agree row
for row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from auditor.models import (
    AuditResult,
    Finding,
    FindingStatus,
    GroupSummary,
    Severity,
    UserSummary,
)
from auditor.reporter.diff import FindingsDiff


@dataclass(frozen=True)
class ReportData:
    result: AuditResult
    generated_at: datetime
    findings: tuple[Finding, ...]
    """``result.findings`` as the analyzer ordered them."""
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
            findings=tuple(result.findings),
            users=tuple(sorted(result.users, key=lambda user: (user.name, user.arn))),
            groups=tuple(sorted(result.groups, key=lambda group: (group.name, group.arn))),
            diff=diff,
        )

    @cached_property
    def _tally(self) -> Counter[tuple[Severity, FindingStatus]]:
        return Counter((finding.severity, finding.status) for finding in self.findings)

    def count(self, status: FindingStatus, severity: Severity | None = None) -> int:
        """Findings with ``status`` (and ``severity`` when given): the one tally behind the
        ``findings.json`` counts and the HTML summary tiles and chart."""
        if severity is not None:
            return self._tally[(severity, status)]
        return sum(self._tally[(each, status)] for each in Severity)

    def diff_status(self, finding: Finding) -> str:
        """``new``/``changed``/``unchanged``, or ``""`` when there is no baseline."""
        return "" if self.diff is None else self.diff.status_of(finding).value
