"""Access keys vs MFA, device kinds, and unassigned devices.

IAM User Guide, "AWS global condition context keys": requests signed with long-term access keys
carry no aws:MultiFactorAuthPresent. "Secure API access with MFA": MFA reaches API calls only via
GetSessionToken/AssumeRole with a TOTP code, which a FIDO security key cannot produce.
"""

from __future__ import annotations

from auditor.models import CredentialReportRow, MfaDeviceKind, PrincipalType, Severity, Snapshot

from .conftest import (
    ACCOUNT,
    ADMIN_ARN,
    DENY_WITHOUT_MFA,
    device,
    group,
    of,
    row,
    run,
    snapshot,
    user,
)


def _admins(report_row: CredentialReportRow, *, require_mfa: bool = False) -> Snapshot:
    """One user in Admins (AdministratorAccess), optionally also in RequireMfa (BoolIfExists)."""
    groups = ["Admins", "RequireMfa"] if require_mfa else ["Admins"]
    return snapshot(
        users=[user(report_row.user, groups)],
        rows=[report_row],
        groups=[
            group("Admins", attached=[ADMIN_ARN]),
            group("RequireMfa", inline={"d": DENY_WITHOUT_MFA}),
        ],
    )


def test_key_only_admin_reaches_everything_without_mfa() -> None:
    snap = _admins(row("svc", password=False, keys=1))
    [finding] = of(run(snap), "access_key_privileged_no_mfa")
    assert finding.severity is Severity.HIGH
    assert finding.principal_type is PrincipalType.USER
    assert finding.detail.startswith(
        "svc's active access key can call every action (*) without MFA"
    )
    assert "no MFA condition applies" in finding.detail
    assert "it has no MFA device either" in finding.detail
    assert finding.evidence["active_access_keys"] == "1"


def test_keys_held_to_mfa_by_boolifexists_deny_pass() -> None:
    snap = _admins(row("ops", keys=2, mfa=True), require_mfa=True)
    assert not of(run(snap), "access_key_privileged_no_mfa")


def test_non_virtual_device_is_hardware_or_fido_and_said_so_when_keys_bypass() -> None:
    """mfa_active with no virtual device: a hardware TOTP token or a FIDO key (can't tell)."""
    result = run(_admins(row("kim", keys=1, mfa=True)))
    [finding] = of(result, "access_key_privileged_no_mfa")
    assert "hardware TOTP token or a FIDO security key" in finding.detail
    assert "could never present MFA" in finding.detail
    [summary] = result.users
    assert summary.mfa_device_types == (MfaDeviceKind.HARDWARE_OR_FIDO,)


def test_keys_locked_out_when_only_device_may_be_fido_is_a_note_not_a_finding() -> None:
    result = run(_admins(row("kim", keys=1, mfa=True), require_mfa=True))
    assert not of(result, "access_key_privileged_no_mfa")
    assert any("kim" in note and "FIDO" in note for note in result.notes)


def test_virtual_device_owner_is_virtual() -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:user/vic"
    snap = snapshot(users=[user("vic")], rows=[row("vic", mfa=True)], devices=[device("vic", arn)])
    assert run(snap).users[0].mfa_device_types == (MfaDeviceKind.VIRTUAL,)


def test_unassigned_virtual_device_is_reported_by_serial() -> None:
    result = run(snapshot(devices=[device("jonas", None)]))
    [finding] = of(result, "unassigned_mfa_device")
    assert finding.principal_name == f"arn:aws:iam::{ACCOUNT}:mfa/jonas"
    assert finding.principal_type is PrincipalType.MFA_DEVICE
    assert finding.severity is Severity.LOW


def test_unassigned_device_named_like_roots_is_reported_and_is_not_roots() -> None:
    """Assigned to nobody means no ``User`` in ListVirtualMFADevices, whatever the name: the
    console's old default name for root's device proves nothing about who holds it."""
    serial = f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"
    result = run(snapshot(devices=[device("root-account-mfa-device", None)]))
    [finding] = of(result, "unassigned_mfa_device")
    assert finding.principal_name == serial
    assert not of(result, "root_no_hardware_mfa")


def test_assigned_devices_are_not_reported() -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:user/vic"
    snap = snapshot(users=[user("vic")], rows=[row("vic", mfa=True)], devices=[device("vic", arn)])
    assert not of(run(snap), "unassigned_mfa_device")
