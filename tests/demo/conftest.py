"""Fixtures for the demo tests: the data file, a seeded moto mock, and a minimal snapshot."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from moto import mock_aws

from auditor.demo import DEMO_DATA, DemoAccount, load_demo_data, seed_account
from auditor.models import (
    SNAPSHOT_SCHEMA_VERSION,
    AccessKeyStatus,
    CertificateStatus,
    CollectionGap,
    CredentialReport,
    CredentialReportRow,
    Snapshot,
    Unavailable,
    VirtualMfaDevice,
)

NA = Unavailable.NOT_APPLICABLE
COLLECTED_AT = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def demo_data() -> DemoAccount:
    return load_demo_data()


@pytest.fixture(scope="session")
def raw_demo() -> dict[str, Any]:
    """The data file as plain YAML, for tests that break one key of it."""
    loaded: dict[str, Any] = yaml.safe_load(DEMO_DATA.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def write_variant(tmp_path: Path, raw_demo: dict[str, Any]) -> Callable[..., Path]:
    """Write a copy of the data file after ``change`` edits its decoded YAML in place."""

    def write(change: Callable[[dict[str, Any]], None], name: str = "company.yaml") -> Path:
        data = copy.deepcopy(raw_demo)
        change(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="module")
def seeded_iam(demo_data: DemoAccount) -> Iterator[Any]:
    """An IAM client on moto's mock with the demo seeded once per module (seeding takes ~2 s).

    ``MOTO_IAM_LOAD_MANAGED_POLICIES`` is set before the mock starts: moto reads it when it
    builds the account's IAM backend, and AWS-managed policies exist only with it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        with mock_aws():
            client = boto3.client(
                "iam",
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            seed_account(client, demo_data)
            yield client


def key_slot(active: bool = False) -> AccessKeyStatus:
    rotated = COLLECTED_AT if active else NA
    return AccessKeyStatus(active, rotated, NA, NA, NA)


def user_row(name: str, *, mfa: bool = False, password: bool = True) -> CredentialReportRow:
    return CredentialReportRow(
        user=name,
        arn=f"arn:aws:iam::123456789012:user/{name}",
        user_creation_time=COLLECTED_AT,
        password_enabled=password,
        password_last_used=Unavailable.NO_INFORMATION,
        password_last_changed=COLLECTED_AT if password else NA,
        password_next_rotation=Unavailable.NOT_SUPPORTED,
        mfa_active=mfa,
        access_key_1=key_slot(),
        access_key_2=key_slot(),
        cert_1=CertificateStatus(False, NA),
        cert_2=CertificateStatus(False, NA),
    )


@pytest.fixture
def moto_like_snapshot() -> Snapshot:
    """What the collector makes of moto: no root row, a root_credentials gap, AccountMFAEnabled 0.

    It also holds an unrelated gap and note, which apply_demo_root must keep, and an unassigned
    copy of root's device, which it must replace by one assigned to root.
    """
    return Snapshot(
        schema_version=SNAPSHOT_SCHEMA_VERSION,
        tool_version="0.1.0",
        source="aws",
        account_id="123456789012",
        account_alias="brightwave-prod",
        caller_arn="arn:aws:iam::123456789012:user/auditor",
        collected_at=COLLECTED_AT,
        credential_report=CredentialReport(
            generated_time=COLLECTED_AT,
            rows=(user_row("maria.garcia", mfa=True), user_row("james.okafor")),
        ),
        users=(),
        groups=(),
        roles=(),
        policies=(),
        virtual_mfa_devices=(
            VirtualMfaDevice(
                "arn:aws:iam::123456789012:mfa/maria.garcia",
                "arn:aws:iam::123456789012:user/maria.garcia",
                COLLECTED_AT,
            ),
            VirtualMfaDevice("arn:aws:iam::123456789012:mfa/root-account-mfa-device", None, None),
        ),
        account_summary={"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0, "Users": 2},
        password_policy=None,
        gaps=(
            CollectionGap("root_credentials", "the credential report has no <root_account> row"),
            CollectionGap("account_aliases", "AccessDenied"),
        ),
        notes=("Collected by the test suite.",),
    )
