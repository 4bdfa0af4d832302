"""Frozen records of a multi-account run: one outcome per account, and the run as a whole.

A failed account is a record with a reason, never a missing row: the summary lists it, and the
run's ``complete`` flag turns the exit code into "incomplete" (4), so an account whose role was
deleted cannot silently drop out of a weekly audit.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.exit_codes import decide_exit_code
from auditor.models import AuditResult, FindingStatus, PrincipalType, Severity

if TYPE_CHECKING:
    from auditor.reporter.diff import FindingsDiff

FindingsRows = tuple[tuple[str, ...], ...]
"""``findings.csv`` rows: ``FINDINGS_CSV_COLUMNS`` order, cells before neutralising."""


class AccountStatus(str, enum.Enum):
    OK = "ok"
    FAILED = "failed"
    """The role could not be assumed, or collection, analysis or reporting failed."""
    SKIPPED = "skipped"
    """Another target already audited the same account in this run (e.g. two profiles)."""


def _no_counts() -> Mapping[Severity, int]:
    return {severity: 0 for severity in Severity}


def _worst(counts: Mapping[Severity, int]) -> Severity | None:
    """The highest-ranked severity with a non-zero count."""
    return max((s for s, count in counts.items() if count), key=lambda s: s.rank, default=None)


@dataclass(frozen=True)
class AccountOutcome:
    """What happened to one account; the organization summary has one row per outcome."""

    account_id: str
    """``""`` only when a profile target failed before its account could be identified."""
    name: str
    status: AccountStatus
    reason: str = ""
    """Why the account failed or was skipped (one line), or why its audit is incomplete."""
    via: str = ""
    """How the account was reached: the role ARN, ``profile:<name>`` or ``caller credentials``."""
    report_folder: Path | None = None
    report_html: Path | None = None
    findings_csv: Path | None = None
    open_by_severity: Mapping[Severity, int] = field(default_factory=_no_counts)
    """Open (not exempted, not unknown) findings per severity; every severity is a key."""
    exempted_findings: int = 0
    unknown_findings: int = 0
    complete: bool = False
    """The account's audit read everything and evaluated every rule (``False`` when failed)."""
    duration_seconds: float = 0.0
    findings_rows: FindingsRows = ()
    """Every finding of the account as its ``findings.csv`` has it (same order, same cells), so
    ``all-findings.csv`` is built from memory instead of re-reading and re-parsing the files."""
    root_credentials: str = ""
    """What the account's root holds (``password, access keys, MFA``, ``none``, ``unknown …``),
    from the credential report already read, or from a root session (``--audit-member-roots``)."""
    identity_center_privileged: int | None = None
    """Identity Center users holding a privileged permission set in this account (``None``:
    Identity Center was not read for it)."""

    @property
    def open_findings(self) -> int:
        return sum(self.open_by_severity.values())

    @property
    def worst_open_severity(self) -> Severity | None:
        return _worst(self.open_by_severity)

    @property
    def label(self) -> str:
        """The account id with its name, for progress lines and messages."""
        if self.account_id and self.name and self.name != self.account_id:
            return f"{self.account_id} ({self.name})"
        return self.account_id or self.name or "<unknown account>"


def outcome_from_result(
    result: AuditResult,
    *,
    name: str,
    via: str,
    report_folder: Path | None,
    report_html: Path | None,
    findings_csv: Path | None,
    duration_seconds: float,
    diff: FindingsDiff | None = None,
    root_credentials: str = "",
) -> AccountOutcome:
    """Summarise one account's ``AuditResult`` into counts the summary ranks by.

    An UNKNOWN finding makes the account incomplete, as it does the single-account exit code:
    a rule that could not be evaluated is not a pass. ``diff`` is the comparison the account's
    ``findings.csv`` was written with (its ``diff_status`` column), ``None`` when it had no
    baseline.
    """
    counts = dict(_no_counts())
    exempted = unknown = 0
    for finding in result.findings:
        if finding.status is FindingStatus.OPEN:
            counts[finding.severity] += 1
        elif finding.status is FindingStatus.EXEMPTED:
            exempted += 1
        else:
            unknown += 1
    complete = result.complete and unknown == 0
    reasons = [f"{gap.source}: {gap.reason}" for gap in result.gaps]
    skipped = [o.rule_id for o in result.rule_outcomes if not o.evaluated]
    if skipped:
        reasons.append(f"rules not evaluated: {', '.join(skipped)}")
    if unknown:
        reasons.append(f"{unknown} finding(s) unknown")
    return AccountOutcome(
        account_id=result.account_id,
        name=name or result.account_alias or "",
        status=AccountStatus.OK,
        reason=" ".join("; ".join(reasons).split()),
        via=via,
        report_folder=report_folder,
        report_html=report_html,
        findings_csv=findings_csv,
        open_by_severity=counts,
        exempted_findings=exempted,
        unknown_findings=unknown,
        complete=complete,
        duration_seconds=duration_seconds,
        findings_rows=findings_csv_rows(result, diff),
        root_credentials=root_credentials,
        identity_center_privileged=identity_center_privileged(result),
    )


def identity_center_privileged(result: AuditResult) -> int | None:
    """Privileged Identity Center users in the account's rows; ``None`` when it has no Identity
    Center user at all (not read, skipped, no instance, or nobody assigned there)."""
    rows = [r for r in result.principals if r.principal_type is PrincipalType.IDENTITY_CENTER_USER]
    return sum(1 for r in rows if r.privileged) if rows else None


def findings_csv_rows(result: AuditResult, diff: FindingsDiff | None = None) -> FindingsRows:
    """``result``'s ``findings.csv`` rows, built by the reporter's own row builder.

    Imported on call: the reporter needs pandas, which the records here do not.
    """
    from auditor.reporter.csv_report import findings_rows
    from auditor.reporter.report_data import ReportData

    data = ReportData.build(result, result.collected_at, diff)
    return tuple(
        tuple("" if cell is None else str(cell) for cell in row) for row in findings_rows(data)
    )


def severity_vector(outcome: AccountOutcome) -> tuple[int, ...]:
    """Open counts from the worst severity down: comparing vectors ranks accounts."""
    ordered = sorted(Severity, key=lambda s: s.rank, reverse=True)
    return tuple(outcome.open_by_severity.get(s, 0) for s in ordered)


@dataclass(frozen=True)
class OrgRunResult:
    """Every account's outcome, in target order, plus when the run happened."""

    outcomes: tuple[AccountOutcome, ...]
    started_at: datetime
    duration_seconds: float
    reports_root: Path

    @property
    def audited(self) -> tuple[AccountOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is AccountStatus.OK)

    @property
    def failed(self) -> tuple[AccountOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is AccountStatus.FAILED)

    @property
    def complete(self) -> bool:
        """``False`` when any account failed or any audited account's data was incomplete."""
        if not self.outcomes:
            return False
        return not self.failed and all(o.complete for o in self.audited)

    @property
    def open_by_severity(self) -> Mapping[Severity, int]:
        totals = dict(_no_counts())
        for outcome in self.audited:
            for severity, count in outcome.open_by_severity.items():
                totals[severity] += count
        return totals

    @property
    def open_findings(self) -> int:
        return sum(self.open_by_severity.values())

    @property
    def worst_open_severity(self) -> Severity | None:
        return _worst(self.open_by_severity)

    def exit_code(self, fail_on: Severity | None) -> int:
        """The single-account policy (``auditor.exit_codes``) over the whole run: a failed or
        incomplete account makes the run incomplete."""
        return decide_exit_code(
            complete=self.complete, worst_open=self.worst_open_severity, fail_on=fail_on
        )

    def ranked(self) -> tuple[AccountOutcome, ...]:
        """Audited accounts, worst first: by open counts from critical down, then by id."""
        return tuple(
            sorted(
                self.audited,
                key=lambda o: (tuple(-n for n in severity_vector(o)), o.account_id),
            )
        )
