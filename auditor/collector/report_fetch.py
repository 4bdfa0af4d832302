"""Fetch the credential report: generate, poll with backoff and a deadline, get, parse.

IAM builds the report asynchronously ("Getting credential reports for your AWS account"; API
reference GenerateCredentialReport / GetCredentialReport). Generation is started first, before
the other reads, so the report is usually ready by the time they finish. Waiting is bounded by
``poll_timeout_seconds``, measured both by the injected clock and by the sleeps requested, so a
frozen test clock cannot spin forever. A report that never arrives becomes a ``CollectionGap``
(rules that need it report "unknown"); it never becomes an empty list that reads as compliant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import (
    error_code,
    fatal_error,
    gap_reason,
    is_access_denied,
    required_call_error,
)
from auditor.collector.credential_report import read_credential_report
from auditor.config import CollectorSettings
from auditor.errors import InputError
from auditor.models import CollectionGap, CollectionSource, CredentialReport
from auditor.timeutil import as_utc

MAX_DELAY_SECONDS = 16.0
COMPLETE = "COMPLETE"
_LIMITED = "LIMIT_EXCEEDED"
_FAILED = "FAILED"
_READABLE = (COMPLETE, _LIMITED, _FAILED)
"""States after which a GetCredentialReport is worth trying (an older report may exist)."""
_NOT_READY_CODES = {"ReportInProgress", "ReportNotPresent", "ReportExpired"}


class _ReportUnusable(Exception):
    """The report arrived but cannot be parsed; polling again would not help."""


class CredentialReportFetcher:
    """``start()`` asks IAM to build the report; ``finish()`` waits for it and parses it."""

    def __init__(
        self,
        iam: Any,
        settings: CollectorSettings,
        *,
        clock: Callable[[], datetime],
        sleep: Callable[[float], None],
        profile: str | None,
    ) -> None:
        self._iam = iam
        self._settings = settings
        self._clock = clock
        self._sleep = sleep
        self._profile = profile
        self._state = _FAILED
        self._problem = "no report yet"
        self.calls = 0
        self.notes: list[str] = []
        """Remarks for ``Snapshot.notes`` (columns of a newer report that were ignored)."""

    def start(self) -> None:
        """Ask IAM to build (or confirm) the report; the state decides whether to wait."""
        self._state = self._generate()

    def finish(self) -> tuple[CredentialReport | None, CollectionGap | None]:
        timeout = self._settings.poll_timeout_seconds
        delay = self._settings.poll_initial_delay_seconds
        began = self._clock()
        slept = 0.0
        state = self._state
        if state not in _READABLE:
            state = self._generate()  # the other reads took a while: it may be ready now
        while True:
            if state in _READABLE:
                try:
                    report = self._get()
                except _ReportUnusable as unusable:
                    return None, _gap(str(unusable))
                if report is not None:
                    return report, None
            elapsed = max(slept, (self._clock() - began).total_seconds())
            remaining = timeout - elapsed
            if remaining <= 0:
                return None, _gap(
                    f"the credential report was not ready after {timeout:g} s "
                    f"(last answer: {self._problem})"
                )
            pause = min(delay, remaining)
            self._sleep(pause)
            slept += pause
            delay = min(delay * 2, MAX_DELAY_SECONDS)
            state = self._generate()

    def _generate(self) -> str:
        operation = "iam:GenerateCredentialReport"
        try:
            self.calls += 1
            response = self._iam.generate_credential_report()
        except (ClientError, BotoCoreError) as error:
            self._raise_if_fatal(error, operation)
            if isinstance(error, ClientError) and error_code(error) == "LimitExceeded":
                self._problem = "LimitExceeded on GenerateCredentialReport"
                return _LIMITED
            self._problem = gap_reason(error, operation)
            return _FAILED
        state = str(response.get("State", ""))
        self._problem = f"report state {state or 'unknown'}"
        return state

    def _get(self) -> CredentialReport | None:
        operation = "iam:GetCredentialReport"
        try:
            self.calls += 1
            response = self._iam.get_credential_report()
        except (ClientError, BotoCoreError) as error:
            self._raise_if_fatal(error, operation)
            if isinstance(error, ClientError) and error_code(error) in _NOT_READY_CODES:
                self._problem = error_code(error)
                return None
            self._problem = gap_reason(error, operation)
            return None
        content = response.get("Content", b"")
        generated = response.get("GeneratedTime")
        try:
            parsed = read_credential_report(
                content,
                origin="credential report from GetCredentialReport",
                generated_time=as_utc(generated) if isinstance(generated, datetime) else None,
            )
        except InputError as error:
            # e.g. a user listed twice: a gap (rules report unknown), never one row picked.
            raise _ReportUnusable(error.message) from None
        note = parsed.note()
        if note is not None:
            self.notes.append(note)
        return parsed.report

    def _raise_if_fatal(self, error: Exception, operation: str) -> None:
        if is_access_denied(error):
            raise required_call_error(error, operation, self._profile) from None
        fatal = fatal_error(error, self._profile)
        if fatal is not None:
            raise fatal from None


def _gap(reason: str) -> CollectionGap:
    return CollectionGap(CollectionSource.CREDENTIAL_REPORT.value, reason)


def missing_root_gap(report: CredentialReport) -> CollectionGap | None:
    """Real AWS always lists ``<root_account>``; without it root is unknown, never "fine"."""
    if report.root is not None:
        return None
    return CollectionGap(
        CollectionSource.ROOT_CREDENTIALS.value,
        "the credential report has no <root_account> row, so root's password, access keys "
        "and MFA cannot be judged",
    )
