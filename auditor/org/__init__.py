"""Audit a whole AWS Organization (or a list of profiles) in one run (issue 6).

``discover_accounts`` / ``targets_from_profiles`` choose the accounts, ``audit_accounts`` audits
them concurrently with failures isolated per account, and ``auditor.reporter.org`` writes the
organization summary from the resulting ``OrgRunResult``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from auditor.org.discovery import choose_targets, discover_accounts, targets_from_profiles
from auditor.org.results import AccountOutcome, AccountStatus, OrgRunResult
from auditor.org.runner import AccountAudit, AccountJob, AuditOne, audit_accounts

__all__ = [
    "AccountAudit",
    "AccountJob",
    "AccountOutcome",
    "AccountStatus",
    "AuditOne",
    "OrgRunResult",
    "audit_accounts",
    "choose_targets",
    "discover_accounts",
    "targets_from_profiles",
    "write_org_summary",
]


def write_org_summary(result: OrgRunResult, folder: Path, *, generated_at: datetime) -> list[Path]:
    """The organization summary (see ``auditor.reporter.org``), re-exported for the CLI.

    Imported on call: the reporter imports this package's records, so a top-level import here
    would be circular.
    """
    from auditor.reporter.org import write_org_summary as write

    return write(result, folder, generated_at=generated_at)
