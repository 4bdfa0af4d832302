"""End to end on a small export of our own: grants that cannot be exercised are not privilege,
keys absent from ordinary requests are absent, and the export quirks of real accounts load.

One ``get-account-authorization-details`` export (IAM API reference shape) with a user per
pattern, blank ``Path`` values (as in public AWS CLI export samples) and a second account's
user, audited with ``--account-id``. The AWS pages behind each verdict are cited in
``tests/policy/test_absent_keys.py`` and ``tests/policy/test_audit_time.py``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from auditor.analyzer import analyze
from auditor.collector import load_aws_cli_export
from auditor.config import AuditorConfig
from auditor.models import AuditResult, MfaEnforcement
from tests.collector.test_cli_export_import import write

ACCOUNT, OTHER = "111122223333", "999999999999"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
PAST = "2020-01-01T00:00:00Z"


def _allow(condition: dict[str, Any] | None = None, **statement: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"Effect": "Allow", "Action": "*", "Resource": "*", **statement}
    if condition:
        body["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [body]}


POLICIES: dict[str, dict[str, Any]] = {
    "admin": _allow(),
    "managed-writer": _allow(
        Action=["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"],
        Resource="arn:aws:iam::aws:policy/*",
    ),
    "expired": _allow({"DateLessThan": {"aws:CurrentTime": PAST}}),
    "old-tokens": _allow({"DateLessThan": {"aws:TokenIssueTime": PAST}}),
    "vpc-only": _allow({"StringEquals": {"aws:SourceVpc": "vpc-0abc"}}),
    "tagged-admin": _allow({"StringEquals": {"aws:PrincipalTag/role": "admin"}}),
    "untagged": _allow({"StringEquals": {"aws:PrincipalTag/role": "admin"}}),
}
TAGS = {"tagged-admin": [{"Key": "role", "Value": "admin"}]}


def _user(account: str, name: str, document: dict[str, Any]) -> dict[str, Any]:
    return {
        "Path": "",
        "UserName": name,
        "UserId": f"AIDA{name.upper().replace('-', '')}",
        "Arn": f"arn:aws:iam::{account}:user/{name}",
        "GroupList": [],
        "UserPolicyList": [{"PolicyName": f"{name}-inline", "PolicyDocument": document}],
        "AttachedManagedPolicies": [],
        "Tags": TAGS.get(name, []),
    }


def _export() -> dict[str, Any]:
    users = [_user(ACCOUNT, name, document) for name, document in POLICIES.items()]
    users.append(_user(OTHER, "elsewhere", _allow()))
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = {
        "Path": "",
        "RoleName": "blank-path",
        "RoleId": "AROABLANK",
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/blank-path",
        "AssumeRolePolicyDocument": trust,
        "RolePolicyList": [],
        "AttachedManagedPolicies": [],
        "Tags": [],
    }
    return {
        "UserDetailList": users,
        "GroupDetailList": [],
        "RoleDetailList": [role],
        "Policies": [],
    }


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    folder = tmp_path_factory.mktemp("export")
    details = write(folder / "auth.json", json.dumps(_export()))
    snapshot = load_aws_cli_export(details, None, account_id=ACCOUNT)
    assert [r.path for r in snapshot.roles] == ["/"]
    assert "elsewhere" not in {u.name for u in snapshot.users}
    return analyze(snapshot, AuditorConfig(), now=NOW)


@pytest.mark.parametrize(("user", "privileged"), [
    ("admin", True),
    ("managed-writer", False),  # writes on AWS managed policies cannot happen
    ("expired", False),  # DateLessThan aws:CurrentTime 2020: never at or after the audit
    ("old-tokens", False),  # a session alive now was issued after 2020
    ("vpc-only", False),  # aws:SourceVpc is absent outside VPC endpoints
    ("tagged-admin", True),  # the user carries role=admin
    ("untagged", False),  # no such tag: aws:PrincipalTag/role is absent
])  # fmt: skip
def test_privilege_verdicts(result: AuditResult, user: str, privileged: bool) -> None:
    summary = {u.name: u for u in result.users}[user]
    assert summary.privileged is privileged
    expected = MfaEnforcement.NOT_ENFORCED if privileged else MfaEnforcement.NOT_APPLICABLE
    assert summary.mfa_enforcement is expected


def test_findings_name_only_the_exercisable_grants(result: AuditResult) -> None:
    named = {f.principal_name for f in result.findings if f.principal_name}
    assert {"admin", "tagged-admin"} <= named
    assert named.isdisjoint({"managed-writer", "expired", "old-tokens", "vpc-only", "untagged"})
    assert result.account_id == ACCOUNT


def test_grants_left_out_are_named_in_one_note(result: AuditResult) -> None:
    """Leaving a grant out is never silent: the run's notes name each statement and why."""
    (note,) = [n for n in result.notes if "cannot be exercised" in n]
    assert note.startswith("3 Allow statements name privileged actions")
    assert "managed-writer-inline / #0: its resources are all AWS managed policies" in note
    assert "expired-inline / #0: its date condition cannot hold at or after the audit time" in note
    assert "old-tokens-inline / #0" in note
    # Absent keys are not "cannot be exercised": a VPC endpoint or a tag could change them.
    assert "vpc-only" not in note
    assert "untagged" not in note
