"""Run-to-run comparison: which findings are new, changed, unchanged, resolved or not re-checked.

Findings are matched by ``Finding.key`` (account, rule, principal ARN, group). A matched finding
is *unchanged* only when its status and severity are the baseline's too; otherwise it is
*changed*, and ``previous`` keeps the baseline's finding so reports can say "was open". An open
finding that became ``unknown`` (its data could not be read this time) is the case that matters:
calling it unchanged would hide that it was not re-checked.

A baseline finding missing from this run counts as *resolved* only when its rule was evaluated
this run: a rule that could not run (missing permission, unreadable data) produces no findings,
and calling its old findings resolved would be a false all-clear. Those are listed as *not
re-checked* instead.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from auditor.errors import InputError
from auditor.models import AuditResult, Finding
from auditor.reporter.findings_file import FindingsFile

FindingKey = tuple[str, str, str, str]


class DiffStatus(str, enum.Enum):
    NEW = "new"
    CHANGED = "changed"
    """In the baseline too, with another status or severity (e.g. open → unknown)."""
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FindingsDiff:
    baseline: FindingsFile
    statuses: Mapping[FindingKey, DiffStatus]
    resolved: tuple[Finding, ...]
    not_rechecked: tuple[Finding, ...]
    """In the baseline, absent now, and their rule was not evaluated this run."""
    previous: Mapping[FindingKey, Finding]
    """The baseline's finding for every key now ``changed``."""
    counts: Mapping[DiffStatus, int]
    """Findings of this run per status (each finding counted, as the tables list them)."""

    def status_of(self, finding: Finding) -> DiffStatus:
        return self.statuses[finding.key]

    def previous_of(self, finding: Finding) -> Finding | None:
        """The baseline's version of a ``changed`` finding; ``None`` for the others."""
        return self.previous.get(finding.key)

    def count(self, status: DiffStatus) -> int:
        """The one count every output uses (HTML tiles, ``findings.json``)."""
        return self.counts.get(status, 0)


def _same(before: Finding, now: Finding) -> bool:
    return before.status is now.status and before.severity is now.severity


def compare(result: AuditResult, baseline: FindingsFile) -> FindingsDiff:
    """Diff ``result`` against ``baseline``; refuses a baseline from another account."""
    if baseline.account_id != result.account_id:
        raise InputError(
            f"{baseline.path}: baseline is for account {baseline.account_id}, "
            f"this run is for account {result.account_id}",
            hint="pass a findings.json from an earlier run of the same account",
        )
    before: dict[FindingKey, Finding] = {}
    for finding in baseline.findings:
        before.setdefault(finding.key, finding)
    statuses: dict[FindingKey, DiffStatus] = {}
    previous: dict[FindingKey, Finding] = {}
    for finding in result.findings:
        if finding.key in statuses:
            continue
        old = before.get(finding.key)
        if old is None:
            statuses[finding.key] = DiffStatus.NEW
        elif _same(old, finding):
            statuses[finding.key] = DiffStatus.UNCHANGED
        else:
            statuses[finding.key] = DiffStatus.CHANGED
            previous[finding.key] = old
    evaluated = {outcome.rule_id for outcome in result.rule_outcomes if outcome.rechecked}
    resolved: list[Finding] = []
    not_rechecked: list[Finding] = []
    for key, finding in before.items():
        if key not in statuses:
            (resolved if finding.rule_id in evaluated else not_rechecked).append(finding)
    return FindingsDiff(
        baseline=baseline,
        statuses=statuses,
        resolved=tuple(resolved),
        not_rechecked=tuple(not_rechecked),
        previous=previous,
        counts=Counter(statuses[finding.key] for finding in result.findings),
    )
