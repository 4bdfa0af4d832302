"""Snapshot JSON: round-trips every record type and rejects malformed files with a path."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.models import (
    SNAPSHOT_SCHEMA_VERSION,
    AccessKeyStatus,
    AttachedPolicy,
    CertificateStatus,
    CollectionGap,
    CredentialReport,
    CredentialReportRow,
    Group,
    InlinePolicy,
    ManagedPolicy,
    Snapshot,
    Unavailable,
    User,
    VirtualMfaDevice,
)
from auditor.snapshot_io import dumps_snapshot, load_snapshot, save_snapshot

WHEN = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
NO_KEY = AccessKeyStatus(
    False,
    Unavailable.NOT_APPLICABLE,
    Unavailable.NOT_APPLICABLE,
    Unavailable.NOT_APPLICABLE,
    Unavailable.NOT_APPLICABLE,
)
NO_CERT = CertificateStatus(False, Unavailable.NOT_APPLICABLE)


def _snapshot() -> Snapshot:
    row = CredentialReportRow(
        user="bob",
        arn="arn:aws:iam::123456789012:user/bob",
        user_creation_time=WHEN,
        password_enabled=True,
        password_last_used=Unavailable.NO_INFORMATION,
        password_last_changed=WHEN,
        password_next_rotation=Unavailable.NOT_APPLICABLE,
        mfa_active=False,
        access_key_1=AccessKeyStatus(True, WHEN, WHEN, "us-east-1", "iam"),
        access_key_2=NO_KEY,
        cert_1=NO_CERT,
        cert_2=NO_CERT,
    )
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    return Snapshot(
        schema_version=SNAPSHOT_SCHEMA_VERSION,
        tool_version="0.1.0",
        source="aws",
        account_id="123456789012",
        account_alias="acme",
        caller_arn=None,
        collected_at=WHEN,
        credential_report=CredentialReport(WHEN, (row,)),
        users=(
            User(
                "bob",
                row.arn,
                "AIDA1",
                "/",
                WHEN,
                ("Admins",),
                (InlinePolicy("x", {"Version": "2012-10-17", "Statement": []}),),
                (),
                None,
                {"team": "ops"},
            ),
        ),
        groups=(
            Group(
                "Admins",
                "arn:aws:iam::123456789012:group/Admins",
                "AGPA1",
                "/",
                None,
                (),
                (AttachedPolicy(admin, "AdministratorAccess"),),
            ),
        ),
        roles=(),
        policies=(
            ManagedPolicy(
                admin,
                "AdministratorAccess",
                None,
                "/",
                "v1",
                {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                1,
                True,
            ),
        ),
        virtual_mfa_devices=(VirtualMfaDevice("arn:aws:iam::123456789012:mfa/x", None, None),),
        account_summary={"Users": 1},
        password_policy=None,
        gaps=(CollectionGap("root_credentials", "no root row"),),
    )


def test_round_trip_preserves_every_value(tmp_path: Path) -> None:
    snapshot = _snapshot()
    path = tmp_path / "s.json"
    save_snapshot(snapshot, path)
    assert load_snapshot(path) == snapshot
    data = json.loads(path.read_text(encoding="utf-8"))
    row = data["credential_report"]["rows"][0]
    assert row["password_last_used"] == "no_information"
    assert row["access_key_1"]["last_used_date"] == "2026-11-27T10:00:00Z"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("users"), "invalid snapshot at $: missing field 'users'"),
        (lambda d: d.__setitem__("users", {}), "$.users: expected a list"),
        (lambda d: d.__setitem__("collected_at", "yesterday"), "'yesterday' is not an ISO-8601"),
        (
            lambda d: d["credential_report"]["rows"][0].__setitem__("mfa_active", "true"),
            "$.credential_report.rows[0].mfa_active: expected bool",
        ),
        (lambda d: d.__setitem__("schema_version", 99), "schema version 99 is not supported"),
        (lambda d: d.__setitem__("schema_version", "1"), "schema_version must be a whole number"),
    ],
)
def test_malformed_snapshot_names_file_and_path(tmp_path: Path, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(dumps_snapshot(_snapshot()))
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_snapshot(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_not_json_and_not_a_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid JSON \(line 1"):
        load_snapshot(path)
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="not an mfa-auditor snapshot"):
        load_snapshot(path)
