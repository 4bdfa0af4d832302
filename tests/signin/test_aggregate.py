"""Sign-in parsing and aggregation over AWS's documented event shapes (see ``events``).

Verdicts follow the CloudTrail User Guide, "AWS Management Console sign-in events" (MFAUsed,
ConsoleLogin Success/Failure, federated sessions always MFAUsed No), and the IAM Identity Center
User Guide, "Understanding IAM Identity Center sign-in events" (CredentialType per verification,
AuthWorkflowID ties a sign-in together, UserAuthentication only when every challenge was met).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import pytest

from auditor.signin.aggregate import SigninAggregator
from auditor.signin.parse import UnknownShape, parse_record
from auditor.signin.records import SigninEvidence, SigninKind
from auditor.signin.tally import device_type
from tests.signin.events import ACCOUNT, console_login, ic_signin, other_event

START = datetime(2026, 9, 1, tzinfo=timezone.utc)
END = datetime(2026, 11, 30, tzinfo=timezone.utc)


def evidence(records: Iterable[dict[str, Any]]) -> SigninEvidence:
    aggregator = SigninAggregator(START, END, account_ids=[ACCOUNT])
    for record in records:
        aggregator.add_record(record)
    return aggregator.evidence(ACCOUNT, source="cloudtrail_files", days=90)


def test_iam_user_without_and_with_mfa_counts_first_last_and_addresses() -> None:
    result = evidence(
        [
            console_login("dana", time="2026-11-02T08:00:00Z", ip="192.0.2.1"),
            console_login("dana", time="2026-11-29T08:00:00Z", ip="192.0.2.2"),
            console_login("dana", time="2026-11-10T08:00:00Z", ip="192.0.2.1"),
            console_login("dana", time="2026-11-11T08:00:00Z", ip="192.0.2.3"),
            console_login("dana", time="2026-11-12T08:00:00Z", ip="192.0.2.4"),
            console_login("dana", mfa=True, time="2026-11-30T00:00:00Z"),
        ]
    )
    dana = result.find(SigninKind.IAM_USER, "dana")
    assert dana is not None
    assert (dana.successes, dana.without_mfa, dana.with_mfa) == (6, 5, 1)
    assert dana.first_without_mfa == datetime(2026, 11, 2, 8, tzinfo=timezone.utc)
    assert dana.last_without_mfa == datetime(2026, 11, 29, 8, tzinfo=timezone.utc)
    assert dana.addresses_without_mfa == ("192.0.2.1", "192.0.2.2", "192.0.2.3")
    assert dana.last_mfa is True
    assert dana.mfa_device_types == ("virtual",)


def test_failed_signin_is_counted_never_a_success() -> None:
    dana = evidence([console_login("dana", success=False)]).find(SigninKind.IAM_USER, "dana")
    assert dana is not None
    assert (dana.successes, dana.without_mfa, dana.failures) == (0, 0, 1)


def test_root_signin_and_fido_device() -> None:
    fido = "arn:aws:iam::123456789012:u2f/root/key-EXAMPLE"
    result = evidence([console_login(identity_type="Root", mfa=True, device=fido)])
    root = result.find(SigninKind.ROOT, "<root_account>")
    assert root is not None
    assert root.with_mfa == 1
    assert root.mfa_device_types == ("fido",)
    assert device_type("GAHT12345678") == "hardware_totp"


def test_federated_session_is_never_judged_for_mfa() -> None:
    result = evidence([console_login("jdoe@example.com", identity_type="AssumedRole")])
    role = result.find(SigninKind.ROLE_SESSION, "AWSReservedSSO_Admin_0123abcd")
    assert role is not None
    assert role.successes == 1
    assert (role.without_mfa, role.last_mfa) == (0, None)
    assert result.find(SigninKind.IAM_USER, "jdoe@example.com") is None
    assert any("not judged" in note for note in result.notes)


@pytest.mark.parametrize(
    ("factors", "with_mfa", "without_mfa", "external"),
    [
        (("PASSWORD",), 0, 1, 0),
        (("PASSWORD", "TOTP"), 1, 0, 0),
        (("WEBAUTHN",), 1, 0, 0),
        (("EXTERNAL_IDP",), 0, 0, 1),
    ],
)
def test_identity_center_workflow_factors(
    factors: tuple[str, ...], with_mfa: int, without_mfa: int, external: int
) -> None:
    result = evidence(ic_signin(factors))
    dana = result.find(SigninKind.IDENTITY_CENTER, "dana")
    assert dana is not None
    assert (dana.with_mfa, dana.without_mfa, dana.external_idp) == (with_mfa, without_mfa, external)
    assert dana.user_id == "94482488-3041-7026-18f3-be45837cd0e4"
    assert result.find(SigninKind.IDENTITY_CENTER, dana.user_id) is dana


def test_identity_center_workflow_that_never_completed_is_not_a_signin() -> None:
    result = evidence(ic_signin(("PASSWORD",), complete=False))
    dana = result.find(SigninKind.IDENTITY_CENTER, "dana")
    assert dana is None  # no sign-in happened: nothing to judge


def test_identity_center_user_known_only_by_id() -> None:
    result = evidence(ic_signin(("PASSWORD",), user_name=None))
    entry = result.find(SigninKind.IDENTITY_CENTER, "94482488-3041-7026-18f3-be45837cd0e4")
    assert entry is not None
    assert entry.without_mfa == 1


def test_outside_the_window_and_other_accounts_are_ignored_and_counted() -> None:
    result = evidence(
        [
            console_login("old", time="2026-08-01T00:00:00Z"),
            console_login("elsewhere", account="210987654321"),
            other_event(),
        ]
    )
    assert result.principals == ()
    assert (result.coverage.outside_window, result.coverage.other_accounts) == (1, 1)
    assert result.coverage.records_read == 3


def test_several_regions_land_in_one_total() -> None:
    # IAM users signing in through the global endpoint are logged in several regions
    # ("AWS Management Console sign-in events": us-east-2, eu-north-1, ap-southeast-2 ...).
    result = evidence(
        console_login("dana", region=region)
        for region in ("us-east-1", "eu-north-1", "ap-southeast-2")
    )
    dana = result.find(SigninKind.IAM_USER, "dana")
    assert dana is not None
    assert dana.without_mfa == 3
    assert dana.regions == ("ap-southeast-2", "eu-north-1", "us-east-1")
    assert result.coverage.regions_read == ("ap-southeast-2", "eu-north-1", "us-east-1")


def test_unknown_shapes_are_skipped_and_counted_in_a_note() -> None:
    broken = console_login("dana")
    del broken["responseElements"]
    odd = console_login("dana")
    odd["userIdentity"]["type"] = "SomethingNew"
    result = evidence([broken, odd, console_login("kim")])
    assert result.coverage.unknown_shapes == 2
    assert result.find(SigninKind.IAM_USER, "kim") is not None
    assert any("2 sign-in event(s) had a shape" in note for note in result.notes)
    with pytest.raises(UnknownShape):
        parse_record(broken)


def test_other_events_are_not_signins() -> None:
    assert parse_record(other_event()) is None
