"""Root in 2026: centralized root access, credentials left behind, FIDO vs hardware TOTP.

IAM User Guide, "Centrally manage root access for member accounts"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management):
with ``RootCredentialsManagement`` enabled, member accounts need no root credentials, but enabling
it does not delete existing ones; they are deleted with a privileged task (``sts:AssumeRoot``,
``IAMDeleteRootUserCredentials``). Security Hub IAM.6/IAM.9 pass a root without credentials.
"""

from __future__ import annotations

import dataclasses

from auditor.mfa_devices import (
    MfaDevice,
    MfaDeviceKind,
    OrganizationFeatures,
    RootCredentials,
    RootManagement,
)
from auditor.models import FindingStatus, Severity, Snapshot

from .conftest import ACCOUNT, device, of, root_row, run, snapshot

ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"
CENTRAL = OrganizationFeatures(
    RootManagement.CENTRAL, "o-aa111bb222", ("RootCredentialsManagement", "RootSessions")
)
NO_CREDENTIALS = {
    "AccountMFAEnabled": 0,
    "AccountPasswordPresent": 0,
    "AccountAccessKeysPresent": 0,
}


def _root(features: OrganizationFeatures | None, summary: dict[str, int], **kw: object) -> Snapshot:
    base = snapshot(root=root_row(mfa=bool(summary.get("AccountMFAEnabled"))), summary=summary)
    return dataclasses.replace(base, organization_features=features, **kw)  # type: ignore[arg-type]


def test_central_root_without_credentials_passes_with_the_note() -> None:
    result = run(_root(CENTRAL, NO_CREDENTIALS))
    for rule in (
        "root_no_mfa",
        "root_no_hardware_mfa",
        "root_access_keys",
        "root_credentials_present",
    ):
        assert not of(result, rule), rule
    assert any(
        "root credentials are managed centrally by the Organization" in n for n in result.notes
    )
    assert result.complete


def test_central_root_still_holding_a_password_and_keys_is_high() -> None:
    summary = {"AccountMFAEnabled": 1, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 1}
    result = run(_root(CENTRAL, summary))
    [finding] = of(result, "root_credentials_present")
    assert finding.severity is Severity.HIGH
    assert finding.status is FindingStatus.OPEN
    assert "still holds a password and access keys" in finding.detail
    assert "IAMDeleteRootUserCredentials" in finding.remediation
    assert "sts assume-root" in finding.remediation
    assert of(result, "root_access_keys")  # the keys are still a root finding of their own


def test_not_central_runs_the_root_rules_and_the_note_says_why() -> None:
    """Not in an Organization, or the call refused: judged from the credential report."""
    summary = {"AccountMFAEnabled": 0, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0}
    alone = run(_root(OrganizationFeatures(RootManagement.NOT_IN_ORGANIZATION), summary))
    assert of(alone, "root_no_mfa")
    assert not of(alone, "root_credentials_present")
    assert any("not in an Organization" in n for n in alone.notes)
    denied = OrganizationFeatures(RootManagement.DENIED, reason="access denied to x")
    refused = run(_root(denied, summary))
    assert of(refused, "root_no_mfa")
    assert any("could not be read (access denied to x)" in n for n in refused.notes)
    member = run(_root(OrganizationFeatures(RootManagement.NOT_ANSWERED_HERE), summary))
    assert any("only the management account can tell" in n for n in member.notes)


def test_virtual_root_device_text_names_both_better_kinds() -> None:
    devices = [device("root-account-mfa-device", ROOT_ARN)]
    [finding] = of(run(snapshot(devices=devices)), "root_no_hardware_mfa")
    assert "rather than a FIDO security key (phishing-resistant) or a hardware TOTP token" in (
        finding.detail
    )


def test_root_session_tells_fido_from_hardware_totp() -> None:
    """Only a root session (AssumeRoot, IAMAuditRootUserCredentials) can list root's non-virtual
    devices; with it, root_no_hardware_mfa's note says which kind root holds."""
    devices = [device("root-account-mfa-device", ROOT_ARN)]
    fido = MfaDevice(f"arn:aws:iam::{ACCOUNT}:u2f/root/key", MfaDeviceKind.FIDO)
    virtual = MfaDevice(devices[0].serial_number, MfaDeviceKind.VIRTUAL)
    token = MfaDevice("GAHT00000001", MfaDeviceKind.HARDWARE)
    beside = dataclasses.replace(
        snapshot(devices=devices), root_credentials=RootCredentials(True, 0, 0, (virtual, fido))
    )
    result = run(beside)
    assert not of(result, "root_no_hardware_mfa")  # a FIDO key beside the virtual device
    assert any("FIDO security key (phishing-resistant)" in n for n in result.notes)
    hardware = dataclasses.replace(
        snapshot(), root_credentials=RootCredentials(True, 0, 0, (token,))
    )
    result = run(hardware)
    assert not of(result, "root_no_hardware_mfa")
    assert any("hardware TOTP token: it passes" in n for n in result.notes)
