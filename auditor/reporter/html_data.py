"""The tables the page renders itself, as JSON embedded in ``<script type="application/json">``.

Ten thousand users as DOM rows would make the page unusable, so rows travel as compact arrays
(column names once per table) and the page's script paginates them. The JSON is escaped for the
HTML context: ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes so no account data can
close the script element or start a comment, and U+2028/U+2029 are escaped because older
JavaScript parsers treat them as line ends.
"""

from __future__ import annotations

import json
from typing import Any

from auditor.models import Finding, PrincipalType, Severity
from auditor.reporter.html_view import pretty_json, ranked_cards
from auditor.reporter.report_data import ReportData
from auditor.reporter.values import flag, flag_value, time_value

FINDING_FIELDS = (
    "severity",
    "status",
    "diff",
    "rule",
    "ptype",
    "pname",
    "parn",
    "group",
    "title",
    "detail",
    "remediation",
    "evidence",
    "exReason",
    "exExpires",
    "exTicket",
    "pcard",
    "gcard",
    "diffWas",
)
USER_FIELDS = (
    "name",
    "arn",
    "password",
    "lastUsed",
    "mfa",
    "devices",
    "keys",
    "groups",
    "privileged",
    "via",
    "enforcement",
)
GROUP_FIELDS = (
    "name",
    "arn",
    "privileged",
    "enforcement",
    "memberCount",
    "withoutMfa",
    "policies",
    "gcard",
)

_ESCAPES: dict[str, str] = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON safe to place verbatim inside ``<script type="application/json">``.

    The characters are only ever inside JSON strings (or absent), where ``\\uXXXX`` decodes to
    the same text, so ``JSON.parse`` returns exactly the original data.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # Five str.replace passes run in C; str.translate with a dict calls back per character
    # and took most of this function's time on a 10,000-user page.
    for char, escape in _ESCAPES.items():
        if char in text:
            text = text.replace(char, escape)
    return text


def _finding_row(
    data: ReportData, finding: Finding, cards: dict[str, int], groups: dict[str, int]
) -> list[Any]:
    return [
        finding.severity.value,
        finding.status.value,
        data.diff_status(finding),
        finding.rule_id,
        finding.principal_type.value,
        finding.principal_name,
        finding.principal_arn,
        finding.group_name,
        finding.title,
        finding.detail,
        finding.remediation,
        [[key, value] for key, value in finding.evidence.items()],
        finding.exemption_reason,
        finding.exemption_expires,
        finding.exemption_ticket,
        cards.get(finding.principal_arn, -1),
        groups.get(finding.group_name, -1) if finding.group_name else -1,
        _was(data, finding),
    ]


def _was(data: ReportData, finding: Finding) -> str:
    """``open``, ``high`` or ``open, high``: what a ``changed`` finding was in the baseline."""
    previous = None if data.diff is None else data.diff.previous_of(finding)
    if previous is None:
        return ""
    parts = []
    if previous.status is not finding.status:
        parts.append(previous.status.value)
    if previous.severity is not finding.severity:
        parts.append(previous.severity.value)
    return ", ".join(parts)


def by_exposure(data: ReportData) -> list[Finding]:
    """The findings table's order: the analyzer's severity groups (worst first), then the
    principal's exposure (``PrincipalRow.exposure``; a group's is its most exposed member's),
    then the analyzer's order. Within a severity a reviewer fixes the admin with no MFA device
    before the user whose keys bypass a condition, so rule ids must not decide which is first."""
    exposure = {row.arn: row.exposure for row in data.result.principals}
    users = {
        row.name: row.exposure
        for row in data.result.principals
        if row.principal_type is PrincipalType.USER
    }
    for group in data.groups:
        exposure.setdefault(group.arn, max((users.get(m, 0) for m in group.members), default=0))
    order = {id(finding): index for index, finding in enumerate(data.findings)}
    first: dict[Severity, int] = {}
    for index, finding in enumerate(data.findings):
        first.setdefault(finding.severity, index)
    return sorted(
        data.findings,
        key=lambda f: (first[f.severity], -exposure.get(f.principal_arn, 0), order[id(f)]),
    )


def page_data(data: ReportData) -> dict[str, Any]:
    """Everything the page's script needs; field lists are sent once per table."""
    ranked = ranked_cards(data.result)
    cards = {card.arn: index for index, card in enumerate(ranked)}
    group_cards = {
        card.name: index
        for index, card in enumerate(ranked)
        if card.principal_type is PrincipalType.GROUP
    }
    diff = data.diff
    previous = (
        []
        if diff is None
        else [
            *((finding, "resolved") for finding in diff.resolved),
            *((finding, "not re-checked") for finding in diff.not_rechecked),
        ]
    )
    return {
        "hasDiff": diff is not None,
        "remediations": {
            f"card-{index}-fix": pretty_json(card.remediation_policy_json)
            for index, card in enumerate(ranked)
            if card.remediation_policy_json
        },
        "findings": {
            "fields": FINDING_FIELDS,
            "rows": [_finding_row(data, f, cards, group_cards) for f in by_exposure(data)],
        },
        "users": {
            "fields": USER_FIELDS,
            "rows": [
                [
                    user.name,
                    user.arn,
                    flag_value(user.password_enabled),
                    time_value(user.password_last_used),
                    flag(user.mfa_active),
                    [kind.value for kind in user.mfa_device_types],
                    user.active_access_keys,
                    list(user.groups),
                    user.privileged,
                    list(user.privileged_via),
                    user.mfa_enforcement.value,
                ]
                for user in data.users
            ],
        },
        "groups": {
            "fields": GROUP_FIELDS,
            "rows": [
                [
                    group.name,
                    group.arn,
                    group.privileged,
                    group.mfa_enforcement.value,
                    len(group.members),
                    list(group.members_without_mfa),
                    list(group.policies),
                    group_cards.get(group.name, -1),
                ]
                for group in data.groups
            ],
        },
        "previous": {
            "fields": ("severity", "change", "rule", "ptype", "pname", "parn", "group", "title"),
            "rows": [
                [
                    f.severity.value,
                    change,
                    f.rule_id,
                    f.principal_type.value,
                    f.principal_name,
                    f.principal_arn,
                    f.group_name,
                    f.title,
                ]
                for f, change in previous
            ],
        },
    }
