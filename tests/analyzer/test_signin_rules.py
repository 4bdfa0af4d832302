"""The sign-in rules over sign-in evidence built from AWS's documented event shapes.

Event fixtures: ``tests/signin/events.py`` (CloudTrail User Guide, "AWS Management Console
sign-in events"; IAM Identity Center User Guide, "Understanding IAM Identity Center sign-in
events"). Federated sessions say ``MFAUsed: No`` even when the IdP did MFA (the CloudTrail page),
so they never become IAM-user findings.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from auditor.models import FindingStatus, PrincipalType, Severity, Snapshot
from auditor.pipeline import exit_code_for
from auditor.signin.aggregate import SigninAggregator
from auditor.signin.facts import identity_center_mfa_proven
from auditor.signin.records import RegionFailure, SigninEvidence
from auditor.snapshot_io import dumps_snapshot, load_snapshot
from tests.signin.events import console_login, ic_signin

from .conftest import ACCOUNT, ADMIN_ARN, NOW, group, of, row, run, snapshot, user

CONSOLE = "console_signin_without_mfa"
ROOT = "root_signin"
IC = "identity_center_signin_without_mfa"


def signins(
    records: Iterable[dict[str, Any]], failed: tuple[RegionFailure, ...] = ()
) -> SigninEvidence:
    aggregator = SigninAggregator(NOW - timedelta(days=90), NOW, account_ids=[ACCOUNT])
    for record in records:
        aggregator.add_record(record)
    return aggregator.evidence(
        ACCOUNT, source="lookup_events", days=90, regions_read=["us-east-1"], regions_failed=failed
    )


def account(evidence: SigninEvidence | None) -> Snapshot:
    base = snapshot(
        users=[user("dana", ["Admins"]), user("kim")],
        rows=[row("dana"), row("kim")],
        groups=[group("Admins", attached=[ADMIN_ARN])],
    )
    return dataclasses.replace(base, signins=evidence)


def test_without_sign_in_evidence_nothing_is_judged_and_a_note_says_not_read() -> None:
    result = run(account(None))
    assert not [f for f in result.findings if f.rule_id in {CONSOLE, ROOT, IC}]
    assert any("Sign-in evidence: not read" in note for note in result.notes)
    # Ran (the audit is complete: CloudTrail is an extra source) but re-checked nothing, so a
    # baseline's sign-in findings are "not re-checked", never "resolved".
    outcomes = {o.rule_id: o for o in result.rule_outcomes if o.rule_id in {CONSOLE, ROOT, IC}}
    assert len(outcomes) == 3
    assert all(o.evaluated and not o.rechecked for o in outcomes.values())
    assert all(o.reason.startswith("not read: ") for o in outcomes.values())


def test_privileged_user_without_mfa_is_high_with_count_times_and_addresses() -> None:
    records = [
        console_login("dana", time=f"2026-11-{day:02d}T08:00:00Z", ip=f"192.0.2.{day % 4}")
        for day in range(10, 24)
    ]
    (finding,) = of(run(account(signins(records))), CONSOLE)
    assert finding.severity is Severity.HIGH
    assert finding.principal_name == "dana"
    assert "a privileged user" in finding.detail
    assert "14 time(s) in the last 90 days, last on 2026-11-23 from 3 address(es)" in finding.detail
    assert finding.evidence["signins_without_mfa"] == "14"
    assert finding.evidence["first_signin_without_mfa"] == "2026-11-10T08:00:00Z"
    assert finding.evidence["last_signin_without_mfa"] == "2026-11-23T08:00:00Z"
    assert finding.evidence["source_addresses"] == "192.0.2.2, 192.0.2.3, 192.0.2.0"


def test_unprivileged_user_is_medium_and_mfa_or_failed_sign_ins_make_nothing() -> None:
    evidence = signins(
        [
            console_login("kim"),
            console_login("dana", mfa=True),
            console_login("dana", success=False),
        ]
    )
    (finding,) = of(run(account(evidence)), CONSOLE)
    assert (finding.principal_name, finding.severity) == ("kim", Severity.MEDIUM)


def test_federated_session_is_never_an_iam_user_finding() -> None:
    evidence = signins([console_login("dana", identity_type="AssumedRole")])
    result = run(account(evidence))
    assert of(result, CONSOLE) == []
    assert any("not judged" in note for note in result.notes)


def test_root_sign_in_is_critical_without_mfa_and_medium_with_it() -> None:
    (bare,) = of(run(account(signins([console_login(identity_type="Root")]))), ROOT)
    assert (bare.severity, bare.principal_type) == (Severity.CRITICAL, PrincipalType.ROOT)
    (with_mfa,) = of(run(account(signins([console_login(identity_type="Root", mfa=True)]))), ROOT)
    assert with_mfa.severity is Severity.MEDIUM
    assert "always with MFA" in with_mfa.detail


def test_identity_center_password_only_is_a_finding_and_second_factors_are_not() -> None:
    evidence = signins(
        [
            *ic_signin(("PASSWORD",), workflow="a", user_name="dana", user_id="u-dana"),
            *ic_signin(("PASSWORD", "TOTP"), workflow="b", user_name="lee", user_id="u-lee"),
            *ic_signin(("WEBAUTHN",), workflow="c", user_name="ana", user_id="u-ana"),
            *ic_signin(("EXTERNAL_IDP",), workflow="d", user_name="ext", user_id="u-ext"),
        ]
    )
    result = run(account(evidence))
    (finding,) = of(result, IC)
    assert finding.principal_type is PrincipalType.IDENTITY_CENTER_USER
    assert finding.principal_name == "dana"
    assert finding.principal_arn == "arn:aws:identitystore:::user/u-dana"
    assert any("external identity provider" in note for note in result.notes)
    assert identity_center_mfa_proven(evidence, "lee") is True
    assert identity_center_mfa_proven(evidence, "u-ana") is True
    assert identity_center_mfa_proven(evidence, "dana") is False
    assert identity_center_mfa_proven(evidence, "ext") is None
    assert identity_center_mfa_proven(None, "lee") is None


def test_a_region_that_could_not_be_read_is_unknown_and_exit_4() -> None:
    failed = (RegionFailure("us-east-2", "AccessDeniedException: not authorized"),)
    result = run(account(signins([console_login("kim")], failed)))
    console = of(result, CONSOLE)
    assert {f.status for f in console} == {FindingStatus.OPEN, FindingStatus.UNKNOWN}
    assert "us-east-2" in next(f.detail for f in console if f.status is FindingStatus.UNKNOWN)
    assert exit_code_for(result, Severity.CRITICAL) == 4


def test_snapshot_keeps_sign_in_evidence_and_a_version_1_file_loads_as_not_read(
    tmp_path: Path,
) -> None:
    snap = account(signins([console_login("kim", mfa=True)]))
    path = tmp_path / "snap.json"
    path.write_text(dumps_snapshot(snap), encoding="utf-8")
    assert load_snapshot(path) == dataclasses.replace(snap, schema_version=2)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema_version"] = 1
    del data["signins"]
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_snapshot(path)
    assert (loaded.schema_version, loaded.signins) == (2, None)
