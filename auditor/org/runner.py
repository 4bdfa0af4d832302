"""Audit many accounts concurrently with bounded workers, isolating each account's failure.

The runner knows nothing about AWS beyond building one shared STS client: the per-account work
is an injectable ``audit_one`` callable (default: ``auditor.org.account.audit_account``), so the
orchestration is tested with fakes and the AWS path with moto. Threads, not processes: the work
is mostly waiting on AWS, and boto3 clients are thread-safe (sessions are not, so each worker
builds its own session and the base session is only touched here, before the pool starts).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3

from auditor.config import AccountTarget, AuditorConfig
from auditor.errors import AuditorError, UsageError
from auditor.mfa_devices import OrganizationFeatures
from auditor.models import AuditResult, Snapshot
from auditor.org.identity_center import IdentityCenterRead
from auditor.org.reasons import failure_reason
from auditor.org.results import AccountOutcome, AccountStatus, OrgRunResult, outcome_from_result
from auditor.org.sessions import sts_client

if TYPE_CHECKING:
    from auditor.reporter.diff import FindingsDiff

Progress = Callable[[str], None]


class AccountAlreadyAudited(AuditorError):
    """Two targets reached the same account; the second is skipped, not audited twice."""


Enrich = Callable[[Snapshot, boto3.Session], Snapshot]
"""``(snapshot, the account's session) -> snapshot``, run after collection in each worker."""


@dataclass(frozen=True)
class AccountJob:
    """Everything one worker needs for one account; ``progress`` is already prefixed."""

    target: AccountTarget
    index: int
    total: int
    config: AuditorConfig
    reports_root: Path
    now: datetime
    endpoint_url: str | None
    region_name: str | None
    base_session: boto3.Session
    """Only for a target with neither role nor profile (the caller's own account)."""
    sts: Any
    """A guarded STS client of the base session, shared by the workers (clients are thread-safe)."""
    progress: Progress
    claim: Callable[[str], None]
    """Call with the account id once known; raises ``AccountAlreadyAudited`` for a repeat."""
    organization_features: OrganizationFeatures | None = None
    """The management account's ``ListOrganizationsFeatures`` answer, applied to member accounts
    (a member account cannot ask itself)."""
    root_sts: Any = None
    """With ``--audit-member-roots``: the regional STS client allowed ``sts:AssumeRoot``."""
    enrich: Enrich | None = None
    """Adds data read outside the account's collection (sign-in evidence) to its snapshot."""
    identity_center: IdentityCenterRead | None = None
    """Identity Center read once for the whole run (``auditor.org.identity_center``); ``None``:
    each account reads its own."""


@dataclass(frozen=True)
class AccountAudit:
    """What ``audit_one`` returns for an account it audited."""

    result: AuditResult
    via: str
    report_folder: Path | None = None
    report_html: Path | None = None
    findings_csv: Path | None = None
    diff: FindingsDiff | None = None
    """The comparison with the account's previous run that its reports were written with; it
    fills the ``diff_status`` column of ``all-findings.csv`` as it does ``findings.csv``."""
    root_credentials: str = ""
    """What root holds (``accounts.csv``'s ``root_credentials``), from ``root_credentials_text``."""


AuditOne = Callable[[AccountJob], AccountAudit]


def audit_accounts(
    base_session: boto3.Session,
    targets: Sequence[AccountTarget],
    config: AuditorConfig,
    *,
    reports_root: Path,
    max_workers: int,
    now: datetime,
    endpoint_url: str | None = None,
    progress: Progress | None = None,
    audit_one: AuditOne | None = None,
    organization_features: OrganizationFeatures | None = None,
    audit_member_roots: bool = False,
    enrich: Enrich | None = None,
    read_identity_center: IdentityCenterRead | None = None,
) -> OrgRunResult:
    """Audit every target with at most ``max_workers`` at once; one outcome per target, in order."""
    if not targets:
        raise UsageError("no accounts to audit")
    if max_workers < 1:
        raise UsageError(
            f"accounts audited at once (--max-workers) must be at least 1, got {max_workers}"
        )
    if audit_one is None:
        from auditor.org.account import audit_account

        audit_one = audit_account
    started = time.monotonic()
    say = _serialised(progress)
    claims: dict[str, str] = {}
    claims_lock = threading.Lock()
    total = len(targets)

    def claimer(label: str) -> Callable[[str], None]:
        def claim(account_id: str) -> None:
            with claims_lock:
                first = claims.setdefault(account_id, label)
            if first != label:
                raise AccountAlreadyAudited(f"same account as {first}; audited once")

        return claim

    sts = sts_client(
        base_session, endpoint_url=endpoint_url, max_attempts=config.collector.max_attempts
    )
    root_sts = None
    if audit_member_roots:
        from auditor.org.root_audit import root_sts_client

        root_sts = root_sts_client(
            base_session, endpoint_url=endpoint_url, max_attempts=config.collector.max_attempts
        )
    shared_ic = read_identity_center
    if shared_ic is None and config.collector.identity_center:
        shared_ic = _read_identity_center(base_session, sts, config, endpoint_url, say)
    jobs = [
        AccountJob(
            target=target,
            index=index,
            total=total,
            config=config,
            reports_root=reports_root,
            now=now,
            endpoint_url=endpoint_url,
            region_name=base_session.region_name,
            base_session=base_session,
            sts=sts,
            progress=_prefixed(say, f"[{index}/{total}] {_label(target)}"),
            claim=claimer(f"{_label(target)} (target {index})"),
            organization_features=organization_features,
            root_sts=root_sts,
            enrich=enrich,
            identity_center=shared_ic,
        )
        for index, target in enumerate(targets, start=1)
    ]
    outcomes: dict[int, AccountOutcome] = {}
    pool = ThreadPoolExecutor(max_workers=min(max_workers, total), thread_name_prefix="account")
    try:
        futures: dict[Future[AccountOutcome], AccountJob] = {
            pool.submit(_run_one, audit_one, job): job for job in jobs
        }
        for finished, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            outcome = future.result()
            outcomes[job.index] = outcome
            job.progress(f"{_describe(outcome)} ({finished}/{total} accounts finished)")
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return OrgRunResult(
        outcomes=tuple(outcomes[job.index] for job in jobs),
        started_at=now,
        duration_seconds=time.monotonic() - started,
        reports_root=reports_root,
    )


def _read_identity_center(
    base_session: boto3.Session,
    sts: Any,
    config: AuditorConfig,
    endpoint_url: str | None,
    say: Progress,
) -> IdentityCenterRead | None:
    """Identity Center read once from the caller's account (management or delegated admin);
    a failure to reach even that account leaves each account to read its own."""
    from auditor.org.identity_center import read_once
    from auditor.org.sessions import caller_account

    try:
        account_id = caller_account(sts)
        return read_once(
            base_session,
            config.collector,
            account_id=account_id,
            endpoint_url=endpoint_url,
            say=lambda line: say(f"[identity center] {line}"),
        )
    except AuditorError as error:
        say(f"[identity center] not read once for the organization ({error}); per account")
        return None


def _run_one(audit_one: AuditOne, job: AccountJob) -> AccountOutcome:
    """Never raises an ``Exception``: whatever goes wrong becomes this account's outcome."""
    started = time.monotonic()
    target = job.target
    via = _via(target)
    try:
        audit = audit_one(job)
        return outcome_from_result(
            audit.result,
            name=target.name,
            via=audit.via,
            report_folder=audit.report_folder,
            report_html=audit.report_html,
            findings_csv=audit.findings_csv,
            duration_seconds=time.monotonic() - started,
            diff=audit.diff,
            root_credentials=audit.root_credentials,
        )
    except AccountAlreadyAudited as error:
        return _unaudited(target, AccountStatus.SKIPPED, failure_reason(error), via, started)
    except Exception as error:  # fail closed per account; the others must still complete
        return _unaudited(target, AccountStatus.FAILED, failure_reason(error), via, started)


def _unaudited(
    target: AccountTarget, status: AccountStatus, reason: str, via: str, started: float
) -> AccountOutcome:
    return AccountOutcome(
        account_id=target.account_id or "",
        name=target.name or target.profile or "",
        status=status,
        reason=reason,
        via=via,
        complete=False,
        duration_seconds=time.monotonic() - started,
    )


def _describe(outcome: AccountOutcome) -> str:
    if outcome.status is AccountStatus.OK:
        text = f"done: {outcome.open_findings} open finding(s)"
        return text if outcome.complete else f"{text}, INCOMPLETE: {outcome.reason}"
    return f"{outcome.status.value.upper()}: {outcome.reason}"


def _via(target: AccountTarget) -> str:
    if target.role_arn:
        return target.role_arn
    if target.profile:
        return f"profile:{target.profile}"
    return "caller credentials"


def _label(target: AccountTarget) -> str:
    return target.account_id or (f"profile {target.profile}" if target.profile else target.name)


def _serialised(progress: Progress | None) -> Progress:
    """One lock around the caller's callback, so lines from workers never interleave."""
    lock = threading.Lock()

    def say(line: str) -> None:
        if progress is None:
            return
        with lock:
            progress(line)

    return say


def _prefixed(say: Progress, prefix: str) -> Progress:
    return lambda line: say(f"{prefix} {line}")
