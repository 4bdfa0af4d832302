"""``privileged_user_phishable_mfa`` and exact device types in the users table.

A TOTP code (virtual device or hardware token) can be relayed by a phishing site; a FIDO key
cannot (CISA, "Implementing Phishing-Resistant MFA", 2022; NIST SP 800-63B-4, AAL3). Device
types follow the serial numbers as the IAM API reference for ListMFADevices shows them
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListMFADevices.html): ``:mfa/`` virtual,
``:u2f/`` FIDO, a plain serial a hardware TOTP token.
"""

from __future__ import annotations

import dataclasses

import pytest

from auditor.config import RuleSettings, parse_config
from auditor.errors import ConfigError
from auditor.mfa_devices import MfaDevice, MfaDeviceKind, UserMfaDevices, kind_of_serial
from auditor.models import FindingStatus, Severity, Snapshot

from .conftest import ACCOUNT, ADMIN_ARN, device, group, of, row, run, snapshot, user

RULE = "privileged_user_phishable_mfa"
VIRTUAL = f"arn:aws:iam::{ACCOUNT}:mfa/v"
FIDO = f"arn:aws:iam::{ACCOUNT}:u2f/user/x/key-1"
TOKEN = "GAHT12345678"


def _record(name: str, *serials: str, listed: bool = True, unknown: str = "") -> UserMfaDevices:
    devices = tuple(MfaDevice(s, kind_of_serial(s)) for s in serials)
    return UserMfaDevices(name, f"arn:aws:iam::{ACCOUNT}:user/{name}", devices, listed, unknown)


def _account(*records: UserMfaDevices, console: bool = True, admin: bool = True) -> Snapshot:
    names = [r.user_name for r in records]
    base = snapshot(
        users=[user(n, ["Admins"] if admin else []) for n in names],
        rows=[row(n, password=console, mfa=bool(r.devices) or bool(r.unknown_reason))
              for n, r in zip(names, records, strict=True)],
        groups=[group("Admins", attached=[ADMIN_ARN])],
    )  # fmt: skip
    return dataclasses.replace(base, schema_version=2, user_mfa_devices=records)


def test_kind_of_serial_follows_the_serial_format() -> None:
    assert kind_of_serial(VIRTUAL) is MfaDeviceKind.VIRTUAL
    assert kind_of_serial(FIDO) is MfaDeviceKind.FIDO
    assert kind_of_serial(TOKEN) is MfaDeviceKind.HARDWARE
    assert kind_of_serial("arn:aws-us-gov:iam::123456789012:u2f/user/x/k") is MfaDeviceKind.FIDO


def test_totp_only_admins_are_reported_fido_holders_are_not() -> None:
    result = run(
        _account(
            _record("vera", VIRTUAL),
            _record("hank", TOKEN),
            _record("both", VIRTUAL, TOKEN),
            _record("fran", FIDO),
            _record("fiva", FIDO, VIRTUAL),  # Prowler fails this one; a FIDO key beside is enough
        )
    )
    found = {f.principal_name: f for f in of(result, RULE)}
    assert set(found) == {"vera", "hank", "both"}
    assert all(
        f.status is FindingStatus.OPEN and f.severity is Severity.MEDIUM for f in found.values()
    )
    assert "a hardware TOTP token" in found["hank"].detail
    assert "a virtual (authenticator app) device" in found["vera"].detail
    assert found["both"].evidence["mfa_device_types"] == "hardware;virtual"
    types = {u.name: tuple(k.value for k in u.mfa_device_types) for u in result.users}
    assert types["fiva"] == ("fido", "virtual")
    assert types["fran"] == ("fido",)
    assert result.complete


def test_not_for_non_console_or_unprivileged_or_deviceless_users() -> None:
    assert not of(run(_account(_record("svc", VIRTUAL), console=False)), RULE)
    assert not of(run(_account(_record("dev", VIRTUAL), admin=False)), RULE)
    assert not of(run(_account(_record("bob"))), RULE)  # privileged_member_no_mfa's case


def test_unknown_types_are_unknown_findings_and_make_the_audit_incomplete() -> None:
    denied = "access denied to iam:ListMFADevices (grant it to collect this data)"
    result = run(_account(_record("ugo", VIRTUAL, listed=False, unknown=denied)))
    [finding] = of(result, RULE)
    assert finding.status is FindingStatus.UNKNOWN
    assert "access denied to iam:ListMFADevices" in finding.detail
    [types] = [u.mfa_device_types for u in result.users]
    assert types == (MfaDeviceKind.VIRTUAL, MfaDeviceKind.UNKNOWN)
    [outcome] = [o for o in result.rule_outcomes if o.rule_id == RULE]
    assert not outcome.evaluated
    assert outcome.reason.startswith("partially: ")
    assert not result.complete


def test_denied_lookup_of_an_unprivileged_user_keeps_the_audit_complete() -> None:
    """No verdict depends on a non-privileged user's device types: a note, not exit 4."""
    result = run(_account(_record("dev", listed=False, unknown="denied"), admin=False))
    assert [u.mfa_device_types for u in result.users] == [(MfaDeviceKind.UNKNOWN,)]
    assert not of(result, RULE)
    assert result.complete


def test_turned_off_or_reweighed_in_the_config() -> None:
    snap = _account(_record("vera", VIRTUAL))
    off = parse_config({"rules": {RULE: {"enabled": False}}}, "cfg.yaml")
    result = run(snap, off)
    assert not of(result, RULE)
    assert any("turned off in the config" in note for note in result.notes)
    high = parse_config({"rules": {RULE: {"severity": "HIGH"}}}, "cfg.yaml")
    assert high.rules[RULE] == RuleSettings(enabled=True, severity=Severity.HIGH)
    assert [f.severity for f in of(run(snap, high), RULE)] == [Severity.HIGH]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rules": {"root_no_mfa": {"enabled": False}}}, "rules.root_no_mfa: unknown key"),
        ({"rules": {RULE: {"enabld": False}}}, f"rules.{RULE}.enabld: unknown key"),
        ({"rules": {RULE: {"enabled": "no"}}}, f"rules.{RULE}.enabled: must be true or false"),
        ({"rules": {RULE: {"severity": "severe"}}}, f"rules.{RULE}.severity: 'severe' is not"),
    ],
)
def test_rule_settings_errors_name_the_key(data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(data, "cfg.yaml")


def test_older_inputs_without_device_lists_are_unknown_not_wrong() -> None:
    """A version-1 snapshot or an AWS CLI export has no per-user list: the admin's virtual
    device may have a FIDO key beside it, so the verdict is unknown."""
    base = _account(_record("vera", VIRTUAL))
    legacy = dataclasses.replace(
        base,
        schema_version=1,
        user_mfa_devices=(),
        virtual_mfa_devices=(device("v", f"arn:aws:iam::{ACCOUNT}:user/vera"),),
    )
    result = run(legacy)
    [finding] = of(result, RULE)
    assert finding.status is FindingStatus.UNKNOWN
    assert "no per-user device list" in finding.detail
