"""``collect_snapshot`` against real-AWS answers played back by Stubber.

Covers what moto cannot show: the ``<root_account>`` row, required vs optional permissions,
expired tokens, and the exact call sequence (constant plus pages; alice has no MFA and no virtual
device, so no per-user ``ListMFADevices`` call either).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from auditor import __version__
from auditor.analyzer import analyze
from auditor.collector import collect_snapshot
from auditor.collector.credential_report import COLUMNS
from auditor.collector.organization import for_member_account
from auditor.config import AuditorConfig, CollectorSettings
from auditor.errors import AccessDeniedError, CollectionError
from auditor.mfa_devices import MfaDeviceKind, RootManagement
from auditor.models import SNAPSHOT_SCHEMA_VERSION, CollectionSource
from tests.support.credential_rows import ACCOUNT, ROOT_ROW, report_csv, report_row
from tests.support.fakes import FakeClock, StubSession

CALLER = f"arn:aws:sts::{ACCOUNT}:assumed-role/Auditor/me"
ROOT_DEVICE = f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"
OPTIONAL = {
    "list_virtual_mfa_devices": "VIRTUAL_MFA_DEVICES",
    "get_account_summary": "ACCOUNT_SUMMARY",
    "get_account_password_policy": "PASSWORD_POLICY",
    "list_account_aliases": "ACCOUNT_ALIASES",
}
"""Optional reads (operation → CollectionSource member): a refusal there is a gap, not an error."""
SETTINGS = CollectorSettings(max_attempts=7, poll_initial_delay_seconds=2)


def _answers() -> dict[str, dict[str, Any]]:
    return {
        "get_account_authorization_details": {
            "UserDetailList": [
                {
                    "UserName": "alice",
                    "UserId": "AIDAALICE0000000000",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
                    "Path": "/",
                    "CreateDate": datetime(2024, 1, 1, tzinfo=timezone.utc),
                }
            ],
            "IsTruncated": False,
        },
        "list_virtual_mfa_devices": {
            "VirtualMFADevices": [
                {
                    "SerialNumber": ROOT_DEVICE,
                    "User": {
                        "UserName": "root",
                        "UserId": "AIDAROOTUSER0000000",
                        "Arn": f"arn:aws:iam::{ACCOUNT}:root",
                        "Path": "/",
                        "CreateDate": datetime(2019, 1, 1, tzinfo=timezone.utc),
                    },
                    "EnableDate": datetime(2019, 1, 2, tzinfo=timezone.utc),
                },
                {"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/spare"},
            ],
            "IsTruncated": False,
        },
        "get_account_summary": {"SummaryMap": {"Users": 1, "AccountMFAEnabled": 1}},
        "get_account_password_policy": {"PasswordPolicy": {"MinimumPasswordLength": 14}},
        "list_account_aliases": {"AccountAliases": ["acme-prod"], "IsTruncated": False},
        # AWS's example answer (IAM API reference, ListOrganizationsFeatures, "Examples").
        "list_organizations_features": {
            "OrganizationId": "o-aa111bb222",
            "EnabledFeatures": ["RootCredentialsManagement", "RootSessions"],
        },
    }


def _queue(
    session: StubSession,
    *,
    errors: dict[str, str] | None = None,
    csv: str | None = None,
    sts_error: str | None = None,
    mfa_lookups: tuple[tuple[str, dict[str, Any] | str], ...] = (),
    identity_center_error: str | None = None,
) -> None:
    """The exact call sequence of one collection; ``errors`` maps operation → error code."""
    errors = errors or {}
    sts, iam = session.stubbers["sts"], session.stubbers["iam"]
    if sts_error:
        sts.add_client_error("get_caller_identity", sts_error, http_status_code=403)
        return
    sts.add_response(
        "get_caller_identity", {"UserId": "AROAX:me", "Account": ACCOUNT, "Arn": CALLER}
    )
    iam.add_response("generate_credential_report", {"State": "STARTED"})
    answers = _answers()
    for operation, answer in answers.items():
        if operation in errors:
            status = 404 if errors[operation] == "NoSuchEntity" else 403
            iam.add_client_error(operation, errors[operation], http_status_code=status)
            if operation == "get_account_authorization_details":
                return
        else:
            iam.add_response(operation, answer)
    # Identity Center: this account hosts no instance (a fact; tests/identity_center cover more).
    if identity_center_error:
        session.stubbers["sso-admin"].add_client_error(
            "list_instances", identity_center_error, "not authorized", http_status_code=400
        )
    else:
        session.stubbers["sso-admin"].add_response("list_instances", {"Instances": []})
    iam.add_response("generate_credential_report", {"State": "COMPLETE"})
    content = csv if csv is not None else report_csv(ROOT_ROW, report_row("alice"))
    iam.add_response(
        "get_credential_report",
        {"Content": content.encode(), "GeneratedTime": datetime(2026, 1, 15, tzinfo=timezone.utc)},
    )
    for user, answer in mfa_lookups:  # after the report: whom to ask depends on it
        params = {"UserName": user, "MaxItems": 1000}
        if isinstance(answer, str):
            iam.add_client_error("list_mfa_devices", answer, http_status_code=403,
                                 expected_params=params)  # fmt: skip
        else:
            iam.add_response("list_mfa_devices", answer, expected_params=params)


def _collect(session: StubSession, clock: FakeClock, **kwargs: Any) -> Any:
    return collect_snapshot(session, SETTINGS, clock=clock, sleep=clock.sleep, **kwargs)  # type: ignore[arg-type]


def test_full_collection_in_real_aws_shape(stub_session: StubSession, clock: FakeClock) -> None:
    _queue(stub_session)
    progress: list[str] = []
    snapshot = _collect(stub_session, clock, progress=progress.append)
    for stubber in stub_session.stubbers.values():
        stubber.assert_no_pending_responses()
    assert snapshot.schema_version == SNAPSHOT_SCHEMA_VERSION
    assert snapshot.tool_version == __version__
    assert snapshot.source == "aws"
    assert (snapshot.account_id, snapshot.caller_arn) == (ACCOUNT, CALLER)
    assert snapshot.account_alias == "acme-prod"
    assert snapshot.collected_at == clock.now
    assert snapshot.gaps == ()  # the root row is there, every read succeeded
    assert snapshot.credential_report.root.mfa_active is True
    assert [u.name for u in snapshot.users] == ["alice"]
    root_device, spare = snapshot.virtual_mfa_devices
    assert root_device.user_arn == f"arn:aws:iam::{ACCOUNT}:root"
    assert root_device.serial_number == ROOT_DEVICE
    assert spare.user_arn is None
    assert spare.enable_date is None
    assert snapshot.account_summary == {"Users": 1, "AccountMFAEnabled": 1}
    assert snapshot.password_policy == {"MinimumPasswordLength": 14}
    assert clock.sleeps == []  # the report was built while the other reads ran
    assert progress
    assert any("Waiting for the credential report" in line for line in progress)


def test_clients_use_adaptive_retries_endpoint_and_a_default_region(
    stub_session: StubSession, clock: FakeClock
) -> None:
    _queue(stub_session)
    _collect(stub_session, clock, endpoint_url="http://127.0.0.1:9")
    for service in ("iam", "sts"):
        kwargs = stub_session.client_kwargs[service]
        assert kwargs["endpoint_url"] == "http://127.0.0.1:9"
        assert kwargs["region_name"] == "us-east-1"
        assert kwargs["config"].retries == {"mode": "adaptive", "max_attempts": 7}


def test_no_endpoint_url_leaves_it_to_boto3(stub_session: StubSession, clock: FakeClock) -> None:
    """boto3 itself reads AWS_ENDPOINT_URL; passing None would not, so nothing is passed."""
    _queue(stub_session)
    _collect(stub_session, clock)
    assert "endpoint_url" not in stub_session.client_kwargs["iam"]


def test_missing_root_row_is_a_gap_not_a_clean_root(
    stub_session: StubSession, clock: FakeClock
) -> None:
    _queue(stub_session, csv=report_csv(report_row("alice")))
    snapshot = _collect(stub_session, clock)
    gap = snapshot.gap_for(CollectionSource.ROOT_CREDENTIALS)
    assert gap is not None
    assert "<root_account>" in gap.reason


def test_no_password_policy_is_a_fact_not_a_gap(
    stub_session: StubSession, clock: FakeClock
) -> None:
    _queue(stub_session, errors={"get_account_password_policy": "NoSuchEntity"})
    snapshot = _collect(stub_session, clock)
    assert snapshot.password_policy is None
    assert snapshot.gap_for(CollectionSource.PASSWORD_POLICY) is None


@pytest.mark.parametrize("operation", sorted(OPTIONAL))
@pytest.mark.parametrize("code", ["AccessDenied", "Throttling"])
def test_optional_read_refused_or_throttled_is_a_gap_and_collection_continues(
    stub_session: StubSession, clock: FakeClock, operation: str, code: str
) -> None:
    _queue(stub_session, errors={operation: code})
    snapshot = _collect(stub_session, clock)
    source = CollectionSource[OPTIONAL[operation]]
    permission = (
        "iam:"
        + {
            "list_virtual_mfa_devices": "ListVirtualMFADevices",
            "get_account_summary": "GetAccountSummary",
            "get_account_password_policy": "GetAccountPasswordPolicy",
            "list_account_aliases": "ListAccountAliases",
        }[operation]
    )
    gap = snapshot.gap_for(source)
    assert gap is not None
    assert permission in gap.reason
    assert [g.source for g in snapshot.gaps] == [source.value]
    assert snapshot.credential_report is not None  # later reads still happened
    assert [u.name for u in snapshot.users] == ["alice"]


def test_required_read_refused_is_an_error_naming_the_permission(
    stub_session: StubSession, clock: FakeClock
) -> None:
    _queue(stub_session, errors={"get_account_authorization_details": "AccessDenied"})
    with pytest.raises(AccessDeniedError) as caught:
        _collect(stub_session, clock)
    assert "iam:GetAccountAuthorizationDetails" in caught.value.message
    assert "required_iam_policy.json" in str(caught.value.hint)


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        ("ExpiredToken", "session token has expired", "aws sso login --profile audit"),
        ("InvalidClientTokenId", "AWS rejected the credentials", "access key"),
    ],
)
def test_bad_credentials_fail_fast_on_the_first_call(
    stub_session: StubSession, clock: FakeClock, code: str, message: str, hint: str
) -> None:
    _queue(stub_session, sts_error=code)
    with pytest.raises(CollectionError, match=message) as caught:
        _collect(stub_session, clock)
    assert hint in str(caught.value.hint)
    assert "\n" not in str(caught.value)
    stub_session.stubbers["iam"].assert_no_pending_responses()  # nothing else was tried


def test_clients_have_short_timeouts(stub_session: StubSession, clock: FakeClock) -> None:
    """A silent endpoint took 11 min 21 s to fail with botocore's 60 s read timeout; see
    test_endpoint_failures for the bounded total."""
    _queue(stub_session)
    _collect(stub_session, clock)
    for service in ("iam", "sts"):
        config = stub_session.client_kwargs[service]["config"]
        assert (config.connect_timeout, config.read_timeout) == (5.0, 20.0)


def test_unknown_report_column_becomes_a_snapshot_note(
    stub_session: StubSession, clock: FakeClock
) -> None:
    columns = (*COLUMNS, "passkey_active")
    rows = (dict(ROOT_ROW, passkey_active="false"), report_row("alice", passkey_active="true"))
    _queue(stub_session, csv=report_csv(*rows, columns=columns))
    snapshot = _collect(stub_session, clock)
    assert snapshot.gaps == ()
    assert [n for n in snapshot.notes if "passkey_active" in n] == [
        "The credential report has column(s) this version of mfa-auditor does not know, "
        "ignored: passkey_active."
    ]


def test_repeated_user_in_the_report_is_a_gap(stub_session: StubSession, clock: FakeClock) -> None:
    csv = report_csv(ROOT_ROW, report_row("alice"), report_row("alice", mfa_active="true"))
    _queue(stub_session, csv=csv)
    snapshot = _collect(stub_session, clock)
    assert snapshot.credential_report is None
    gap = snapshot.gap_for(CollectionSource.CREDENTIAL_REPORT)
    assert gap is not None
    assert "alice (rows 3, 4)" in gap.reason


# --- iam:ListOrganizationsFeatures (moto lacks it). Answers and error codes follow the IAM API
# reference: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html


def test_organizations_features_enabled_is_read_from_the_management_account(
    stub_session: StubSession, clock: FakeClock
) -> None:
    _queue(stub_session)
    features = _collect(stub_session, clock).organization_features
    assert features.management is RootManagement.MANAGEMENT_ACCOUNT
    assert features.organization_id == "o-aa111bb222"
    assert features.enabled_features == ("RootCredentialsManagement", "RootSessions")
    assert for_member_account(features).management is RootManagement.CENTRAL


@pytest.mark.parametrize(
    ("code", "management"),
    [
        ("OrganizationNotFoundException", RootManagement.NOT_IN_ORGANIZATION),
        ("AccountNotManagementOrDelegatedAdministratorException", RootManagement.NOT_ANSWERED_HERE),
        ("ServiceAccessNotEnabledException", RootManagement.NOT_ENABLED),
    ],
)
def test_organizations_features_answers_given_as_errors_are_facts_not_gaps(
    stub_session: StubSession, clock: FakeClock, code: str, management: RootManagement
) -> None:
    _queue(stub_session, errors={"list_organizations_features": code})
    snapshot = _collect(stub_session, clock)
    assert snapshot.organization_features.management is management
    assert snapshot.gaps == ()


def test_organizations_features_denied_is_a_context_gap_and_root_rules_still_run(
    stub_session: StubSession, clock: FakeClock
) -> None:
    _queue(stub_session, errors={"list_organizations_features": "AccessDenied"})
    snapshot = _collect(stub_session, clock)
    assert snapshot.organization_features.management is RootManagement.DENIED
    gap = snapshot.gap_for(CollectionSource.ORGANIZATION_FEATURES)
    assert gap is not None
    assert "iam:ListOrganizationsFeatures" in gap.reason
    result = analyze(snapshot, AuditorConfig(), now=clock.now)
    outcomes = {o.rule_id: o.evaluated for o in result.rule_outcomes}
    assert outcomes["root_no_mfa"]
    assert outcomes["root_credentials_present"]
    assert result.complete  # context only: no verdict depends on it
    assert any("could not be read" in note for note in result.notes)


# --- iam:ListMFADevices per user (AWS's answer shape: API reference, ListMFADevices).


def test_mfa_devices_listed_for_a_user_with_mfa_but_no_virtual_device(
    stub_session: StubSession, clock: FakeClock
) -> None:
    fido = f"arn:aws:iam::{ACCOUNT}:u2f/user/alice/alice-key-ABCDEFGHIJKLMNOPQ"
    answer = {
        "MFADevices": [
            {"UserName": "alice", "SerialNumber": fido,
             "EnableDate": datetime(2025, 3, 1, tzinfo=timezone.utc)},
            {"UserName": "alice", "SerialNumber": "GAHT12345678",
             "EnableDate": datetime(2024, 3, 1, tzinfo=timezone.utc)},
        ],
        "IsTruncated": False,
    }  # fmt: skip
    csv = report_csv(ROOT_ROW, report_row("alice", mfa_active="true"))
    _queue(stub_session, csv=csv, mfa_lookups=(("alice", answer),))
    snapshot = _collect(stub_session, clock)
    stub_session.stubbers["iam"].assert_no_pending_responses()
    [record] = snapshot.user_mfa_devices
    assert record.listed
    assert [d.kind.value for d in record.devices] == ["fido", "hardware"]
    assert record.kinds == (MfaDeviceKind.FIDO, MfaDeviceKind.HARDWARE)


def test_denied_mfa_device_listing_leaves_types_unknown_and_stops_asking(
    stub_session: StubSession, clock: FakeClock
) -> None:
    csv = report_csv(ROOT_ROW, report_row("alice", mfa_active="true"),
                     report_row("bob", mfa_active="true"))  # fmt: skip
    _queue(stub_session, csv=csv, mfa_lookups=(("alice", "AccessDenied"),))
    settings = dataclasses.replace(SETTINGS, mfa_device_workers=1)
    snapshot = collect_snapshot(stub_session, settings, clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]
    stub_session.stubbers["iam"].assert_no_pending_responses()  # bob was not asked
    kinds = {r.user_name: r.kinds for r in snapshot.user_mfa_devices}
    assert kinds == {"alice": (MfaDeviceKind.UNKNOWN,), "bob": (MfaDeviceKind.UNKNOWN,)}
    gap = snapshot.gap_for(CollectionSource.MFA_DEVICES)
    assert gap is not None
    assert "2 user(s) (alice, bob)" in gap.reason
    assert "access denied to iam:ListMFADevices" in gap.reason


def test_identity_center_denied_is_a_gap_and_the_audit_exits_4(
    stub_session: StubSession, clock: FakeClock, tmp_path: Path
) -> None:
    """sso:ListInstances refused: an identity_center gap, never "no Identity Center users";
    the saved snapshot analysed by the CLI exits 4 (README, Exit codes). Stubbed: moto does not
    enforce IAM permissions."""
    import subprocess
    import sys

    from auditor.snapshot_io import save_snapshot

    _queue(stub_session, identity_center_error="AccessDeniedException")
    snapshot = _collect(stub_session, clock)
    assert snapshot.identity_center is not None
    assert snapshot.identity_center.status.value == "failed"
    assert [(g.source, g.reason) for g in snapshot.gaps] == [
        ("identity_center", "access denied to sso:ListInstances (grant it to collect this data)")
    ]
    path = tmp_path / "snapshot.json"
    save_snapshot(snapshot, path)
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "auditor", "report", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 4, run.stderr
    findings = json.loads((out / "findings.json").read_text())["findings"]
    (unknown,) = [f for f in findings if f["rule_id"] == "identity_center_mfa_unverified"]
    assert unknown["status"] == "unknown"
    assert "sso:ListInstances" in unknown["detail"]
