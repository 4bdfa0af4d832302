"""Root rules. Root is judged from its credential-report row (IAM User Guide, "Generate credential
reports": root's password columns read ``not_supported``) and ``GetAccountSummary``; a root with
no password is not applicable (Security Hub IAM.6/IAM.9: "Root user credentials aren't present
in the account" passes), which is how centrally managed member-account roots look.
"""

from __future__ import annotations

import dataclasses

from auditor.models import (
    CollectionGap,
    FindingStatus,
    MfaDeviceKind,
    PrincipalType,
    Severity,
    Snapshot,
)

from .conftest import ACCOUNT, device, of, root_row, row, run, snapshot, user


def test_root_without_mfa_is_critical_and_named_as_in_the_report() -> None:
    result = run(snapshot(root=root_row(mfa=False)))
    [finding] = of(result, "root_no_mfa")
    assert finding.severity is Severity.CRITICAL
    assert finding.principal_type is PrincipalType.ROOT
    assert finding.principal_name == "<root_account>"
    assert finding.principal_arn == f"arn:aws:iam::{ACCOUNT}:root"
    assert "no MFA device" in finding.detail
    assert "2026-01-05" in finding.detail  # password last used, as evidence
    assert not of(result, "root_no_hardware_mfa")


def test_root_with_hardware_or_fido_mfa_passes_both_mfa_rules() -> None:
    result = run(snapshot(root=root_row(mfa=True)))
    assert not of(result, "root_no_mfa")
    assert not of(result, "root_no_hardware_mfa")


def test_root_with_virtual_device_is_reported_by_the_hardware_rule_only() -> None:
    root_device = device("root-account-mfa-device", f"arn:aws:iam::{ACCOUNT}:root")
    result = run(snapshot(root=root_row(mfa=True), devices=[root_device]))
    [finding] = of(result, "root_no_hardware_mfa")
    assert finding.severity is Severity.MEDIUM
    assert "root-account-mfa-device" in finding.detail
    assert not of(result, "root_no_mfa")
    assert not of(result, "unassigned_mfa_device")


def test_centrally_managed_root_is_not_applicable_and_says_so() -> None:
    """No password, no keys, no MFA (AccountPasswordPresent 0): not root_no_mfa, and a note."""
    summary = {"AccountMFAEnabled": 0, "AccountPasswordPresent": 0, "AccountAccessKeysPresent": 0}
    result = run(snapshot(root=root_row(mfa=False), summary=summary))
    assert not of(result, "root_no_mfa")
    assert not of(result, "root_access_keys")
    assert any("Root has no password" in note for note in result.notes)


def test_root_password_presence_unknown_fails_closed() -> None:
    """Without the account summary, root's not_supported password column proves nothing."""
    [finding] = of(run(snapshot(root=root_row(mfa=False))), "root_no_mfa")
    assert "could not be read" in finding.detail


def test_account_summary_newer_than_report_wins_for_root_mfa() -> None:
    summary = {"AccountMFAEnabled": 1, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0}
    assert not of(run(snapshot(root=root_row(mfa=False), summary=summary)), "root_no_mfa")


def test_root_access_keys() -> None:
    [finding] = of(run(snapshot(root=root_row(keys=1))), "root_access_keys")
    assert finding.severity is Severity.CRITICAL
    assert "key 1" in finding.detail
    assert finding.evidence["active_access_keys"] == "1"
    assert not of(run(snapshot(root=root_row(keys=0))), "root_access_keys")


def test_root_keys_deleted_after_the_report_follow_the_summary() -> None:
    summary = {"AccountMFAEnabled": 1, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0}
    assert not of(run(snapshot(root=root_row(keys=1), summary=summary)), "root_access_keys")


def test_root_is_never_a_console_user() -> None:
    result = run(snapshot(root=root_row(mfa=False), users=[user("bob")], rows=[row("bob")]))
    console = of(result, "console_user_no_mfa")
    assert [f.principal_name for f in console] == ["bob"]
    assert all(u.name != "<root_account>" for u in result.users)


def test_missing_root_row_makes_root_rules_unknown() -> None:
    gap = CollectionGap("root_credentials", "the credential report has no <root_account> row")
    result = run(snapshot(gaps=[gap]))
    for rule_id in ("root_no_mfa", "root_no_hardware_mfa", "root_access_keys"):
        [finding] = of(result, rule_id)
        assert finding.status is FindingStatus.UNKNOWN
        assert finding.principal_type is PrincipalType.ACCOUNT
        assert "<root_account>" in finding.detail
        outcome = next(o for o in result.rule_outcomes if o.rule_id == rule_id)
        assert not outcome.evaluated
        assert "root_credentials" in outcome.reason


def test_root_mfa_removed_after_the_report_follows_the_summary() -> None:
    summary = {"AccountMFAEnabled": 0, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0}
    [finding] = of(run(snapshot(root=root_row(mfa=True), summary=summary)), "root_no_mfa")
    assert finding.evidence["AccountMFAEnabled"] == "0"
    assert finding.evidence["mfa_active"] == "true"


# Root's device is recognised by whom it is assigned to, never by its name. ListVirtualMFADevices
# (IAM API reference) returns each assigned device with its ``User``; root's is
# ``arn:<partition>:iam::<account>:root``. Since IAM allows several devices per identity with names
# the owner chooses, ``root-account-mfa-device`` is only the console's old default name, and any
# IAM user may give its own device that name.
ROOT_DEVICE_NAME = "root-account-mfa-device"


def test_user_device_named_like_roots_is_not_root_virtual_mfa() -> None:
    mallory = f"arn:aws:iam::{ACCOUNT}:user/mallory"
    snap = snapshot(
        root=root_row(mfa=True),
        users=[user("mallory")],
        rows=[row("mallory", mfa=True)],
        devices=[device(ROOT_DEVICE_NAME, mallory)],
    )
    result = run(snap)
    assert not of(result, "root_no_hardware_mfa")
    assert result.users[0].mfa_device_types == (MfaDeviceKind.VIRTUAL,)


def test_root_virtual_device_with_any_name_is_found_by_its_assignment() -> None:
    phone = device("my-root-phone", f"arn:aws:iam::{ACCOUNT}:root")
    [finding] = of(run(snapshot(root=root_row(mfa=True), devices=[phone])), "root_no_hardware_mfa")
    assert "my-root-phone" in finding.detail


def _gov(snap: Snapshot) -> Snapshot:
    """The same account in AWS GovCloud (US): every ARN in the ``aws-us-gov`` partition."""

    def gov(arn: str) -> str:
        return arn.replace("arn:aws:", "arn:aws-us-gov:", 1)

    report = snap.credential_report
    assert report is not None
    rows = tuple(dataclasses.replace(r, arn=gov(r.arn)) for r in report.rows)
    return dataclasses.replace(
        snap,
        credential_report=dataclasses.replace(report, rows=rows),
        users=tuple(dataclasses.replace(u, arn=gov(u.arn)) for u in snap.users),
        virtual_mfa_devices=tuple(
            dataclasses.replace(d, serial_number=gov(d.serial_number), user_arn=gov(d.user_arn))
            if d.user_arn
            else d
            for d in snap.virtual_mfa_devices
        ),
    )


def test_govcloud_root_virtual_device_is_recognised() -> None:
    phone = device("root-phone", f"arn:aws:iam::{ACCOUNT}:root")
    result = run(_gov(snapshot(root=root_row(mfa=True), devices=[phone])))
    [finding] = of(result, "root_no_hardware_mfa")
    assert finding.principal_arn == f"arn:aws-us-gov:iam::{ACCOUNT}:root"


def test_unknown_results_name_root_in_the_accounts_partition() -> None:
    gap = CollectionGap("credential_report", "AccessDenied")
    snap = _gov(snapshot(users=[user("bob")], rows=[row("bob")], gaps=[gap]))
    [finding] = of(run(snap), "root_no_mfa")
    assert finding.status is FindingStatus.UNKNOWN
    assert finding.principal_arn == f"arn:aws-us-gov:iam::{ACCOUNT}:root"


def test_root_row_without_arn_falls_back_to_the_partitions_root_arn() -> None:
    snap = _gov(snapshot(root=root_row(mfa=False), users=[user("bob")], rows=[row("bob")]))
    report = snap.credential_report
    assert report is not None
    blank = tuple(dataclasses.replace(r, arn="") if r.is_root else r for r in report.rows)
    snap = dataclasses.replace(snap, credential_report=dataclasses.replace(report, rows=blank))
    [finding] = of(run(snap), "root_no_mfa")
    assert finding.principal_arn == f"arn:aws-us-gov:iam::{ACCOUNT}:root"
