"""Parse the IAM credential report (CSV) into typed rows, once, strictly.

Column meanings follow the IAM User Guide, "Getting credential reports for your AWS account".
Strict on purpose: a missing column or a value we do not understand must not quietly become
``False`` (that is how an admin without MFA reads as compliant), and a user listed twice must not
let one row silently win. Every problem names the origin, the row (with its user) and the column.
A column AWS adds in future is the one tolerance: it is ignored and named in a note, because
refusing it would break every scheduled run the day AWS ships it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

from auditor.errors import InputError
from auditor.models import (
    AccessKeyStatus,
    CertificateStatus,
    CredentialReport,
    CredentialReportRow,
    FlagValue,
    TimeValue,
    Unavailable,
)

COLUMNS: tuple[str, ...] = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    *(
        f"access_key_{n}_{suffix}"
        for n in (1, 2)
        for suffix in (
            "active",
            "last_rotated",
            "last_used_date",
            "last_used_region",
            "last_used_service",
        )
    ),
    *(f"cert_{n}_{suffix}" for n in (1, 2) for suffix in ("active", "last_rotated")),
)
"""The 22 documented columns, in AWS's order."""

_MARKERS = {marker.value.lower(): marker for marker in Unavailable}
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
T = TypeVar("T")


class _BadValue(ValueError):
    """A cell that does not fit its column; the caller adds row and column."""


def _marker(text: str) -> Unavailable | None:
    return _MARKERS.get(text.strip().lower())


def parse_bool(text: str) -> bool:
    """``true``/``false`` in any case (AWS's docs print ``TRUE``, the files say ``true``)."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise _BadValue(f"{text!r} is not true or false")


def parse_flag(text: str) -> FlagValue:
    return _marker(text) or parse_bool(text)


def parse_time(text: str) -> TimeValue:
    """An ISO 8601 timestamp (with offset; ``Z`` accepted; none means UTC) or a marker."""
    marker = _marker(text)
    if marker is not None:
        return marker
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _BadValue(f"{text!r} is not an ISO 8601 timestamp") from None
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_text(text: str) -> str | Unavailable:
    marker = _marker(text)
    if marker is not None:
        return marker
    if not text.strip():
        raise _BadValue("empty value")
    return text.strip()


@dataclass(frozen=True)
class ParsedCredentialReport:
    report: CredentialReport
    ignored_columns: tuple[str, ...] = ()
    """Columns this version does not know (a newer AWS report), left out of ``report``."""

    def note(self) -> str | None:
        """The sentence for ``Snapshot.notes`` when columns were ignored, else ``None``."""
        if not self.ignored_columns:
            return None
        return (
            "The credential report has column(s) this version of mfa-auditor does not know, "
            f"ignored: {', '.join(self.ignored_columns)}."
        )


def parse_credential_report(
    content: bytes | str, *, origin: str, generated_time: datetime | None = None
) -> CredentialReport:
    """The report alone; see ``read_credential_report`` (which also says what was ignored)."""
    return read_credential_report(content, origin=origin, generated_time=generated_time).report


def read_credential_report(
    content: bytes | str, *, origin: str, generated_time: datetime | None = None
) -> ParsedCredentialReport:
    """Parse the CSV ``content``; raise ``InputError`` naming ``origin``, row and column.

    ``generated_time`` is the report's ``GeneratedTime`` when known (the API returns it; a CSV
    downloaded from the console does not carry it). When ``None``, the newest timestamp in the
    report is used: a lower bound, so the report can look older than it is, never fresher.
    """
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        raise InputError(f"{origin}: credential report is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise InputError(f"{origin}: credential report is empty (no header row)")
    header = [cell.strip() for cell in header]
    ignored = _check_header(header, origin)
    rows: list[CredentialReportRow] = []
    numbers: dict[str, list[int]] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InputError(
                f"{origin}: row {number}: expected {len(header)} columns, found {len(cells)}"
            )
        row = _row(dict(zip(header, cells, strict=True)), f"{origin}: row {number}")
        numbers.setdefault(row.user, []).append(number)
        rows.append(row)
    _refuse_repeated_users(numbers, origin)
    report = CredentialReport(
        generated_time=generated_time or _newest_timestamp(rows), rows=tuple(rows)
    )
    return ParsedCredentialReport(report, ignored)


def _check_header(header: list[str], origin: str) -> tuple[str, ...]:
    """The unknown columns (to ignore); missing or repeated known columns are errors."""
    unknown = tuple(dict.fromkeys(name for name in header if name not in COLUMNS))
    missing = [name for name in COLUMNS if name not in header]
    duplicated = sorted({name for name in header if name in COLUMNS and header.count(name) > 1})
    if len(unknown) == len(set(header)):
        raise InputError(
            f"{origin}: not a credential report (none of its columns: user, arn, mfa_active, ...)"
        )
    if missing:
        raise InputError(f"{origin}: credential report lacks column(s): {', '.join(missing)}")
    if duplicated:
        raise InputError(f"{origin}: credential report repeats column(s): {', '.join(duplicated)}")
    return unknown


def _refuse_repeated_users(numbers: Mapping[str, list[int]], origin: str) -> None:
    """IAM lists each user once; two rows would let one silently win (and a finding vanish)."""
    repeated = [(user, rows) for user, rows in numbers.items() if len(rows) > 1]
    if not repeated:
        return
    shown = "; ".join(
        f"{user} (rows {', '.join(map(str, rows))})" for user, rows in repeated[:5]
    ) + (f"; and {len(repeated) - 5} more" if len(repeated) > 5 else "")
    raise InputError(
        f"{origin}: credential report lists the same user on several rows: {shown}",
        hint="a credential report has one row per user; download it again from IAM",
    )


def _row(cells: Mapping[str, str], where: str) -> CredentialReportRow:
    user = cells["user"].strip()
    if user:
        where = f"{where} (user {user})"

    def cell(column: str, parse: Callable[[str], T]) -> T:
        try:
            return parse(cells[column])
        except _BadValue as bad:
            raise InputError(f"{where}, column {column}: {bad}") from None

    if not user:
        raise InputError(f"{where}, column user: empty value")
    arn = cells["arn"].strip()
    if not arn.startswith("arn:"):
        raise InputError(f"{where}, column arn: {arn!r} is not an ARN")

    def key(n: int) -> AccessKeyStatus:
        prefix = f"access_key_{n}_"
        return AccessKeyStatus(
            active=cell(prefix + "active", parse_bool),
            last_rotated=cell(prefix + "last_rotated", parse_time),
            last_used_date=cell(prefix + "last_used_date", parse_time),
            last_used_region=cell(prefix + "last_used_region", parse_text),
            last_used_service=cell(prefix + "last_used_service", parse_text),
        )

    def cert(n: int) -> CertificateStatus:
        return CertificateStatus(
            active=cell(f"cert_{n}_active", parse_bool),
            last_rotated=cell(f"cert_{n}_last_rotated", parse_time),
        )

    return CredentialReportRow(
        user=user,
        arn=arn,
        user_creation_time=cell("user_creation_time", parse_time),
        password_enabled=cell("password_enabled", parse_flag),
        password_last_used=cell("password_last_used", parse_time),
        password_last_changed=cell("password_last_changed", parse_time),
        password_next_rotation=cell("password_next_rotation", parse_time),
        mfa_active=cell("mfa_active", parse_bool),
        access_key_1=key(1),
        access_key_2=key(2),
        cert_1=cert(1),
        cert_2=cert(2),
    )


def _newest_timestamp(rows: list[CredentialReportRow]) -> datetime:
    moments = [
        value
        for row in rows
        for value in (
            row.user_creation_time,
            row.password_last_used,
            row.password_last_changed,
            row.access_key_1.last_rotated,
            row.access_key_1.last_used_date,
            row.access_key_2.last_rotated,
            row.access_key_2.last_used_date,
            row.cert_1.last_rotated,
            row.cert_2.last_rotated,
        )
        if isinstance(value, datetime)
    ]
    return max(moments, default=_EPOCH)
