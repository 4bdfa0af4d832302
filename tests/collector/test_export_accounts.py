"""Real exports that the strict reader used to refuse (issue 9): a blank ``Path``, an export
holding two accounts, and error messages that name the files actually given.

Each test builds its own small export in the shape of ``aws iam
get-account-authorization-details`` (IAM API reference, ``GetAccountAuthorizationDetails``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from auditor import cli
from auditor.collector import load_aws_cli_export
from auditor.errors import InputError
from auditor.exit_codes import ExitCode
from tests.collector.test_cli_export_import import export_data, write
from tests.support.credential_rows import ACCOUNT, ROOT_ROW, report_csv, report_row

OTHER = "999999999999"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _role(account: str, name: str, path: str = "/") -> dict[str, Any]:
    return {
        "Path": path,
        "RoleName": name,
        "RoleId": f"AROA{name.upper()}",
        "Arn": f"arn:aws:iam::{account}:role/{name}",
        "AssumeRolePolicyDocument": TRUST,
        "RolePolicyList": [],
        "AttachedManagedPolicies": [],
        "Tags": [],
    }


def _two_accounts() -> dict[str, Any]:
    """Alice's account plus a second account's user, group, role and customer policy."""
    data = export_data()
    other_user = copy.deepcopy(data["UserDetailList"][0])
    other_user.update(UserName="olga", UserId="AIDAOLGA", Arn=f"arn:aws:iam::{OTHER}:user/olga")
    other_user["GroupList"] = ["Ops"]
    other_group = copy.deepcopy(data["GroupDetailList"][0])
    other_group.update(GroupName="Ops", GroupId="AGPAOPS", Arn=f"arn:aws:iam::{OTHER}:group/Ops")
    data["UserDetailList"].append(other_user)
    data["GroupDetailList"].append(other_group)
    data["RoleDetailList"] = [_role(ACCOUNT, "Mine"), _role(OTHER, "Theirs")]
    return data


@pytest.mark.parametrize(
    "kind", ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]
)
def test_blank_path_is_read_as_the_root_path(tmp_path: Path, kind: str) -> None:
    """Public AWS CLI export samples carry ``"Path": ""``; IAM's default path is ``/``."""
    data = export_data()
    data["RoleDetailList"] = [_role(ACCOUNT, "Blank")]
    for item in data[kind]:
        item["Path"] = ""
    snapshot = load_aws_cli_export(write(tmp_path / "a.json", json.dumps(data)), None)
    records = {
        "UserDetailList": snapshot.users,
        "GroupDetailList": snapshot.groups,
        "RoleDetailList": snapshot.roles,
        "Policies": snapshot.policies,
    }[kind]
    assert records
    assert all(r.path == "/" for r in records)


def test_a_path_that_is_not_a_string_is_still_refused(tmp_path: Path) -> None:
    data = export_data()
    data["UserDetailList"][0]["Path"] = 7
    with pytest.raises(InputError, match=r"UserDetailList\[0\]\.Path: expected a non-empty"):
        load_aws_cli_export(write(tmp_path / "a.json", json.dumps(data)), None)


def test_two_accounts_without_account_id_lists_them(tmp_path: Path) -> None:
    details = write(tmp_path / "auth.json", json.dumps(_two_accounts()))
    with pytest.raises(InputError, match=f"several accounts \\({ACCOUNT}, {OTHER}\\)") as caught:
        load_aws_cli_export(details, None)
    assert "--account-id" in str(caught.value.hint)
    assert "both files" not in f"{caught.value.message} {caught.value.hint}"


@pytest.mark.parametrize(("account", "user", "group", "role"), [
    (ACCOUNT, "alice", "Admins", "Mine"),
    (OTHER, "olga", "Ops", "Theirs"),
])  # fmt: skip
def test_account_id_picks_one_account_of_the_export(
    tmp_path: Path, account: str, user: str, group: str, role: str
) -> None:
    details = write(tmp_path / "auth.json", json.dumps(_two_accounts()))
    snapshot = load_aws_cli_export(details, None, account_id=account)
    assert snapshot.account_id == account
    assert [u.name for u in snapshot.users] == [user]
    assert [g.name for g in snapshot.groups] == [group]
    assert [r.name for r in snapshot.roles] == [role]
    # The AWS-managed policy belongs to no account: both accounts keep it.
    assert [p.name for p in snapshot.policies] == ["AdministratorAccess"]


def test_account_id_not_in_the_export_lists_what_it_holds(tmp_path: Path) -> None:
    details = write(tmp_path / "auth.json", json.dumps(_two_accounts()))
    with pytest.raises(InputError, match=f"from accounts {ACCOUNT}, {OTHER}, not 222233334444"):
        load_aws_cli_export(details, None, account_id="222233334444")


def test_report_of_the_picked_account_is_accepted(tmp_path: Path) -> None:
    details = write(tmp_path / "auth.json", json.dumps(_two_accounts()))
    csv = write(tmp_path / "r.csv", report_csv(ROOT_ROW, report_row("alice")))
    snapshot = load_aws_cli_export(details, csv, account_id=ACCOUNT)
    assert snapshot.credential_report is not None
    with pytest.raises(InputError, match=f"credential report is from account {ACCOUNT}, but"):
        load_aws_cli_export(details, csv, account_id=OTHER)


def test_single_file_messages_never_mention_a_second_file(tmp_path: Path) -> None:
    empty = write(tmp_path / "auth.json", json.dumps({"UserDetailList": [], "Policies": []}))
    with pytest.raises(InputError) as caught:
        load_aws_cli_export(empty, None)
    text = f"{caught.value.message} {caught.value.hint}"
    assert "cannot tell the account id" in text
    assert "both" not in text


def test_cli_account_id_reaches_the_export_reader(tmp_path: Path) -> None:
    """``report --aws-cli-export FILE --account-id ID``: the existing option, end to end."""
    details = write(tmp_path / "auth.json", json.dumps(_two_accounts()))
    out = tmp_path / "out"
    base = ["report", "--aws-cli-export", str(details), "--out", str(out)]
    refused = CliRunner().invoke(cli.app, base)
    assert refused.exit_code == ExitCode.USAGE_ERROR, refused.output
    assert f"several accounts ({ACCOUNT}, {OTHER})" in refused.output
    picked = CliRunner().invoke(cli.app, [*base, "--account-id", OTHER])
    assert picked.exit_code in (ExitCode.FINDINGS, ExitCode.INCOMPLETE), picked.output
    run = json.loads((out / "findings.json").read_text(encoding="utf-8"))["run"]
    assert run["account_id"] == OTHER
