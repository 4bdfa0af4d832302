"""apply_demo_root: root's row and device come from the data file, visibly, and only for the demo.

Root's row follows the IAM User Guide, "Getting credential reports for your AWS account": the
user is ``<root_account>``, the ARN ``arn:aws:iam::<account>:root``, and the password columns
other than ``password_last_used`` read ``not_supported``.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from auditor.demo import DemoAccount, DemoError, RootMfa, apply_demo_root
from auditor.models import ROOT_USER_NAME, CollectionSource, Snapshot, Unavailable
from auditor.snapshot_io import dumps_snapshot, parse_snapshot

ROOT_DEVICE = "arn:aws:iam::123456789012:mfa/root-account-mfa-device"


def test_adds_root_row_removes_the_gap_and_says_so(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    result = apply_demo_root(moto_like_snapshot, demo_data)

    report = result.credential_report
    assert report is not None
    root = report.root
    assert root is not None
    assert root.user == ROOT_USER_NAME
    assert root.arn == "arn:aws:iam::123456789012:root"
    assert root.mfa_active is True
    assert root.active_access_keys == 0
    assert root.password_enabled is Unavailable.NOT_SUPPORTED
    assert root.password_last_changed is Unavailable.NOT_SUPPORTED
    assert root.user_creation_time == demo_data.root.created
    assert root.password_last_used == demo_data.root.password_last_used
    assert report.rows[1:] == moto_like_snapshot.credential_report.rows  # type: ignore[union-attr]

    assert result.gap_for(CollectionSource.ROOT_CREDENTIALS) is None
    assert [g.source for g in result.gaps] == ["account_aliases"]  # other gaps stay

    assert result.notes[0] == "Collected by the test suite."
    (note,) = result.notes[1:]
    assert "supplied by the demo data file sample_company.yaml" in note
    assert "moto does not emulate the root user" in note
    assert ROOT_DEVICE in note


def test_root_device_is_assigned_to_root(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    result = apply_demo_root(moto_like_snapshot, demo_data)
    by_serial = {d.serial_number: d for d in result.virtual_mfa_devices}
    assert len(result.virtual_mfa_devices) == len(by_serial) == 2  # replaced, not duplicated
    assert by_serial[ROOT_DEVICE].user_arn == "arn:aws:iam::123456789012:root"
    assert by_serial[ROOT_DEVICE].enable_date == demo_data.root.mfa_enabled
    maria = "arn:aws:iam::123456789012:mfa/maria.garcia"
    assert by_serial[maria] == next(
        d for d in moto_like_snapshot.virtual_mfa_devices if d.serial_number == maria
    )


def test_account_summary_agrees_with_root_row(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    result = apply_demo_root(moto_like_snapshot, demo_data)
    assert result.account_summary == {
        "AccountMFAEnabled": 1,
        "AccountAccessKeysPresent": 0,
        "Users": 2,
    }


def test_original_is_untouched_and_second_application_changes_nothing(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    before = dumps_snapshot(moto_like_snapshot)
    once = apply_demo_root(moto_like_snapshot, demo_data)
    assert dumps_snapshot(moto_like_snapshot) == before
    assert apply_demo_root(once, demo_data) == once


def test_result_survives_a_snapshot_round_trip(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    result = apply_demo_root(moto_like_snapshot, demo_data)
    assert parse_snapshot(json.loads(dumps_snapshot(result)), "demo.json") == result


def test_root_without_mfa_but_with_a_key(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    root = dataclasses.replace(
        demo_data.root, mfa=RootMfa.NONE, mfa_serial=None, mfa_enabled=None, access_keys=(True,)
    )
    result = apply_demo_root(moto_like_snapshot, dataclasses.replace(demo_data, root=root))
    row = result.credential_report.root  # type: ignore[union-attr]
    assert row is not None
    assert row.mfa_active is False
    assert row.active_access_keys == 1
    assert result.virtual_mfa_devices == moto_like_snapshot.virtual_mfa_devices
    assert result.account_summary is not None
    assert result.account_summary["AccountMFAEnabled"] == 0
    assert result.account_summary["AccountAccessKeysPresent"] == 1
    assert "no MFA device, 1 active access key)" in result.notes[-1]


def test_without_a_credential_report_the_gap_stays(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    """Fail closed: with nowhere to put root's row, root stays unknown and the note says why."""
    snapshot = dataclasses.replace(moto_like_snapshot, credential_report=None)
    result = apply_demo_root(snapshot, demo_data)
    assert result.gaps == snapshot.gaps
    assert result.credential_report is None
    assert "were not applied" in result.notes[-1]


def test_an_emulator_that_reports_root_itself_is_believed(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    once = apply_demo_root(moto_like_snapshot, demo_data)
    emulated = dataclasses.replace(once, notes=(), account_summary={"AccountMFAEnabled": 0})
    assert apply_demo_root(emulated, demo_data) == emulated


def test_refuses_a_snapshot_of_another_account(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    other = dataclasses.replace(moto_like_snapshot, account_id="210987654321")
    with pytest.raises(DemoError, match="210987654321"):
        apply_demo_root(other, demo_data)


def test_moto_constant_report_time_is_replaced_visibly(
    moto_like_snapshot: Snapshot, demo_data: DemoAccount
) -> None:
    from auditor.demo.root import MOTO_REPORT_TIME

    report = moto_like_snapshot.credential_report
    assert report is not None
    stamped = dataclasses.replace(
        moto_like_snapshot,
        credential_report=dataclasses.replace(report, generated_time=MOTO_REPORT_TIME),
    )
    result = apply_demo_root(stamped, demo_data)
    assert result.credential_report is not None
    assert result.credential_report.generated_time == stamped.collected_at
    assert any("moto stamps every credential report" in note for note in result.notes)
    # Any other report time is believed and left alone.
    untouched = apply_demo_root(moto_like_snapshot, demo_data)
    assert untouched.credential_report is not None
    assert untouched.credential_report.generated_time == report.generated_time
    assert not any("moto stamps" in note for note in untouched.notes)
