"""Generate → poll with backoff and a deadline → get, for the shapes real AWS produces.

Authority: IAM API reference, GenerateCredentialReport (``State`` STARTED / INPROGRESS /
COMPLETE; ``LimitExceeded``) and GetCredentialReport (``ReportInProgress``, ``ReportNotPresent``,
``ReportExpired``). moto always answers at once, so these paths are played back with Stubber.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.stub import Stubber

from auditor.collector.credential_report import COLUMNS
from auditor.collector.report_fetch import CredentialReportFetcher
from auditor.config import CollectorSettings
from auditor.errors import AccessDeniedError, CollectionError
from auditor.models import CollectionSource
from tests.support.credential_rows import ROOT_ROW, report_csv, report_row
from tests.support.fakes import FakeClock, stubbed_client

GENERATED = datetime(2026, 1, 15, 8, 59, tzinfo=timezone.utc)
CSV = report_csv(ROOT_ROW, report_row("alice", mfa_active="true")).encode()


def _fetcher(
    iam: Any, clock: FakeClock, timeout: float = 60.0, initial: float = 1.0
) -> CredentialReportFetcher:
    settings = CollectorSettings(poll_timeout_seconds=timeout, poll_initial_delay_seconds=initial)
    return CredentialReportFetcher(iam, settings, clock=clock, sleep=clock.sleep, profile="audit")


def _run(fetcher: CredentialReportFetcher) -> tuple[Any, Any]:
    fetcher.start()
    return fetcher.finish()


def _state(stubber: Stubber, state: str) -> None:
    stubber.add_response("generate_credential_report", {"State": state})


def _report(stubber: Stubber, content: bytes = CSV) -> None:
    stubber.add_response(
        "get_credential_report",
        {"Content": content, "ReportFormat": "text/csv", "GeneratedTime": GENERATED},
    )


def _error(stubber: Stubber, operation: str, code: str, status: int = 400) -> None:
    stubber.add_client_error(operation, service_error_code=code, http_status_code=status)


def test_complete_at_once_costs_two_calls_and_no_sleep(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    _state(stubber, "COMPLETE")
    _report(stubber)
    fetcher = _fetcher(iam, clock)
    fetcher.start()
    report, gap = fetcher.finish()
    stubber.assert_no_pending_responses()
    assert gap is None
    assert report is not None
    assert report.generated_time == GENERATED
    assert [row.user for row in report.rows] == ["<root_account>", "alice"]
    assert clock.sleeps == []
    assert fetcher.calls == 2


def test_in_progress_is_polled_with_exponential_backoff(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    for state in ("STARTED", "INPROGRESS", "INPROGRESS", "INPROGRESS", "COMPLETE"):
        _state(stubber, state)
    _report(stubber)
    fetcher = _fetcher(iam, clock, initial=0.5)
    fetcher.start()
    report, gap = fetcher.finish()
    stubber.assert_no_pending_responses()
    assert report is not None
    assert gap is None
    # STARTED at start; re-checked at once when polling begins, then 0.5 s, 1 s, 2 s.
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_backoff_is_capped(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    for _ in range(9):
        _state(stubber, "INPROGRESS")
    _state(stubber, "COMPLETE")
    _report(stubber)
    fetcher = _fetcher(iam, clock, timeout=600)
    fetcher.start()
    fetcher.finish()
    assert clock.sleeps == [1, 2, 4, 8, 16, 16, 16, 16]


def test_get_says_in_progress_then_succeeds(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    _state(stubber, "COMPLETE")
    _error(stubber, "get_credential_report", "ReportInProgress", 404)
    _state(stubber, "COMPLETE")
    _report(stubber)
    fetcher = _fetcher(iam, clock)
    fetcher.start()
    report, _gap = fetcher.finish()
    stubber.assert_no_pending_responses()
    assert report is not None
    assert clock.sleeps == [1.0]


@pytest.mark.parametrize("code", ["ReportNotPresent", "ReportExpired"])
def test_absent_or_expired_report_is_generated_again(clock: FakeClock, code: str) -> None:
    iam, stubber = stubbed_client("iam")
    _state(stubber, "COMPLETE")
    _error(stubber, "get_credential_report", code, 410)
    _state(stubber, "STARTED")
    _state(stubber, "COMPLETE")
    _report(stubber)
    fetcher = _fetcher(iam, clock)
    fetcher.start()
    report, gap = fetcher.finish()
    stubber.assert_no_pending_responses()
    assert report is not None
    assert gap is None


def test_limit_exceeded_uses_the_existing_report(clock: FakeClock) -> None:
    """LimitExceeded refuses a new report; an existing one (< 4 h old) can still be read."""
    iam, stubber = stubbed_client("iam")
    _error(stubber, "generate_credential_report", "LimitExceeded", 409)
    _report(stubber)
    fetcher = _fetcher(iam, clock)
    fetcher.start()
    report, gap = fetcher.finish()
    stubber.assert_no_pending_responses()
    assert report is not None
    assert gap is None


def test_deadline_gives_a_gap_not_an_empty_report(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    for _ in range(10):
        _state(stubber, "INPROGRESS")
    fetcher = _fetcher(iam, clock, timeout=10, initial=1)
    fetcher.start()
    report, gap = fetcher.finish()
    assert report is None
    assert gap is not None
    assert gap.source == CollectionSource.CREDENTIAL_REPORT.value
    assert "not ready after 10 s" in gap.reason
    assert "INPROGRESS" in gap.reason
    assert sum(clock.sleeps) == pytest.approx(10)  # never sleeps past the deadline
    assert clock.sleeps == [1, 2, 4, 3]


def test_deadline_holds_even_when_the_clock_does_not_move() -> None:
    """Sleeps are counted too, so a frozen clock (or a no-op sleep) cannot poll forever."""
    iam, stubber = stubbed_client("iam")
    for _ in range(10):
        _state(stubber, "INPROGRESS")
    frozen = FakeClock()
    sleeps: list[float] = []
    settings = CollectorSettings(poll_timeout_seconds=5, poll_initial_delay_seconds=1)
    fetcher = CredentialReportFetcher(
        iam, settings, clock=frozen, sleep=sleeps.append, profile=None
    )
    fetcher.start()
    report, gap = fetcher.finish()
    assert report is None
    assert gap is not None
    assert sleeps == [1, 2, 2]


def test_throttling_after_retries_is_a_gap_naming_it(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    for _ in range(4):
        _error(stubber, "generate_credential_report", "Throttling", 400)
        _error(stubber, "get_credential_report", "Throttling", 400)
    fetcher = _fetcher(iam, clock, timeout=4, initial=1)
    fetcher.start()
    report, gap = fetcher.finish()
    assert report is None
    assert gap is not None
    assert "throttling iam:GetCredentialReport" in gap.reason


@pytest.mark.parametrize("operation", ["generate_credential_report", "get_credential_report"])
def test_access_denied_is_an_error_naming_the_permission(clock: FakeClock, operation: str) -> None:
    iam, stubber = stubbed_client("iam")
    if operation == "get_credential_report":
        _state(stubber, "COMPLETE")
    _error(stubber, operation, "AccessDenied", 403)
    fetcher = _fetcher(iam, clock)
    with pytest.raises(AccessDeniedError) as caught:
        _run(fetcher)
    permission = (
        "iam:GenerateCredentialReport"
        if operation.startswith("gen")
        else ("iam:GetCredentialReport")
    )
    assert permission in str(caught.value)
    assert caught.value.hint is not None
    assert f"grant {permission}" in caught.value.hint


def test_expired_token_is_a_collection_error(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    _error(stubber, "generate_credential_report", "ExpiredToken", 403)
    fetcher = _fetcher(iam, clock)
    with pytest.raises(CollectionError, match="session token has expired") as caught:
        fetcher.start()
    assert "aws sso login --profile audit" in str(caught.value.hint)


def test_garbage_report_is_a_gap_naming_row_and_column(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    _state(stubber, "COMPLETE")
    _report(stubber, report_csv(report_row("bob", mfa_active="perhaps")).encode())
    fetcher = _fetcher(iam, clock)
    fetcher.start()
    report, gap = fetcher.finish()
    assert report is None
    assert gap is not None
    assert gap.source == CollectionSource.CREDENTIAL_REPORT.value
    assert "row 2 (user bob), column mfa_active" in gap.reason
    assert clock.sleeps == []  # a bad report does not improve by waiting


def test_repeated_user_in_a_live_report_is_a_gap_not_a_pick(clock: FakeClock) -> None:
    """Two rows for one user: neither is believed; rules needing the report report unknown."""
    iam, stubber = stubbed_client("iam")
    _state(stubber, "COMPLETE")
    rows = (ROOT_ROW, report_row("bob", mfa_active="false"), report_row("bob", mfa_active="true"))
    _report(stubber, report_csv(*rows).encode())
    fetcher = _fetcher(iam, clock)
    report, gap = _run(fetcher)
    assert report is None
    assert gap is not None
    assert gap.source == CollectionSource.CREDENTIAL_REPORT.value
    assert "same user on several rows: bob (rows 3, 4)" in gap.reason
    assert "download" not in gap.reason  # the CSV hint is for files, not for the live API


def test_unknown_column_in_a_live_report_is_ignored_and_noted(clock: FakeClock) -> None:
    iam, stubber = stubbed_client("iam")
    _state(stubber, "COMPLETE")
    columns = (*COLUMNS, "passkey_active")
    rows = (dict(ROOT_ROW, passkey_active="false"), report_row("bob", passkey_active="true"))
    _report(stubber, report_csv(*rows, columns=columns).encode())
    fetcher = _fetcher(iam, clock)
    report, gap = _run(fetcher)
    assert gap is None
    assert report is not None
    assert [row.user for row in report.rows] == ["<root_account>", "bob"]
    assert len(fetcher.notes) == 1
    assert "passkey_active" in fetcher.notes[0]
