"""Evidence timestamps are what auditor/reporter/README.md documents for findings.csv: ISO 8601
in UTC with a ``Z``, whole seconds (``2026-11-20T10:00:00Z``), whatever offset or precision the
credential report or the clock had."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta, timezone

from auditor.analyzer.evidence import evidence_value
from auditor.models import Unavailable

from .conftest import ADMIN_ARN, group, of, root_row, row, run, snapshot, user

Z_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def test_datetimes_become_whole_second_utc_with_z() -> None:
    berlin = timezone(timedelta(hours=1))
    moment = datetime(2026, 11, 20, 11, 0, 0, 179458, tzinfo=berlin)
    assert evidence_value(moment) == "2026-11-20T10:00:00Z"
    assert evidence_value(datetime(2026, 11, 20, 10, 0)) == "2026-11-20T10:00:00Z"  # naive = UTC


def test_other_values_keep_their_report_spelling() -> None:
    assert evidence_value(True) == "true"
    assert evidence_value(Unavailable.NO_INFORMATION) == "no_information"
    assert evidence_value(Unavailable.NOT_APPLICABLE) == "N/A"
    assert evidence_value("s3") == "s3"


def test_finding_evidence_timestamps_are_z_times() -> None:
    used = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=timezone.utc)
    snap = snapshot(
        users=[user("bob", ["Admins"])],
        rows=[row("bob", keys=1, password_last_used=used, key_last_used=used)],
        groups=[group("Admins", attached=[ADMIN_ARN])],
        root=root_row(mfa=False),
    )
    report = snap.credential_report
    assert report is not None
    odd = report.generated_time.replace(microsecond=179458)
    snap = dataclasses.replace(
        snap, credential_report=dataclasses.replace(report, generated_time=odd)
    )
    result = run(snap)
    [member] = of(result, "privileged_member_no_mfa")
    assert member.evidence["password_last_used"] == "2026-11-20T09:30:15Z"
    assert member.evidence["access_key_1_last_used"] == "2026-11-20T09:30:15Z"
    assert Z_TIME.fullmatch(member.evidence["credential_report_generated"])
    [root] = of(result, "root_no_mfa")
    assert root.evidence["password_last_used"] == "2026-01-05T00:00:00Z"
