"""Identity Center from a folder of AWS CLI outputs, and the CLI options that steer it.

The files are what ``aws sso-admin …`` / ``aws identitystore …`` print (shapes from the API
references; the CLI merges pages). An empty boundary file is what ``aws sso-admin
get-permissions-boundary-for-permission-set … > file`` leaves for a set without a boundary (AWS
answers ResourceNotFoundException, the CLI prints nothing to stdout).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app
from auditor.collector.identity_center_export import export_file_name, load_identity_center_export
from auditor.identity_center_models import IdentityCenterStatus
from auditor.snapshot_io import load_snapshot

ACCOUNT = "111111111111"
INSTANCE = "arn:aws:sso:::instance/ssoins-1111111111111111"
PS = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa"
ANA = "a1b2c3d4-0000-4000-8000-00000000000a"
RULE = "identity_center_mfa_unverified"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ic"
    folder.mkdir(parents=True)
    ps = {"InstanceArn": INSTANCE, "PermissionSetArn": PS}
    files = {
        export_file_name("ListInstances"): {
            "Instances": [{"InstanceArn": INSTANCE, "IdentityStoreId": "d-1111111111"}]
        },
        export_file_name("ListUsers"): {"Users": [{"UserId": ANA, "UserName": "ana"}]},
        export_file_name("ListGroups"): {"Groups": []},
        export_file_name("ListPermissionSets"): {"PermissionSets": [PS]},
        export_file_name("DescribePermissionSet", **ps): {
            "PermissionSet": {"Name": "Admin", "PermissionSetArn": PS}
        },
        export_file_name("ListManagedPoliciesInPermissionSet", **ps): {
            "AttachedManagedPolicies": [
                {
                    "Arn": "arn:aws:iam::aws:policy/AdministratorAccess",
                    "Name": "AdministratorAccess",
                }
            ]
        },
        export_file_name("GetInlinePolicyForPermissionSet", **ps): {},
        export_file_name("ListCustomerManagedPolicyReferencesInPermissionSet", **ps): {
            "CustomerManagedPolicyReferences": []
        },
        export_file_name("ListAccountsForProvisionedPermissionSet", **ps): {
            "AccountIds": [ACCOUNT]
        },
        export_file_name("ListAccountAssignments", AccountId=ACCOUNT, **ps): {
            "AccountAssignments": [
                {
                    "AccountId": ACCOUNT,
                    "PermissionSetArn": PS,
                    "PrincipalType": "USER",
                    "PrincipalId": ANA,
                }
            ]
        },
    }
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content), encoding="utf-8")
    (folder / export_file_name("GetPermissionsBoundaryForPermissionSet", **ps)).write_text("")
    return folder


def test_file_names_follow_the_cli_commands() -> None:
    assert export_file_name("ListInstances") == "list-instances.json"
    assert (
        export_file_name("ListAccountAssignments", PermissionSetArn=PS, AccountId=ACCOUNT)
        == f"list-account-assignments.ps-aaaaaaaaaaaaaaaa.{ACCOUNT}.json"
    )


def test_folder_reads_like_the_api(tmp_path: Path) -> None:
    data, gaps = load_identity_center_export(_folder(tmp_path))
    assert gaps == ()
    assert data.status is IdentityCenterStatus.COLLECTED
    (admin,) = data.permission_sets
    assert (admin.name, admin.boundary_policy_arn, admin.inline_policy) == ("Admin", None, None)
    assert [a.principal_id for a in data.assignments] == [ANA]


def test_missing_or_truncated_file_is_a_gap_naming_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "list-users.json").unlink()
    data, gaps = load_identity_center_export(folder)
    assert data.status is IdentityCenterStatus.FAILED
    assert [g.reason for g in gaps] == [f"list-users.json is not in the export folder {folder}"]
    folder = _folder(tmp_path / "again")
    (folder / "list-groups.json").write_text('{"Groups": [], "NextToken": "x"}')
    _, gaps = load_identity_center_export(folder)
    assert "list-groups.json is truncated" in gaps[0].reason


def test_report_from_exports_with_the_identity_center_folder(tmp_path: Path) -> None:
    auth = tmp_path / "auth.json"
    auth.write_text(
        json.dumps(
            {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
        )
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "--aws-cli-export",
            str(auth),
            "--account-id",
            ACCOUNT,
            "--identity-center-export",
            str(_folder(tmp_path)),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 4, result.output  # no credential report given: incomplete
    findings = json.loads((out / "findings.json").read_text())["findings"]
    (finding,) = [f for f in findings if f["rule_id"] == RULE]
    assert finding["status"] == "open"
    assert "ana" in finding["detail"]


def test_identity_center_folder_needs_exports(tmp_path: Path) -> None:
    snapshot = tmp_path / "snap.json"
    snapshot.write_text("{}")
    result = CliRunner().invoke(
        app, ["report", str(snapshot), "--identity-center-export", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "--identity-center-export go with --aws-cli-export" in result.output


def test_no_identity_center_skips_it_on_purpose(tmp_path: Path) -> None:
    out = tmp_path / "snap.json"
    result = CliRunner().invoke(
        app, ["collect", "--demo", "--no-identity-center", "--out", str(out)]
    )
    assert result.exit_code in (0, 4), result.output
    data = load_snapshot(out).identity_center
    assert data is not None
    assert data.status is IdentityCenterStatus.SKIPPED
    assert "--no-identity-center" in data.reason
