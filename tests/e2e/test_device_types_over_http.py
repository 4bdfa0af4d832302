"""End to end over HTTP: exact MFA device types, the ListMFADevices call formula, and who gets
``privileged_user_phishable_mfa``.

Devices are seeded through moto's own API. moto's ``EnableMFADevice`` stores whatever serial it
is given (``moto/iam/models.py``, ``User.enable_mfa_device``), so a hardware TOTP token is
enabled with a plain serial and a FIDO key with a ``:u2f/`` ARN, the shapes
``ListMFADevices`` returns for them in AWS (IAM API reference, ListMFADevices; IAM User Guide,
"Assign a passkey or security key"). Serials the collector never calls for prove the formula
(auditor.collector.mfa_lookup): calls = |mfa_active without a virtual device| + |console users
holding a virtual device who belong to a group, hold a policy, or are named in a trust policy|.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest

from auditor.analyzer import analyze
from auditor.collector import collect_snapshot
from auditor.config import AuditorConfig, CollectorSettings
from auditor.models import FindingStatus, MfaDeviceKind
from tests.support.call_counter import count_calls
from tests.support.moto_server import DUMMY_CREDENTIALS, dummy_aws_environment
from tests.support.seeding import ADMIN_POLICY_ARN, seeding_client

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"
CODES = {"AuthenticationCode1": "123456", "AuthenticationCode2": "654321"}

USERS: dict[str, dict[str, Any]] = {
    # name: groups, console password, devices ("virtual" / "fido" / "hardware")
    "ana-virtual": {"admin": True, "console": True, "devices": ["virtual"]},
    "ben-hardware": {"admin": True, "console": True, "devices": ["hardware"]},
    "cat-fido": {"admin": True, "console": True, "devices": ["fido"]},
    "dan-fido-virtual": {"admin": True, "console": True, "devices": ["virtual", "fido"]},
    "eve-two-totp": {"admin": True, "console": True, "devices": ["virtual", "hardware"]},
    "fay-dev-virtual": {"admin": False, "console": True, "devices": ["virtual"]},
    "gus-keys-virtual": {"admin": True, "console": False, "devices": ["virtual"]},
    "hal-nobody": {"admin": None, "console": True, "devices": ["virtual"]},
    "ivy-none": {"admin": True, "console": True, "devices": []},
}
"""``admin``: True → Admins (AdministratorAccess), False → Developers (read-only S3), None → no
group and no policy at all (can reach nothing, so no call can change its verdict)."""

EXPECTED_TYPES = {
    "ana-virtual": ("virtual",),
    "ben-hardware": ("hardware",),
    "cat-fido": ("fido",),
    "dan-fido-virtual": ("fido", "virtual"),
    "eve-two-totp": ("hardware", "virtual"),
    "fay-dev-virtual": ("virtual",),
    "gus-keys-virtual": ("virtual",),
    "hal-nobody": ("virtual",),
    "ivy-none": (),
}
LOOKED_UP = {
    # (a) mfa_active but no virtual device:
    "ben-hardware",
    "cat-fido",
    # (b) console + virtual device + a group or policy:
    "ana-virtual",
    "dan-fido-virtual",
    "eve-two-totp",
    "fay-dev-virtual",
}


def _seed(endpoint_url: str) -> None:
    iam = seeding_client(endpoint_url)
    iam.create_group(GroupName="Admins")
    iam.attach_group_policy(GroupName="Admins", PolicyArn=ADMIN_POLICY_ARN)
    iam.create_group(GroupName="Developers")
    read_s3 = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    iam.put_group_policy(
        GroupName="Developers",
        PolicyName="read",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [read_s3]}),
    )
    for index, (name, spec) in enumerate(USERS.items()):
        iam.create_user(UserName=name)
        if spec["admin"] is not None:
            iam.add_user_to_group(
                GroupName="Admins" if spec["admin"] else "Developers", UserName=name
            )
        if spec["console"]:
            iam.create_login_profile(UserName=name, Password="Seeded-Passw0rd!")
        else:
            iam.create_access_key(UserName=name)
        for kind in spec["devices"]:
            if kind == "virtual":
                serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)[
                    "VirtualMFADevice"
                ]["SerialNumber"]
            elif kind == "fido":
                serial = f"arn:aws:iam::{ACCOUNT}:u2f/user/{name}/{name}-key-ABCDEF"
            else:
                serial = f"GAHT{index:08d}"
            iam.enable_mfa_device(UserName=name, SerialNumber=serial, **CODES)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in dummy_aws_environment({}).items():
        monkeypatch.setenv(name, value)


def test_exact_types_call_formula_and_phishable_admins(moto_endpoint: str, aws_env: None) -> None:
    _seed(moto_endpoint)
    session = boto3.Session(region_name=DUMMY_CREDENTIALS["AWS_DEFAULT_REGION"])
    counter = count_calls(session)
    settings = CollectorSettings(poll_initial_delay_seconds=0.2, mfa_device_workers=4)
    snapshot = collect_snapshot(session, settings, endpoint_url=moto_endpoint)

    calls = counter.by_operation()
    assert calls["iam:ListMFADevices"] == len(LOOKED_UP), calls
    records = {record.user_name: record for record in snapshot.user_mfa_devices}
    assert set(records) == set(USERS)  # every user's devices are in the snapshot
    assert {name for name, record in records.items() if record.listed} == LOOKED_UP
    assert [gap.source for gap in snapshot.gaps if gap.source == "mfa_devices"] == []

    result = analyze(snapshot, AuditorConfig(), now=datetime.now(timezone.utc))
    types = {u.name: tuple(kind.value for kind in u.mfa_device_types) for u in result.users}
    assert types == EXPECTED_TYPES
    assert MfaDeviceKind.HARDWARE_OR_FIDO not in {
        k for u in result.users for k in u.mfa_device_types
    }

    phishable = {
        f.principal_name: f.status
        for f in result.findings
        if f.rule_id == "privileged_user_phishable_mfa"
    }
    # Privileged console users with only TOTP; not cat/dan (FIDO), not fay (not privileged),
    # not gus (no console password), not hal (no policy), not ivy (no MFA: another rule).
    assert phishable == {
        "ana-virtual": FindingStatus.OPEN,
        "ben-hardware": FindingStatus.OPEN,
        "eve-two-totp": FindingStatus.OPEN,
    }
