"""The HTML report's view model: header, completeness, summary figures, chart and cards.

Everything here is plain data computed in Python, so the template only lays it out and the
numbers can be tested without a browser. Large tables (findings, users, groups) are not here:
they travel as embedded JSON (``html_data``) and are paginated in the page.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from auditor.models import (
    AuditResult,
    FindingStatus,
    MfaEnforcement,
    PrincipalCard,
    PrincipalType,
    Severity,
    UserSummary,
)
from auditor.reporter.diff import DiffStatus
from auditor.reporter.enforcement import ENFORCEMENT_LABELS, WORST_FIRST, role_gates
from auditor.reporter.report_data import ReportData
from auditor.reporter.values import duration, human_time

MEMBER_LIMIT = 100
"""Members listed per card; a 5,000-member group lists those without MFA first, then a count."""


@dataclass(frozen=True)
class Split:
    """A population split by MFA: with, without, unknown."""

    label: str
    with_mfa: int
    without_mfa: int
    unknown: int

    @property
    def total(self) -> int:
        return self.with_mfa + self.without_mfa + self.unknown

    @property
    def percent_with(self) -> str:
        return "n/a" if not self.total else f"{100 * self.with_mfa / self.total:.0f} %"

    def widths(self, scale: int) -> tuple[int, int, int]:
        """Bar segment widths (SVG units) for with / without / unknown."""
        if not self.total:
            return (0, 0, 0)
        first = round(scale * self.with_mfa / self.total)
        second = round(scale * self.without_mfa / self.total)
        return (first, second, max(0, scale - first - second) if self.unknown else 0)


def split(label: str, users: list[UserSummary]) -> Split:
    return Split(
        label=label,
        with_mfa=sum(1 for user in users if user.mfa_active is True),
        without_mfa=sum(1 for user in users if user.mfa_active is False),
        unknown=sum(1 for user in users if user.mfa_active is None),
    )


@dataclass(frozen=True)
class SeverityRow:
    severity: str
    open: int
    unknown: int
    exempted: int
    bar_open: int
    """Chart bar lengths in SVG units (the longest bar is ``BAR_SCALE``)."""
    bar_unknown: int


BAR_SCALE = 280


def severity_table(data: ReportData) -> list[SeverityRow]:
    open_, unknown, exempted = FindingStatus.OPEN, FindingStatus.UNKNOWN, FindingStatus.EXEMPTED
    widest = max(
        (data.count(open_, severity) + data.count(unknown, severity) for severity in Severity),
        default=0,
    )
    scale = BAR_SCALE / (widest or 1)
    return [
        SeverityRow(
            severity=severity.value,
            open=data.count(open_, severity),
            unknown=data.count(unknown, severity),
            exempted=data.count(exempted, severity),
            bar_open=round(scale * data.count(open_, severity)),
            bar_unknown=round(scale * data.count(unknown, severity)),
        )
        for severity in Severity
    ]


def summary(data: ReportData) -> dict[str, Any]:
    """Tiles, chart and lists. The MFA-device splits count IAM *users*; the enforcement list
    counts *cards* (groups, users and roles holding privileged policies): two populations, so
    each says which it counts and the card total is broken down by type."""
    users = list(data.users)
    console = [user for user in users if user.password_enabled is True]
    privileged = [user for user in users if user.privileged]
    by_enforcement = Counter(card.mfa_enforcement for card in data.result.cards)
    by_type = Counter(card.principal_type.value for card in data.result.cards)
    return {
        "exposed": sum(1 for row in data.result.principals if row.exposed),
        "principal_count": len(data.result.principals),
        "card_count": len(data.result.cards),
        "cards_by_type": [
            f"{by_type[kind]} {kind}{'s' if by_type[kind] != 1 else ''}"
            for kind in ("group", "user", "role")
            if by_type[kind]
        ],
        "severities": severity_table(data),
        "open": data.count(FindingStatus.OPEN),
        "unknown": data.count(FindingStatus.UNKNOWN),
        "exempted": data.count(FindingStatus.EXEMPTED),
        "splits": [
            split("IAM users with a console password and an MFA device", console),
            split("Privileged IAM users with an MFA device", privileged),
        ],
        "user_count": len(users),
        "enforcement": [
            {
                "value": level.value,
                "label": ENFORCEMENT_LABELS[level],
                "count": by_enforcement[level],
            }
            for level in WORST_FIRST
            if level is not MfaEnforcement.NOT_APPLICABLE
        ],
    }


def header(data: ReportData) -> dict[str, Any]:
    result = data.result
    report_time = result.credential_report_generated_at
    age = (
        None
        if report_time is None
        else duration((result.collected_at - report_time).total_seconds())
    )
    return {
        "account_id": result.account_id,
        "alias": result.account_alias,
        "collected_at": human_time(result.collected_at),
        "credential_report_at": None if report_time is None else human_time(report_time),
        "credential_report_age": age,
        "tool_version": result.tool_version,
        "source": result.source,
        "generated_at": human_time(data.generated_at),
    }


def changes(data: ReportData) -> dict[str, int]:
    """The change tiles, from ``FindingsDiff.count`` (the counts ``findings.json`` writes), and
    how many changed findings are now ``unknown``: no longer checked, not fixed."""
    diff = data.diff
    if diff is None:
        return {}
    now_unknown = 0
    for finding in data.findings:
        before = diff.previous_of(finding)
        if finding.status is FindingStatus.UNKNOWN and before is not None:
            now_unknown += before.status is not FindingStatus.UNKNOWN
    new, changed = diff.count(DiffStatus.NEW), diff.count(DiffStatus.CHANGED)
    return {
        "any": int(bool(new or changed or diff.resolved or diff.not_rechecked)),
        "new": diff.count(DiffStatus.NEW),
        "changed": diff.count(DiffStatus.CHANGED),
        "now_unknown": now_unknown,
        "unchanged": diff.count(DiffStatus.UNCHANGED),
    }


def completeness(result: AuditResult) -> dict[str, Any]:
    return {
        "complete": result.complete,
        "gaps": list(result.verdict_gaps),
        "context_gaps": list(result.context_gaps),
        "unevaluated": [outcome for outcome in result.rule_outcomes if not outcome.evaluated],
    }


def pretty_json(text: str) -> str:
    """Indent a statement for reading; text that is not JSON is shown exactly as given."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def card_view(
    index: int, card: PrincipalCard, open_findings: int, paths: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``paths``: the access paths of the card's principal (``PrincipalRow.paths``)."""
    order = {False: 0, None: 1, True: 2}
    members = sorted(card.members, key=lambda member: (order[member[1]], member[0]))
    return {
        "anchor": f"card-{index}",
        "type": card.principal_type.value,
        "name": card.name,
        "arn": card.arn,
        "enforcement": card.mfa_enforcement.value,
        "enforcement_label": ENFORCEMENT_LABELS[card.mfa_enforcement],
        "gates": role_gates(card),
        "policies": card.policies,
        "actions": card.privileged_actions_sample,
        "members": members[:MEMBER_LIMIT],
        "member_count": len(members),
        "members_hidden": max(0, len(members) - MEMBER_LIMIT),
        "members_without_mfa": sum(1 for _, mfa in members if mfa is False),
        "members_unknown": sum(1 for _, mfa in members if mfa is None),
        "statements": [
            {
                "policy_name": s.policy_name,
                "statement_id": s.statement_id,
                "effect": s.effect,
                "json": pretty_json(s.statement_json),
                "why": s.why,
            }
            for s in card.deciding_statements
        ],
        "remediation_json": pretty_json(card.remediation_policy_json)
        if card.remediation_policy_json
        else "",
        "open_findings": open_findings,
        "paths": paths,
    }


def ranked_cards(result: AuditResult) -> list[PrincipalCard]:
    """Worst enforcement first, then by type and name; the index is the card's anchor."""
    return sorted(
        result.cards,
        key=lambda card: (-card.mfa_enforcement.rank, card.principal_type.value, card.name),
    )


def cards(data: ReportData) -> list[dict[str, Any]]:
    """One view per card, with the count of its findings that are not exempted.

    A group card counts the findings naming it as the privileging group, as well as its own.
    """
    by_arn = Counter[str]()
    by_group = Counter[str]()
    for finding in data.findings:
        if finding.status is FindingStatus.EXEMPTED:
            continue
        by_arn[finding.principal_arn] += 1
        if finding.group_name and finding.principal_type is not PrincipalType.GROUP:
            by_group[finding.group_name] += 1
    paths = {
        row.arn: tuple(path.description for path in row.paths) for row in data.result.principals
    }
    views = []
    for index, card in enumerate(ranked_cards(data.result)):
        count = by_arn[card.arn]
        if card.principal_type is PrincipalType.GROUP:
            count += by_group[card.name]
        views.append(card_view(index, card, count, paths.get(card.arn, ())))
    return views
