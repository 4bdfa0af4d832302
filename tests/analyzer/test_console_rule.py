"""``console_user_no_mfa`` (CIS v5.0.0 1.9 / v3.0.0 1.10): password_enabled true and mfa_active
false in the credential report (IAM User Guide, "Generate credential reports"); users without a
password are not console users; report/authorization-details mismatches stay visible.
"""

from __future__ import annotations

from datetime import timedelta

from auditor.models import FindingStatus, Severity, Unavailable

from .conftest import ACCOUNT, NO_INFO, device, of, row, run, snapshot, user


def test_console_user_without_mfa_is_reported_with_last_use() -> None:
    result = run(snapshot(users=[user("carol")], rows=[row("carol")]))
    [finding] = of(result, "console_user_no_mfa")
    assert finding.severity is Severity.MEDIUM
    assert finding.status is FindingStatus.OPEN
    assert finding.detail == (
        "carol has a console password and no MFA device; console password last used 2026-11-20."
    )
    assert finding.evidence["password_enabled"] == "true"
    assert finding.evidence["mfa_active"] == "false"


def test_console_user_with_mfa_and_users_without_password_pass() -> None:
    users = [user("dora"), user("keyonly"), user("nothing")]
    rows = [
        row("dora", mfa=True),
        row("keyonly", password=False, keys=2),
        row("nothing", password=False),
    ]
    assert not of(run(snapshot(users=users, rows=rows)), "console_user_no_mfa")


def test_never_used_password_is_still_a_console_password() -> None:
    rows = [row("newbie", password_last_used=NO_INFO)]
    [finding] = of(run(snapshot(users=[user("newbie")], rows=rows)), "console_user_no_mfa")
    assert "console password never used" in finding.detail
    assert finding.evidence["password_last_used"] == "no_information"


def test_virtual_device_assigned_after_the_report_counts_as_mfa() -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:user/late"
    snap = snapshot(users=[user("late")], rows=[row("late")], devices=[device("late", arn)])
    assert not of(run(snap), "console_user_no_mfa")


def test_user_created_after_the_report_is_unknown_not_compliant() -> None:
    result = run(snapshot(users=[user("fresh")], rows=[]))
    [finding] = of(result, "console_user_no_mfa")
    assert finding.status is FindingStatus.UNKNOWN
    assert "not in the credential report" in finding.detail
    [summary] = result.users
    assert summary.mfa_active is None
    assert any("created after it" in note for note in result.notes)


def test_user_deleted_after_the_report_is_not_evaluated_but_noted() -> None:
    result = run(snapshot(users=[], rows=[row("gone")]))
    assert not of(result, "console_user_no_mfa")
    assert result.users == ()
    assert any("gone" in note and "deleted after" in note for note in result.notes)


def test_unreadable_password_flag_is_unknown() -> None:
    rows = [row("odd", password=Unavailable.NOT_SUPPORTED)]
    [finding] = of(run(snapshot(users=[user("odd")], rows=rows)), "console_user_no_mfa")
    assert finding.status is FindingStatus.UNKNOWN


def test_stale_credential_report_adds_a_note_and_evidence() -> None:
    snap = snapshot(users=[user("carol")], rows=[row("carol")], report_age=timedelta(hours=30))
    result = run(snap)
    assert any("30.0 hours before the rest" in note for note in result.notes)
    [finding] = of(result, "console_user_no_mfa")
    assert finding.evidence["credential_report_age_hours"] == "30.0"
    fresh = run(snapshot(users=[user("carol")], rows=[row("carol")]))
    assert "credential_report_age_hours" not in of(fresh, "console_user_no_mfa")[0].evidence
