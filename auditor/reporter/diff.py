"""Run-to-run comparison: which findings are new, which remain, which were resolved.

Findings are matched by ``Finding.key`` (account, rule, principal ARN, group). A baseline finding
missing from this run counts as *resolved* only when its rule was evaluated this run: a rule that
could not run (missing permission, unreadable data) produces no findings, and calling its old
findings resolved would be a false all-clear. Those are listed as *not re-checked* instead.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from auditor.errors import InputError
from auditor.models import AuditResult, Finding
from auditor.reporter.findings_file import FindingsFile

FindingKey = tuple[str, str, str, str]


class DiffStatus(str, enum.Enum):
    NEW = "new"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FindingsDiff:
    baseline: FindingsFile
    statuses: Mapping[FindingKey, DiffStatus]
    resolved: tuple[Finding, ...]
    not_rechecked: tuple[Finding, ...]
    """In the baseline, absent now, and their rule was not evaluated this run."""

    def status_of(self, finding: Finding) -> DiffStatus:
        return self.statuses[finding.key]

    def count(self, status: DiffStatus) -> int:
        return sum(1 for value in self.statuses.values() if value is status)


def compare(result: AuditResult, baseline: FindingsFile) -> FindingsDiff:
    """Diff ``result`` against ``baseline``; refuses a baseline from another account."""
    if baseline.account_id != result.account_id:
        raise InputError(
            f"{baseline.path}: baseline is for account {baseline.account_id}, "
            f"this run is for account {result.account_id}",
            hint="pass a findings.json from an earlier run of the same account",
        )
    previous = {finding.key for finding in baseline.findings}
    current = {finding.key for finding in result.findings}
    statuses = {key: DiffStatus.UNCHANGED if key in previous else DiffStatus.NEW for key in current}
    evaluated = {outcome.rule_id for outcome in result.rule_outcomes if outcome.evaluated}
    resolved: list[Finding] = []
    not_rechecked: list[Finding] = []
    seen: set[FindingKey] = set()
    for finding in baseline.findings:
        if finding.key in current or finding.key in seen:
            continue
        seen.add(finding.key)
        (resolved if finding.rule_id in evaluated else not_rechecked).append(finding)
    return FindingsDiff(
        baseline=baseline,
        statuses=statuses,
        resolved=tuple(resolved),
        not_rechecked=tuple(not_rechecked),
    )
