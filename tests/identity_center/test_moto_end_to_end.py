"""Identity Center end to end over ``moto_server``: seed, collect over HTTP, analyze, report.

The seed (``tests.support.identity_center_seed``) has users, groups, permission sets with an
AWS-managed policy (AdministratorAccess, ReadOnlyAccess), an inline policy and a customer-managed
policy reference, group and user assignments, and the ``AWSReservedSSO_`` roles AWS would create
for them (moto does not provision). What the verdicts follow:

- a set's role holds the set's policies, so its privilege is theirs (IAM Identity Center User
  Guide, "Permission sets"; "Referencing permission sets in resource policies, Amazon EKS, and
  AWS KMS" for the role name and path);
- a customer-managed policy is resolved by name and path in the assigned account (API
  reference, ``CustomerManagedPolicyReference``);
- a read-only policy allows no privileged action.

Boundaries cannot be seeded in moto 5.2.5 (``PutPermissionsBoundaryToPermissionSet`` is not
implemented and ``GetPermissionsBoundaryForPermissionSet`` answers 500): the shimmed server
answers the latter as AWS does for a set without one; the plain server's 500 is a gap (last
test). Boundaries themselves are covered by ``test_stubbed_reads.py`` with Stubber.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import boto3
import pytest

from auditor.analyzer import analyze
from auditor.collector import collect_snapshot
from auditor.config import AuditorConfig, CollectorSettings
from auditor.identity_center_models import IdentityCenterStatus
from auditor.models import AuditResult, FindingStatus, MfaDecidedBy, PrincipalType, Reach, Snapshot
from auditor.pipeline import exit_code_for
from auditor.snapshot_io import save_snapshot
from tests.support.call_counter import count_calls
from tests.support.identity_center_seed import seed_identity_center

pytestmark = pytest.mark.e2e
RULE = "identity_center_mfa_unverified"
SETTINGS = CollectorSettings(max_attempts=1, poll_initial_delay_seconds=0.2)
NOW = datetime(2026, 12, 3, tzinfo=timezone.utc)


def _collect(endpoint: str) -> tuple[Snapshot, AuditResult, list[str]]:
    session = boto3.Session(region_name="us-east-1")
    counter = count_calls(session)
    snapshot = collect_snapshot(session, SETTINGS, endpoint_url=endpoint)
    return snapshot, analyze(snapshot, AuditorConfig(), now=NOW), counter.calls


@pytest.fixture(scope="module")
def seeded(shimmed_endpoint: str) -> str:
    from tests.support.moto_server import dummy_aws_environment

    env = dummy_aws_environment({})
    session = boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    return seed_identity_center(session, shimmed_endpoint)


def test_who_is_privileged_through_which_set(
    shimmed_endpoint: str, seeded: str, aws_env: None
) -> None:
    snapshot, result, calls = _collect(shimmed_endpoint)
    data = snapshot.identity_center
    assert data is not None
    assert data.status is IdentityCenterStatus.COLLECTED
    assert not [gap for gap in snapshot.gaps if gap.source == "identity_center"]
    ic = PrincipalType.IDENTITY_CENTER_USER
    rows = {row.name: row for row in result.principals if row.principal_type is ic}
    assert set(rows) == {"alice", "bob", "carol", "dave", "erin"}
    # The access graph links each user to the set's role in this account.
    assert result.principals.index(rows["alice"]) < result.principals.index(rows["bob"])

    alice = rows["alice"]
    assert (alice.reach, alice.privileged) == (Reach.ADMIN, True)
    assert alice.privileged_via == (
        f"permission_set:AdministratorAccess (group Admins) in {seeded}",
    )
    (path,) = alice.paths
    assert path.decided_by is MfaDecidedBy.IDENTITY_CENTER
    assert path.hops[:3] == (
        "identity_center_user:alice",
        "group:Admins",
        "permission_set:AdministratorAccess",
    )
    assert path.hops[3].startswith("role:AWSReservedSSO_AdministratorAccess_")
    assert (alice.mfa_enforced, alice.reach_without_mfa, alice.exposure) == (
        "outside_iam",
        Reach.UNKNOWN,
        2,
    )
    # Inline policy (iam:PassRole) through a group, customer-managed policy directly.
    assert rows["carol"].privileged_via == (
        f"permission_set:Deploy (group Ops) in {seeded}",
        f"permission_set:Support in {seeded}",
    )
    assert rows["carol"].reach is Reach.PRIVILEGED
    assert rows["erin"].privileged_via == (f"permission_set:Deploy (group Ops) in {seeded}",)
    # ReadOnlyAccess is not privileged; Viewer (s3 reads) neither; dave holds nothing.
    for name in ("bob", "dave"):
        assert (rows[name].reach, rows[name].privileged, rows[name].exposure) == (
            Reach.NONE,
            False,
            0,
        )
        assert rows[name].mfa_enforced == "not_applicable"

    (finding,) = [f for f in result.findings if f.rule_id == RULE]
    assert finding.status is FindingStatus.OPEN
    assert finding.principal_type is PrincipalType.ACCOUNT
    assert finding.evidence["privileged_users"] == "3"
    assert finding.evidence["user_names"] == "alice, carol, erin"
    assert "Settings → Authentication → Multi-factor authentication" in finding.remediation
    # The AWSReservedSSO_ roles trust a SAML provider; never role_assumable_without_mfa.
    assert not [
        f for f in result.findings
        if f.rule_id == "role_assumable_without_mfa" and "AWSReservedSSO_" in f.principal_name
    ]  # fmt: skip
    # One call per set for each of the six set reads, one per (set, account) for assignments.
    sets = len(data.permission_sets)
    assert calls.count("sso:DescribePermissionSet") == sets == 5
    assert calls.count("sso:ListAccountAssignments") == 5
    assert calls.count("identitystore:ListGroupMemberships") == len(data.groups) == 2
    assert calls.count("identitystore:ListUsers") == 1


def test_report_exits_3_on_the_findings_and_lists_ic_users(
    shimmed_endpoint: str, seeded: str, aws_env: None, tmp_path: Path
) -> None:
    """The saved snapshot is analysed offline by the CLI like any other (schema version 2)."""
    snapshot, result, _ = _collect(shimmed_endpoint)
    path = tmp_path / "snapshot.json"
    save_snapshot(snapshot, path)
    assert json.loads(path.read_text())["identity_center"]["status"] == "collected"
    run = subprocess.run(
        [sys.executable, "-m", "auditor", "report", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The seed's account has no root row in moto's credential report: incomplete (4).
    assert run.returncode == exit_code_for(result, AuditorConfig().fail_on) == 4, run.stderr
    findings = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert RULE in {f["rule_id"] for f in findings["findings"]}


def test_plain_moto_boundary_500_is_a_gap_and_the_rule_unknown(
    plain_endpoint: str, aws_env: None
) -> None:
    """moto 5.2.5 answers GetPermissionsBoundaryForPermissionSet with HTTP 500: that is a read
    that failed, so an identity_center gap, the rule unknown, and exit 4 — never "fine"."""
    session = boto3.Session(region_name="us-east-1")
    seed_identity_center(session, plain_endpoint)
    snapshot, result, _ = _collect(plain_endpoint)
    gaps = [gap.reason for gap in snapshot.gaps if gap.source == "identity_center"]
    assert len(gaps) == 5
    assert all("GetPermissionsBoundaryForPermissionSet" in reason for reason in gaps)
    assert all(len(reason) < 300 and "\n" not in reason for reason in gaps)
    (finding,) = [f for f in result.findings if f.rule_id == RULE]
    assert finding.status is FindingStatus.UNKNOWN
    assert "GetPermissionsBoundaryForPermissionSet" in finding.detail
    assert exit_code_for(result, AuditorConfig().fail_on) == 4
    rows = {
        row.name: row
        for row in result.principals
        if row.principal_type is PrincipalType.IDENTITY_CENTER_USER
    }
    # A missing boundary only narrows: bob's read-only set stays not privileged, alice's admin
    # set becomes unknown (the boundary might have narrowed it).
    assert rows["bob"].reach is Reach.NONE
    assert (rows["alice"].reach, rows["alice"].privileged, rows["alice"].exposure) == (
        Reach.UNKNOWN,
        None,
        3,
    )
