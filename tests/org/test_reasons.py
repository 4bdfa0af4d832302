"""Failure reasons as the organization summary shows them: one line, bounded, no internals."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import boto3

from auditor.config import AccountTarget, AuditorConfig
from auditor.errors import AccessDeniedError, CollectionError
from auditor.org import AccountAudit, AccountJob, AccountStatus, audit_accounts, write_org_summary
from auditor.org.reasons import REASON_LIMIT, clipped, failure_reason
from tests.org.helpers import NOW
from tests.org.test_runner import run


def test_an_auditor_error_keeps_message_and_hint_on_one_line() -> None:
    error = AccessDeniedError("sts:AssumeRole on r:\nAccessDenied", hint="check  the\ttrust")
    assert failure_reason(error) == "sts:AssumeRole on r: AccessDenied (check the trust)"


def test_a_long_auditor_error_is_cut_and_says_so() -> None:
    reason = failure_reason(CollectionError("iam:GetAccountAuthorizationDetails: " + "x" * 5000))
    assert len(reason) == REASON_LIMIT
    assert reason.startswith("iam:GetAccountAuthorizationDetails: xxx")
    assert reason.endswith("…")


def test_an_unexpected_error_shows_its_type_and_first_line_only() -> None:
    dump = "first line of the failure\n  File '/home/op/secret/path.py', line 3\n" + "y" * 900
    reason = failure_reason(RuntimeError(dump))
    assert reason == "internal error (RuntimeError: first line of the failure)"


def test_an_unexpected_error_with_a_huge_first_line_stays_bounded_and_closed() -> None:
    reason = failure_reason(ValueError("z" * 10_000))
    assert len(reason) <= REASON_LIMIT
    assert reason.startswith("internal error (ValueError: zzz")
    assert reason.endswith("…)")


def test_an_unexpected_error_without_text_names_its_type() -> None:
    assert failure_reason(TimeoutError()) == "internal error (TimeoutError)"


def test_clipping_leaves_short_text_alone() -> None:
    assert clipped("  a\r\nb  ") == "a b"


def test_the_runner_records_the_bounded_reason(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    def audit_one(job: AccountJob) -> AccountAudit:
        raise OSError("disk full\n" + "detail " * 400)

    result = run(offline_session, reports_root, audit_one, ids=["111111111111"])
    outcome = result.outcomes[0]
    assert outcome.status is AccountStatus.FAILED
    assert outcome.reason == "internal error (OSError: disk full)"


def test_a_long_error_reason_reaches_the_summary_cut(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    def audit_one(job: AccountJob) -> AccountAudit:
        raise CollectionError("sts:AssumeRole: " + "AccessDenied " * 200)

    result = audit_accounts(
        offline_session,
        [AccountTarget(account_id="111111111111", role_arn="arn:aws:iam::111111111111:role/A")],
        AuditorConfig(),
        reports_root=reports_root,
        max_workers=1,
        now=NOW,
        audit_one=audit_one,
    )
    folder = reports_root / "organization"
    paths = write_org_summary(result, folder, generated_at=NOW)
    html, accounts = (path.read_text("utf-8") for path in paths[:2])
    assert "AccessDenied " * 30 not in html
    assert "AccessDenied AccessDenied" in html
    (row,) = csv.DictReader(io.StringIO(accounts, newline=""))
    assert len(row["reason"]) == REASON_LIMIT
    assert row["reason"].startswith("sts:AssumeRole: AccessDenied AccessDenied")
