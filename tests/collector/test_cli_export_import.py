"""Auditing without credentials: the AWS CLI's exports read into a snapshot, strictly.

Input shapes: ``aws iam get-account-authorization-details`` output (the CLI follows the pages
and merges them; timestamps are ISO strings; documents are decoded JSON objects) and the
credential report CSV the IAM console downloads.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from auditor.collector import load_aws_cli_export
from auditor.collector.credential_report import COLUMNS
from auditor.errors import InputError
from auditor.models import CollectionSource, Severity
from auditor.snapshot_io import load_snapshot, save_snapshot
from tests.support.credential_rows import ACCOUNT, ROOT_ROW, report_csv, report_row

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
MTIME = datetime(2025, 6, 7, 8, 9, 10, tzinfo=timezone.utc)


def export_data() -> dict[str, Any]:
    return {
        "UserDetailList": [
            {
                "Path": "/",
                "UserName": "alice",
                "UserId": "AIDAALICE",
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
                "CreateDate": "2020-02-03T04:05:06+00:00",
                "GroupList": ["Admins"],
                "AttachedManagedPolicies": [],
                "Tags": [],
            }
        ],
        "GroupDetailList": [
            {
                "Path": "/",
                "GroupName": "Admins",
                "GroupId": "AGPAADMINS",
                "Arn": f"arn:aws:iam::{ACCOUNT}:group/Admins",
                "CreateDate": "2020-02-03T04:05:06Z",
                "GroupPolicyList": [{"PolicyName": "inline", "PolicyDocument": ALLOW_ALL}],
                "AttachedManagedPolicies": [
                    {"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN}
                ],
            }
        ],
        "RoleDetailList": [],
        "Policies": [
            {
                "PolicyName": "AdministratorAccess",
                "PolicyId": "ANPAADMIN",
                "Arn": ADMIN,
                "Path": "/",
                "DefaultVersionId": "v1",
                "AttachmentCount": 1,
                "PermissionsBoundaryUsageCount": 0,
                "IsAttachable": True,
                "PolicyVersionList": [
                    {"Document": ALLOW_ALL, "VersionId": "v1", "IsDefaultVersion": True}
                ],
            }
        ],
    }


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (MTIME.timestamp(), MTIME.timestamp()))
    return path


@pytest.fixture
def details(tmp_path: Path) -> Path:
    return write(tmp_path / "auth.json", json.dumps(export_data(), indent=2))


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return write(tmp_path / "report.csv", report_csv(ROOT_ROW, report_row("alice")))


def test_export_with_credential_report(details: Path, report: Path, tmp_path: Path) -> None:
    snapshot = load_aws_cli_export(details, report)
    assert snapshot.source == "aws-cli-export"
    assert snapshot.account_id == ACCOUNT  # derived from the ARNs
    assert snapshot.collected_at == MTIME
    assert [u.name for u in snapshot.users] == ["alice"]
    assert snapshot.users[0].create_date == datetime(2020, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    assert snapshot.groups[0].inline_policies[0].document == ALLOW_ALL
    assert [p.name for p in snapshot.policies] == ["AdministratorAccess"]
    assert snapshot.credential_report is not None
    assert snapshot.credential_report.generated_time == MTIME
    assert snapshot.credential_report.root is not None
    # What an export cannot contain is recorded, not assumed absent.
    assert {g.source for g in snapshot.gaps} == {
        CollectionSource.VIRTUAL_MFA_DEVICES.value,
        CollectionSource.ACCOUNT_SUMMARY.value,
        CollectionSource.PASSWORD_POLICY.value,
    }
    assert any("modification time" in note for note in snapshot.notes)
    save_snapshot(snapshot, tmp_path / "snap.json")
    assert load_snapshot(tmp_path / "snap.json") == snapshot


def test_without_credential_report_is_a_gap(details: Path) -> None:
    snapshot = load_aws_cli_export(details, None)
    assert snapshot.credential_report is None
    gap = snapshot.gap_for(CollectionSource.CREDENTIAL_REPORT)
    assert gap is not None
    assert "no credential report" in gap.reason


def test_report_without_root_row_is_a_gap(details: Path, tmp_path: Path) -> None:
    csv = write(tmp_path / "r.csv", report_csv(report_row("alice")))
    snapshot = load_aws_cli_export(details, csv)
    assert snapshot.gap_for(CollectionSource.ROOT_CREDENTIALS) is not None


def test_url_encoded_string_documents_are_accepted(tmp_path: Path) -> None:
    data = export_data()
    data["GroupDetailList"][0]["GroupPolicyList"][0]["PolicyDocument"] = quote(
        json.dumps(ALLOW_ALL)
    )
    path = write(tmp_path / "auth.json", json.dumps(data))
    assert load_aws_cli_export(path, None).groups[0].inline_policies[0].document == ALLOW_ALL


def _broken(tmp_path: Path, change: Any) -> Path:
    data = export_data()
    change(data)
    return write(tmp_path / "auth.json", json.dumps(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["UserDetailList"][0].pop("UserName"),
            r"auth\.json: \$\.UserDetailList\[0\]\.UserName: missing",
        ),
        (
            lambda d: d["UserDetailList"][0].update(GroupList="Admins"),
            r"\$\.UserDetailList\[0\]\.GroupList: expected a list, got str",
        ),
        (
            lambda d: d["UserDetailList"][0].update(CreateDate="last week"),
            r"CreateDate: 'last week' is not an ISO 8601 timestamp",
        ),
        (
            lambda d: d["GroupDetailList"][0]["GroupPolicyList"][0].update(PolicyDocument="{x"),
            r"auth\.json: inline policy 'inline' of group Admins: not valid JSON",
        ),
        (
            lambda d: d["Policies"][0].update(
                DefaultVersionId="v9",
                PolicyVersionList=[{"Document": ALLOW_ALL, "VersionId": "v1"}],
            ),
            r"auth\.json: managed policy AdministratorAccess .*: no default version",
        ),
        (lambda d: d.update(IsTruncated=True), r"auth\.json: the export is truncated"),
        (lambda d: d.update(NextToken="abc"), r"auth\.json: the export is truncated"),
        (lambda d: d.update(UserDetailList={}), r"UserDetailList: expected a list, got dict"),
    ],
)
def test_malformed_export_names_file_and_place(tmp_path: Path, change: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_aws_cli_export(_broken(tmp_path, change), None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"auth\.json: not valid JSON \(line 1, column 2"),
        ("[]", r"auth\.json: not an `aws iam get-account-authorization-details` export"),
        ('{"schema_version": 1}', "not an `aws iam get-account-authorization-details` export"),
    ],
)
def test_not_an_export(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_aws_cli_export(write(tmp_path / "auth.json", text), None)


def test_missing_files_are_named(details: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.json: cannot read"):
        load_aws_cli_export(tmp_path / "nowhere.json", None)
    with pytest.raises(InputError, match=r"nowhere\.csv: cannot read"):
        load_aws_cli_export(details, tmp_path / "nowhere.csv")


def test_bad_credential_report_names_file_row_and_column(details: Path, tmp_path: Path) -> None:
    csv = write(tmp_path / "r.csv", report_csv(ROOT_ROW, report_row("bob", mfa_active="nope")))
    with pytest.raises(InputError, match=r"r\.csv: row 3 \(user bob\), column mfa_active"):
        load_aws_cli_export(details, csv)


def test_files_from_two_accounts_are_refused(details: Path, tmp_path: Path) -> None:
    other = report_row("eve", arn="arn:aws:iam::999999999999:user/eve")
    csv = write(tmp_path / "r.csv", report_csv(ROOT_ROW, other))
    message = r"r\.csv: the credential report names several accounts \(111122223333, 9{12}\)"
    with pytest.raises(InputError, match=message):
        load_aws_cli_export(details, csv)
    alone = write(tmp_path / "e.csv", report_csv(other))
    message = r"e\.csv: the credential report is from account 9{12}, but auth\.json is from 1"
    with pytest.raises(InputError, match=message) as caught:
        load_aws_cli_export(details, alone)
    assert "account 111122223333" in str(caught.value.hint)


def test_given_account_id_must_match(details: Path) -> None:
    assert load_aws_cli_export(details, None, account_id=ACCOUNT).account_id == ACCOUNT
    with pytest.raises(InputError, match=f"from account {ACCOUNT}, not 222233334444"):
        load_aws_cli_export(details, None, account_id="222233334444")
    with pytest.raises(InputError, match="not a 12-digit AWS account id"):
        load_aws_cli_export(details, None, account_id="prod")


def test_account_id_needed_when_no_arn_tells_it(tmp_path: Path) -> None:
    empty = write(tmp_path / "auth.json", json.dumps({"UserDetailList": [], "Policies": []}))
    with pytest.raises(InputError, match="cannot tell the account id") as caught:
        load_aws_cli_export(empty, None)
    assert "account id" in str(caught.value.hint)
    assert load_aws_cli_export(empty, None, account_id=ACCOUNT).account_id == ACCOUNT


def test_default_version_found_by_id_when_the_flag_is_absent(tmp_path: Path) -> None:
    """Hand-trimmed exports may drop ``IsDefaultVersion``; ``DefaultVersionId`` still decides."""
    data = export_data()
    data["Policies"][0].update(
        DefaultVersionId="v2",
        PolicyVersionList=[
            {"Document": {"Version": "2012-10-17", "Statement": []}, "VersionId": "v1"},
            {"Document": ALLOW_ALL, "VersionId": "v2"},
        ],
    )
    snapshot = load_aws_cli_export(write(tmp_path / "auth.json", json.dumps(data)), None)
    assert snapshot.policies[0].document == ALLOW_ALL
    assert snapshot.policies[0].default_version_id == "v2"


def test_export_without_user_list_is_a_gap_naming_it(tmp_path: Path) -> None:
    """`--filter Role Group` drops UserDetailList: the report's users must not read as holding
    nothing (their groups and policies are unknown), so the audit is incomplete (exit 4)."""
    data = export_data()
    del data["UserDetailList"]
    details = write(tmp_path / "auth.json", json.dumps(data))
    report = write(tmp_path / "r.csv", report_csv(ROOT_ROW, report_row("alice")))
    snapshot = load_aws_cli_export(details, report)
    gap = snapshot.gap_for(CollectionSource.AUTHORIZATION_DETAILS)
    assert gap is not None
    assert gap.reason.startswith("auth.json has no UserDetailList (users)")
    assert "--filter" in gap.reason
    assert snapshot.users == ()

    from auditor.analyzer import analyze
    from auditor.config import AuditorConfig
    from auditor.exit_codes import ExitCode, decide_exit_code

    result = analyze(snapshot, AuditorConfig(), now=MTIME)
    assert not result.complete
    assert [user.name for user in result.users] == ["alice"]  # kept from the report
    assert any(not outcome.evaluated for outcome in result.rule_outcomes)
    code = decide_exit_code(complete=result.complete, worst_open=None, fail_on=Severity.HIGH)
    assert code == ExitCode.INCOMPLETE == 4


def test_every_missing_list_is_named(tmp_path: Path) -> None:
    data = {"RoleDetailList": [], "UserDetailList": []}
    snapshot = load_aws_cli_export(
        write(tmp_path / "a.json", json.dumps(data)), None, account_id=ACCOUNT
    )
    gap = snapshot.gap_for(CollectionSource.AUTHORIZATION_DETAILS)
    assert gap is not None
    assert "GroupDetailList (groups), Policies (managed policies)" in gap.reason


def test_complete_export_has_no_authorization_gap(details: Path) -> None:
    assert (
        load_aws_cli_export(details, None).gap_for(CollectionSource.AUTHORIZATION_DETAILS) is None
    )


def test_repeated_user_in_the_csv_is_refused(details: Path, tmp_path: Path) -> None:
    csv = write(
        tmp_path / "r.csv",
        report_csv(ROOT_ROW, report_row("alice"), report_row("alice", mfa_active="true")),
    )
    with pytest.raises(
        InputError, match=r"r\.csv: .*same user on several rows: alice \(rows 3, 4\)"
    ):
        load_aws_cli_export(details, csv)


def test_unknown_csv_column_is_ignored_with_a_note(details: Path, tmp_path: Path) -> None:
    columns = (*COLUMNS, "passkey_active")
    rows = (dict(ROOT_ROW, passkey_active="false"), report_row("alice", passkey_active="true"))
    csv = write(tmp_path / "r.csv", report_csv(*rows, columns=columns))
    snapshot = load_aws_cli_export(details, csv)
    assert snapshot.credential_report is not None
    assert any("ignored: passkey_active" in note for note in snapshot.notes)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{}", r"auth\.json: not a UTF-8 text"),
        (b"[" * 100_000, r"auth\.json: (JSON nested too deeply|not valid JSON)"),
    ],
    ids=["not-utf8", "too-deep"],
)
def test_unreadable_json_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "auth.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        load_aws_cli_export(path, None)
    assert "\n" not in str(caught.value)


def devices_data() -> dict[str, Any]:
    """`aws iam list-virtual-mfa-devices` output: the CLI merges pages into one object."""
    return {
        "VirtualMFADevices": [
            {
                "SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device",
                "User": {
                    "UserId": ACCOUNT,
                    "Arn": f"arn:aws:iam::{ACCOUNT}:root",
                    "CreateDate": "2019-01-01T00:00:00+00:00",
                },
                "EnableDate": "2019-01-02T03:04:05+00:00",
            },
            {
                "SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/alice",
                "User": {
                    "Path": "/",
                    "UserName": "alice",
                    "UserId": "AIDAALICE",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
                    "CreateDate": "2020-02-03T04:05:06+00:00",
                },
                "EnableDate": "2021-01-01T00:00:00Z",
            },
            {"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/spare"},
        ]
    }


def test_virtual_mfa_devices_file_fills_the_gap(
    details: Path, report: Path, tmp_path: Path
) -> None:
    devices = write(tmp_path / "mfa.json", json.dumps(devices_data()))
    snapshot = load_aws_cli_export(details, report, virtual_mfa_devices=devices)
    assert snapshot.gap_for(CollectionSource.VIRTUAL_MFA_DEVICES) is None
    assert {g.source for g in snapshot.gaps} == {
        CollectionSource.ACCOUNT_SUMMARY.value,
        CollectionSource.PASSWORD_POLICY.value,
    }
    root, alice, spare = snapshot.virtual_mfa_devices
    assert root.user_arn == f"arn:aws:iam::{ACCOUNT}:root"
    assert root.enable_date == datetime(2019, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert alice.user_arn == f"arn:aws:iam::{ACCOUNT}:user/alice"
    assert alice.enable_date == datetime(2021, 1, 1, tzinfo=timezone.utc)
    assert (spare.user_arn, spare.enable_date) == (None, None)
    save_snapshot(snapshot, tmp_path / "snap.json")
    assert load_snapshot(tmp_path / "snap.json") == snapshot


def test_empty_device_list_is_a_fact(details: Path, tmp_path: Path) -> None:
    devices = write(tmp_path / "mfa.json", json.dumps({"VirtualMFADevices": []}))
    snapshot = load_aws_cli_export(details, None, virtual_mfa_devices=devices)
    assert snapshot.virtual_mfa_devices == ()
    assert snapshot.gap_for(CollectionSource.VIRTUAL_MFA_DEVICES) is None


def test_without_devices_file_the_gap_says_which_file_is_missing(details: Path) -> None:
    gap = load_aws_cli_export(details, None).gap_for(CollectionSource.VIRTUAL_MFA_DEVICES)
    assert gap is not None
    assert "aws iam list-virtual-mfa-devices" in gap.reason


def _devices_change(d: dict[str, Any], key: str, value: Any) -> None:
    d["VirtualMFADevices"][1][key] = value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.clear(), r"mfa\.json: not an `aws iam list-virtual-mfa-devices` output"),
        (
            lambda d: d["VirtualMFADevices"][1].pop("SerialNumber"),
            r"mfa\.json: \$\.VirtualMFADevices\[1\]\.SerialNumber: missing",
        ),
        (
            lambda d: d["VirtualMFADevices"][1]["User"].pop("Arn"),
            r"mfa\.json: \$\.VirtualMFADevices\[1\]\.User\.Arn: missing",
        ),
        (
            lambda d: _devices_change(d, "User", "alice"),
            r"\$\.VirtualMFADevices\[1\]\.User: expected a JSON object, got str",
        ),
        (
            lambda d: _devices_change(d, "EnableDate", "soon"),
            r"\$\.VirtualMFADevices\[1\]\.EnableDate: 'soon' is not an ISO 8601 timestamp",
        ),
        (
            lambda d: d.update(VirtualMFADevices={}),
            r"\$\.VirtualMFADevices: expected a list, got dict",
        ),
        (lambda d: d.update(IsTruncated=True), r"mfa\.json: the device list is truncated"),
        (lambda d: d.update(NextToken="abc"), r"mfa\.json: the device list is truncated"),
    ],
)
def test_malformed_devices_file_names_file_and_path(
    details: Path, tmp_path: Path, change: Any, message: str
) -> None:
    data = devices_data()
    change(data)
    devices = write(tmp_path / "mfa.json", json.dumps(data))
    with pytest.raises(InputError, match=message):
        load_aws_cli_export(details, None, virtual_mfa_devices=devices)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{nope", r"mfa\.json: not valid JSON \(line 1, column 2"),
        (b"[]", r"mfa\.json: not an `aws iam list-virtual-mfa-devices` output"),
        (b"\xff\xfe{}", r"mfa\.json: not a UTF-8 text"),
    ],
)
def test_unreadable_devices_file(
    details: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "mfa.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_aws_cli_export(details, None, virtual_mfa_devices=path)
    with pytest.raises(InputError, match=r"nowhere\.json: cannot read"):
        load_aws_cli_export(details, None, virtual_mfa_devices=tmp_path / "nowhere.json")


def test_devices_from_another_account_are_refused(details: Path, tmp_path: Path) -> None:
    other = {"VirtualMFADevices": [{"SerialNumber": "arn:aws:iam::999999999999:mfa/eve"}]}
    devices = write(tmp_path / "mfa.json", json.dumps(other))
    message = r"mfa\.json: the device list is from account 999999999999, but auth\.json"
    with pytest.raises(InputError, match=message):
        load_aws_cli_export(details, None, virtual_mfa_devices=devices)
