"""audit_accounts: bounded concurrency, per-account failure isolation, ordering, completeness."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import boto3
import pytest

from auditor.config import AccountTarget, AuditorConfig
from auditor.errors import AccessDeniedError, CollectionError, UsageError
from auditor.models import CollectionGap, FindingStatus, RuleOutcome, Severity
from auditor.org import (
    AccountAudit,
    AccountJob,
    AccountStatus,
    AuditOne,
    OrgRunResult,
    audit_accounts,
)
from tests.org.helpers import NOW, audit_result, finding

IDS = ["111111111111", "222222222222", "333333333333", "444444444444"]


def targets(ids: list[str] = IDS) -> list[AccountTarget]:
    return [
        AccountTarget(account_id=i, role_arn=f"arn:aws:iam::{i}:role/Audit", name=f"acct-{i[:3]}")
        for i in ids
    ]


def run(
    session: boto3.Session,
    root: Path,
    audit_one: AuditOne,
    *,
    workers: int = 2,
    ids: list[str] = IDS,
    progress: Callable[[str], None] | None = None,
) -> OrgRunResult:
    return audit_accounts(
        session,
        targets(ids),
        AuditorConfig(),
        reports_root=root,
        max_workers=workers,
        now=NOW,
        progress=progress,
        audit_one=audit_one,
    )


def ok_audit(job: AccountJob) -> AccountAudit:
    account = job.target.account_id or ""
    job.claim(account)
    severities = {
        "111111111111": [Severity.HIGH],
        "222222222222": [Severity.CRITICAL, Severity.LOW, Severity.LOW],
        "333333333333": [],
        "444444444444": [Severity.MEDIUM],
    }[account]
    findings = [finding(account, s) for s in severities]
    findings.append(finding(account, Severity.HIGH, FindingStatus.EXEMPTED, name="svc"))
    return AccountAudit(result=audit_result(account, findings), via=job.target.role_arn or "")


def test_every_account_gets_an_outcome_in_target_order_with_counts(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    result = run(offline_session, reports_root, ok_audit)
    assert [o.account_id for o in result.outcomes] == IDS
    assert all(o.status is AccountStatus.OK for o in result.outcomes)
    second = result.outcomes[1]
    assert second.open_by_severity[Severity.CRITICAL] == 1
    assert second.open_by_severity[Severity.LOW] == 2
    assert second.open_findings == 3
    assert second.exempted_findings == 1
    assert second.name == "acct-222"
    assert result.complete is True
    assert result.worst_open_severity is Severity.CRITICAL
    assert result.open_findings == 5
    assert [o.account_id for o in result.ranked()] == [
        "222222222222",
        "111111111111",
        "444444444444",
        "333333333333",
    ]


def test_a_failing_account_is_recorded_and_the_others_complete(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    def audit_one(job: AccountJob) -> AccountAudit:
        if job.target.account_id == "222222222222":
            raise AccessDeniedError(
                "sts:AssumeRole on arn:aws:iam::222222222222:role/Audit: AccessDenied",
                hint="check the role",
            )
        if job.target.account_id == "333333333333":
            raise KeyError("boom\nsecond line")
        return ok_audit(job)

    result = run(offline_session, reports_root, audit_one)
    statuses = {o.account_id: o.status for o in result.outcomes}
    assert statuses == {
        "111111111111": AccountStatus.OK,
        "222222222222": AccountStatus.FAILED,
        "333333333333": AccountStatus.FAILED,
        "444444444444": AccountStatus.OK,
    }
    denied = result.outcomes[1]
    assert "AccessDenied" in denied.reason
    assert "check the role" in denied.reason
    assert denied.complete is False
    assert denied.open_findings == 0
    crashed = result.outcomes[2]
    assert crashed.reason.startswith("internal error (KeyError")
    assert "\n" not in crashed.reason
    assert result.complete is False
    assert [o.account_id for o in result.failed] == ["222222222222", "333333333333"]
    # Failed accounts have no counts: the totals are the audited accounts' only.
    assert result.open_findings == 2


def test_workers_are_bounded_and_used(offline_session: boto3.Session, reports_root: Path) -> None:
    """Each wave of three accounts meets at a barrier: it only opens when three audits run at
    once, so reaching it proves three workers were used (a narrower pool times out and fails
    the accounts), and the peak count proves no fourth ran beside them. No sleeps, so the result
    does not depend on how busy the machine's cores are."""
    lock = threading.Lock()
    state = {"now": 0, "peak": 0}
    barrier = threading.Barrier(3, timeout=10)

    def bounded(job: AccountJob) -> AccountAudit:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        try:
            barrier.wait()
        finally:
            with lock:
                state["now"] -= 1
        return AccountAudit(result=audit_result(job.target.account_id or ""), via="x")

    ids = [f"{n:012d}" for n in range(1, 7)]  # two full waves of three
    result = run(offline_session, reports_root, bounded, workers=3, ids=ids)
    assert [o.status for o in result.outcomes] == [AccountStatus.OK] * 6, result.outcomes[0].reason
    assert state["peak"] == 3
    assert not barrier.broken


def test_one_worker_runs_every_account_on_one_thread(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    threads: set[str] = set()

    def record(job: AccountJob) -> AccountAudit:
        threads.add(threading.current_thread().name)
        return AccountAudit(result=audit_result(job.target.account_id or ""), via="x")

    result = run(offline_session, reports_root, record, workers=1)
    assert [o.account_id for o in result.outcomes] == IDS
    assert len(threads) == 1
    assert next(iter(threads)).startswith("account")


def test_a_pool_narrower_than_the_barrier_fails_closed_not_hangs(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    """The check above is meaningful: with two workers the three-party barrier never opens,
    and the accounts are recorded as failed instead of the run hanging."""
    barrier = threading.Barrier(3, timeout=0.5)

    def waits(job: AccountJob) -> AccountAudit:
        barrier.wait()
        return AccountAudit(result=audit_result(job.target.account_id or ""), via="x")

    result = run(offline_session, reports_root, waits, workers=2, ids=IDS[:2])
    assert [o.status for o in result.outcomes] == [AccountStatus.FAILED] * 2
    assert all(o.reason == "internal error (BrokenBarrierError)" for o in result.outcomes)


def test_a_stalled_account_does_not_stall_the_others(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    """One account blocked (e.g. backing off after throttling) while the rest finish."""
    others_done = threading.Event()
    finished: list[str] = []
    lock = threading.Lock()

    def audit_one(job: AccountJob) -> AccountAudit:
        account = job.target.account_id or ""
        if account == IDS[0]:
            assert others_done.wait(timeout=10), "the other accounts were stalled"
        else:
            with lock:
                finished.append(account)
                if len(finished) == len(IDS) - 1:
                    others_done.set()
        return AccountAudit(result=audit_result(account), via="x")

    result = run(offline_session, reports_root, audit_one, workers=2)
    assert all(o.status is AccountStatus.OK for o in result.outcomes)
    assert sorted(finished) == IDS[1:]


def test_same_account_twice_is_audited_once_and_skipped(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    calls: list[str] = []

    def audit_one(job: AccountJob) -> AccountAudit:
        job.claim("555555555555")  # two profiles that reach the same account
        calls.append(job.target.profile or "")
        return AccountAudit(
            result=audit_result("555555555555"), via=f"profile:{job.target.profile}"
        )

    result = audit_accounts(
        offline_session,
        [AccountTarget(profile="a", name="a"), AccountTarget(profile="b", name="b")],
        AuditorConfig(),
        reports_root=reports_root,
        max_workers=1,
        now=NOW,
        audit_one=audit_one,
    )
    assert calls == ["a"]
    assert [o.status for o in result.outcomes] == [AccountStatus.OK, AccountStatus.SKIPPED]
    assert "same account as profile a" in result.outcomes[1].reason
    assert result.complete is True


def test_incomplete_account_data_makes_the_run_incomplete(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    def audit_one(job: AccountJob) -> AccountAudit:
        account = job.target.account_id or ""
        if account == IDS[0]:
            gap = CollectionGap("credential_report", "access denied to iam:GetCredentialReport")
            return AccountAudit(result=audit_result(account, gaps=[gap]), via="x")
        if account == IDS[1]:
            unknown = finding(account, Severity.HIGH, FindingStatus.UNKNOWN)
            return AccountAudit(result=audit_result(account, [unknown]), via="x")
        evaluated = account == IDS[2]
        outcome = RuleOutcome("root_no_mfa", evaluated=evaluated, reason="no root row")
        return AccountAudit(result=audit_result(account, rule_outcomes=[outcome]), via="x")

    result = run(offline_session, reports_root, audit_one)
    first, second, third, fourth = result.outcomes
    assert first.status is AccountStatus.OK
    assert first.complete is False
    assert "GetCredentialReport" in first.reason
    assert second.complete is False
    assert second.unknown_findings == 1
    assert second.reason == "1 finding(s) unknown"
    assert fourth.complete is False
    assert fourth.reason == "rules not evaluated: root_no_mfa"
    assert third.complete is True
    assert result.complete is False
    assert not result.failed


def test_progress_lines_name_the_account_and_its_position(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    lines: list[str] = []

    def audit_one(job: AccountJob) -> AccountAudit:
        job.progress("collecting")
        return ok_audit(job)

    run(offline_session, reports_root, audit_one, progress=lines.append)
    assert "[3/4] 333333333333 collecting" in lines
    done = [line for line in lines if "accounts finished" in line]
    assert len(done) == 4
    assert any(line.startswith("[2/4] 222222222222 done: 3 open finding(s)") for line in done)
    assert any("(4/4 accounts finished)" in line for line in done)


@pytest.mark.parametrize("workers", [0, -1])
def test_bad_worker_count_is_a_usage_error(
    offline_session: boto3.Session, reports_root: Path, workers: int
) -> None:
    with pytest.raises(UsageError, match="max-workers"):
        run(offline_session, reports_root, ok_audit, workers=workers)


def test_no_targets_is_a_usage_error(offline_session: boto3.Session, reports_root: Path) -> None:
    with pytest.raises(UsageError, match="no accounts"):
        run(offline_session, reports_root, ok_audit, ids=[])


def test_an_empty_run_is_never_complete(offline_session: boto3.Session, reports_root: Path) -> None:
    assert OrgRunResult((), NOW, 0.0, reports_root).complete is False


def test_collection_error_reason_is_kept(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    def audit_one(job: AccountJob) -> AccountAudit:
        raise CollectionError("iam:GetAccountAuthorizationDetails failed: Throttling")

    result = run(offline_session, reports_root, audit_one, ids=IDS[:1])
    assert result.outcomes[0].reason == "iam:GetAccountAuthorizationDetails failed: Throttling"
    assert result.outcomes[0].via == "arn:aws:iam::111111111111:role/Audit"
