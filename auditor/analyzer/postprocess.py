"""After the rules: exemptions, then a deterministic order.

Exempted findings stay in the output, marked with the reason, expiry and ticket, so a reviewer
sees what was accepted and by when. ``unknown`` findings are never exempted: an exemption
accepts a known risk, not missing data. Findings about the exemptions list itself are not
exemptible either, so an exemption cannot hide its own expiry.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterable
from datetime import datetime

from auditor.analyzer.rule_ids import EXEMPTION_RULE_IDS
from auditor.config import Exemption
from auditor.models import Finding, FindingStatus


def apply_exemptions(
    findings: Iterable[Finding], exemptions: Iterable[Exemption], now: datetime
) -> list[Finding]:
    """Mark findings matched by a current exemption; expired exemptions match nothing."""
    today = now.date()
    current = [e for e in exemptions if e.expires >= today]
    result: list[Finding] = []
    for finding in findings:
        match = None
        if finding.status is FindingStatus.OPEN and finding.rule_id not in EXEMPTION_RULE_IDS:
            match = next((e for e in current if matches(e, finding)), None)
        if match is None:
            result.append(finding)
            continue
        result.append(
            dataclasses.replace(
                finding,
                status=FindingStatus.EXEMPTED,
                exemption_reason=match.reason,
                exemption_expires=match.expires.isoformat(),
                exemption_ticket=match.ticket,
            )
        )
    return result


def matches(exemption: Exemption, finding: Finding) -> bool:
    """Same rule id, and the principal's name or ARN matches the (case-sensitive) glob."""
    if exemption.rule_id != finding.rule_id:
        return False
    pattern = exemption.principal
    return fnmatch.fnmatchcase(finding.principal_name, pattern) or fnmatch.fnmatchcase(
        finding.principal_arn, pattern
    )


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Severity (worst first), rule id, principal, then group and ARN to break ties."""
    return tuple(
        sorted(
            findings,
            key=lambda f: (
                -f.severity.rank,
                f.rule_id,
                f.principal_name,
                f.group_name,
                f.principal_arn,
                f.detail,
            ),
        )
    )
