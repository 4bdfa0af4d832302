"""Plain-text forms of record values, shared by the CSV, JSON and HTML writers.

One place decides how a timestamp, a credential-report marker or a list looks, so a value reads
the same in every output: ISO-8601 UTC with a ``Z`` (``2026-11-20T10:00:00Z``), markers as their
literal credential-report text (``N/A``, ``no_information``, ``not_supported``) because collapsing
them into an empty cell would turn "never used" into "does not exist", and lists joined with
``"; "`` so each spreadsheet cell holds one value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from auditor.models import FlagValue, TimeValue, Unavailable
from auditor.timeutil import as_utc

LIST_SEPARATOR = "; "
UNKNOWN = "unknown"
"""Shown when a value could not be known (e.g. a user missing from the credential report)."""


def iso(moment: datetime) -> str:
    """Second precision: sub-second digits only make spreadsheet columns harder to filter."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def human_time(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S UTC")


def human_date(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%d")


def time_value(value: TimeValue) -> str:
    if isinstance(value, Unavailable):
        return value.value
    return iso(value)


def flag(value: bool | None) -> str:
    if value is None:
        return UNKNOWN
    return "true" if value else "false"


def flag_value(value: FlagValue) -> str:
    if isinstance(value, Unavailable):
        return value.value
    return flag(value)


def joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def evidence_text(evidence: Mapping[str, str]) -> str:
    """``k=v; k=v`` in the analyzer's order; findings.json keeps the evidence as an object."""
    return joined(f"{key}={value}" for key, value in evidence.items())


def duration(seconds: float) -> str:
    """A short age such as ``3 h 12 min``; negative ages (clock skew) are shown as such."""
    sign = "-" if seconds < 0 else ""
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{sign}{days} d {hours} h"
    if hours:
        return f"{sign}{hours} h {mins} min"
    return f"{sign}{mins} min"
