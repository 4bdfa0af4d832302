"""``with_signins`` fills the principals table's sign-in columns; "not read" stays ``None``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from auditor.analyzer.signin_rows import with_signins
from auditor.models import PrincipalRow, PrincipalType, Reach
from auditor.signin.aggregate import SigninAggregator
from auditor.signin.records import SigninEvidence
from tests.signin.events import ACCOUNT, console_login, ic_signin

END = datetime(2026, 11, 30, tzinfo=timezone.utc)


def principal(kind: PrincipalType, name: str, arn: str = "") -> PrincipalRow:
    return PrincipalRow(
        account_id=ACCOUNT,
        principal_type=kind,
        name=name,
        arn=arn or f"arn:aws:iam::{ACCOUNT}:user/{name}",
        privileged=True,
        reach=Reach.ADMIN,
        privileged_via=(),
        reach_without_mfa=Reach.ADMIN,
        mfa_device_types=(),
        mfa_enforced="none",
        last_used=None,
        open_rules=(),
        worst_severity=None,
        exposure=5,
        fix="",
    )


def evidence() -> SigninEvidence:
    aggregator = SigninAggregator(END - timedelta(days=90), END, account_ids=[ACCOUNT])
    for record in [
        console_login("dana", time="2026-11-20T08:00:00Z"),
        console_login("dana", mfa=True, time="2026-11-29T08:00:00Z"),
        console_login("x", identity_type="AssumedRole", time="2026-11-21T08:00:00Z"),
        *ic_signin(("PASSWORD", "TOTP"), user_name=None, user_id="u-lee"),
    ]:
        aggregator.add_record(record)
    return aggregator.evidence(ACCOUNT, source="cloudtrail_files", days=90)


def test_rows_get_last_sign_in_its_mfa_and_the_count_without() -> None:
    rows = [
        principal(PrincipalType.USER, "dana"),
        principal(PrincipalType.USER, "quiet"),
        principal(PrincipalType.ROLE, "AWSReservedSSO_Admin_0123abcd"),
        principal(PrincipalType.IDENTITY_CENTER_USER, "lee", "arn:aws:identitystore:::user/u-lee"),
    ]
    dana, quiet, role, lee = with_signins(rows, evidence())
    assert dana.last_signin == datetime(2026, 11, 29, 8, tzinfo=timezone.utc)
    assert (dana.last_signin_mfa, dana.signins_without_mfa) == (True, 1)
    assert (quiet.last_signin, quiet.last_signin_mfa, quiet.signins_without_mfa) == (None, None, 0)
    assert role.last_signin == datetime(2026, 11, 21, 8, tzinfo=timezone.utc)
    assert (role.last_signin_mfa, role.signins_without_mfa) == (None, None)
    assert (lee.last_signin_mfa, lee.signins_without_mfa) == (True, 0)


def test_without_evidence_every_row_stays_not_read() -> None:
    (dana,) = with_signins([principal(PrincipalType.USER, "dana")], None)
    assert (dana.last_signin, dana.last_signin_mfa, dana.signins_without_mfa) == (None, None, None)
