"""Credential report CSV → typed rows.

Authority: IAM User Guide, "Getting credential reports for your AWS account" (column list, the
``<root_account>`` row, ``N/A`` / ``not_supported`` / ``no_information`` meanings).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.collector import parse_credential_report
from auditor.collector.credential_report import COLUMNS, read_credential_report
from auditor.errors import InputError
from auditor.models import Unavailable
from tests.support.credential_rows import ACCOUNT, ROOT_ROW, report_csv, report_row


def test_documented_columns_are_the_22_aws_lists() -> None:
    assert len(COLUMNS) == 22
    assert COLUMNS[:8] == (
        "user",
        "arn",
        "user_creation_time",
        "password_enabled",
        "password_last_used",
        "password_last_changed",
        "password_next_rotation",
        "mfa_active",
    )
    assert COLUMNS[-4:] == (
        "cert_1_active",
        "cert_1_last_rotated",
        "cert_2_active",
        "cert_2_last_rotated",
    )


def test_root_row_markers_are_kept_distinct() -> None:
    report = parse_credential_report(report_csv(ROOT_ROW), origin="r.csv")
    root = report.root
    assert root is not None
    assert root.is_root
    assert root.arn == f"arn:aws:iam::{ACCOUNT}:root"
    # Root's password columns read not_supported; that is not "no password".
    assert root.password_enabled is Unavailable.NOT_SUPPORTED
    assert root.password_last_changed is Unavailable.NOT_SUPPORTED
    assert root.password_last_used == datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
    assert root.mfa_active is True
    assert root.has_console_password is False


def test_user_row_every_column_typed() -> None:
    alice = report_row(
        "alice",
        password_enabled="TRUE",  # the docs print upper case, the files lower case
        password_last_used="no_information",
        password_last_changed="2020-02-03T04:05:06+00:00",
        mfa_active="False",
        access_key_1_active="true",
        access_key_1_last_rotated="2021-01-01T00:00:00+02:00",
        access_key_1_last_used_date="2024-06-01T12:00:00Z",
        access_key_1_last_used_region="us-east-1",
        access_key_1_last_used_service="s3",
        cert_2_active="true",
        cert_2_last_rotated="2022-02-02T02:02:02+00:00",
    )
    row = parse_credential_report(report_csv(alice), origin="r.csv").for_user("alice")
    assert row is not None
    assert row.password_enabled is True
    assert row.has_console_password
    assert row.password_last_used is Unavailable.NO_INFORMATION
    assert row.password_next_rotation is Unavailable.NOT_APPLICABLE
    assert row.mfa_active is False
    key = row.access_key_1
    assert key.active is True
    assert key.last_rotated == datetime(2020, 12, 31, 22, tzinfo=timezone.utc)  # offset applied
    assert key.last_rotated.tzinfo == timezone.utc  # type: ignore[union-attr]
    assert key.last_used_date == datetime(2024, 6, 1, 12, tzinfo=timezone.utc)
    assert (key.last_used_region, key.last_used_service) == ("us-east-1", "s3")
    assert row.access_key_2.active is False
    assert row.access_key_2.last_used_region is Unavailable.NOT_APPLICABLE
    assert row.active_access_keys == 1
    assert row.cert_1.active is False
    assert row.cert_2.active is True


def test_bytes_with_bom_and_crlf_are_accepted() -> None:
    content = ("\ufeff" + report_csv(ROOT_ROW, report_row("bob"))).replace("\n", "\r\n")
    report = parse_credential_report(content.encode("utf-8"), origin="r.csv")
    assert [row.user for row in report.rows] == ["<root_account>", "bob"]


def test_generated_time_given_wins() -> None:
    generated = datetime(2026, 1, 1, tzinfo=timezone.utc)
    report = parse_credential_report(report_csv(ROOT_ROW), origin="x", generated_time=generated)
    assert report.generated_time == generated


def test_generated_time_unknown_is_newest_timestamp_a_lower_bound() -> None:
    newest = "2025-03-04T05:06:07+00:00"
    rows = (ROOT_ROW, report_row("bob", access_key_1_last_used_date=newest))
    report = parse_credential_report(report_csv(*rows), origin="x")
    assert report.generated_time == datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("mfa_active", "yes", "row 2 (user alice), column mfa_active: 'yes' is not true or false"),
        ("mfa_active", "N/A", "column mfa_active: 'N/A' is not true or false"),
        ("password_enabled", "maybe", "column password_enabled: 'maybe' is not true or false"),
        ("user_creation_time", "yesterday", "column user_creation_time: 'yesterday' is not an ISO"),
        ("access_key_1_last_used_region", "", "column access_key_1_last_used_region: empty value"),
        ("arn", "alice", "column arn: 'alice' is not an ARN"),
    ],
)
def test_garbage_values_name_file_row_and_column(column: str, value: str, expected: str) -> None:
    content = report_csv(report_row("alice", **{column: value}))
    with pytest.raises(InputError) as caught:
        parse_credential_report(content, origin="export/report.csv")
    assert str(caught.value).startswith("export/report.csv: row 2")
    assert expected in str(caught.value)


def test_unknown_columns_are_ignored_and_named_in_a_note() -> None:
    """A column AWS adds later must not break every scheduled run; it is named, not used."""
    columns = ("passkey_active", *COLUMNS, "extra")
    rows = [dict(ROOT_ROW, passkey_active="true", extra="x"), report_row("alice", extra="y")]
    parsed = read_credential_report(report_csv(*rows, columns=columns), origin="r.csv")
    assert parsed.ignored_columns == ("passkey_active", "extra")
    assert parsed.note() is not None
    assert "passkey_active, extra" in str(parsed.note())
    assert [row.user for row in parsed.report.rows] == ["<root_account>", "alice"]
    plain = read_credential_report(report_csv(*rows), origin="r.csv")
    assert parsed.report == plain.report  # the extra cells changed nothing
    assert plain.ignored_columns == ()
    assert plain.note() is None


def test_repeated_known_column_is_still_refused() -> None:
    columns = (*COLUMNS, "mfa_active")
    with pytest.raises(InputError, match=r"repeats column\(s\): mfa_active"):
        parse_credential_report(report_csv(ROOT_ROW, columns=columns), origin="r.csv")


def test_repeated_user_rows_are_refused_naming_the_rows() -> None:
    """IAM lists each user once; letting the last row win made findings vanish."""
    content = report_csv(
        ROOT_ROW,
        report_row("alice", mfa_active="false"),
        report_row("bob"),
        report_row("alice", mfa_active="true"),
    )
    with pytest.raises(InputError) as caught:
        parse_credential_report(content, origin="r.csv")
    assert str(caught.value.message) == (
        "r.csv: credential report lists the same user on several rows: alice (rows 3, 5)"
    )
    assert caught.value.hint is not None


def test_repeated_root_row_is_refused() -> None:
    with pytest.raises(InputError, match=r"<root_account> \(rows 2, 3\)"):
        parse_credential_report(report_csv(ROOT_ROW, ROOT_ROW), origin="r.csv")


def test_missing_column_is_refused() -> None:
    columns = tuple(c for c in COLUMNS if c != "mfa_active")
    with pytest.raises(InputError, match=r"lacks column\(s\): mfa_active"):
        parse_credential_report(report_csv(ROOT_ROW, columns=columns), origin="r.csv")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        ("not,a,report\n1,2,3\n", "not a credential report"),
    ],
)
def test_not_a_report(content: str | bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_credential_report(content, origin="r.csv")


def test_short_row_is_refused_with_its_number() -> None:
    content = report_csv(ROOT_ROW) + "bob,arn:aws:iam::1:user/bob\n"
    with pytest.raises(InputError, match=r"row 3: expected 22 columns, found 2"):
        parse_credential_report(content, origin="r.csv")


def test_header_only_report_has_no_rows_and_no_root() -> None:
    report = parse_credential_report(report_csv(), origin="r.csv")
    assert report.rows == ()
    assert report.root is None


_booleans = st.sampled_from(["true", "false"]).flatmap(
    lambda word: st.sampled_from([word, word.upper(), word.capitalize()])
)
_moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(None)
).map(lambda moment: moment.replace(microsecond=0))
_offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timedelta(minutes=m))


@given(flag=_booleans, moment=_moments, offset=_offsets)
def test_any_case_boolean_and_any_offset_round_trip(
    flag: str, moment: datetime, offset: timedelta
) -> None:
    stamp = moment.replace(tzinfo=timezone(offset))
    row = report_row("p", mfa_active=flag, user_creation_time=stamp.isoformat())
    parsed = parse_credential_report(report_csv(row), origin="r.csv").rows[0]
    assert parsed.mfa_active is (flag.lower() == "true")
    assert parsed.user_creation_time == stamp
    assert parsed.user_creation_time.tzinfo == timezone.utc  # type: ignore[union-attr]
