"""``principals.csv`` and ``findings.json``'s ``principals``: one row per principal of any kind.

The same ``PrincipalRow`` records as the report's ``#exposed`` section, in the analyzer's order
(worst exposure first), so the first rows of the file are the rows a reviewer reads first. The
CSV holds machine values (``true``/``false``/``unknown``, enum values, ISO timestamps, lists
joined with ``"; "``); the JSON holds the same values in JSON types (booleans, ``null``, lists),
so a script can move between the two without a lookup table. Columns are documented in the
reporter README and are only ever appended.
"""

from __future__ import annotations

from typing import Any

from auditor.models import PrincipalRow
from auditor.reporter.values import flag, iso_or_none, joined
from auditor.snapshot_io import to_jsonable

PRINCIPALS_CSV_COLUMNS: tuple[str, ...] = (
    "account_id",
    "principal_type",
    "name",
    "arn",
    "privileged",
    "privileged_via",
    "reach_without_mfa",
    "mfa_device_types",
    "mfa_enforced",
    "last_used",
    "open_rules",
    "worst_severity",
    "last_signin",
    "last_signin_mfa",
    "signins_without_mfa",
    "reach",
    "exposure",
    "exposed",
    "fix",
)


def principal_csv_row(row: PrincipalRow) -> list[Any]:
    """One CSV row; ``""`` where the record has no value (never used, no evidence read)."""
    return [
        row.account_id,
        row.principal_type.value,
        row.name,
        row.arn,
        flag(row.privileged),
        joined(row.privileged_via),
        row.reach_without_mfa.value,
        joined(row.mfa_device_types),
        row.mfa_enforced,
        iso_or_none(row.last_used) or "",
        joined(row.open_rules),
        "" if row.worst_severity is None else row.worst_severity.value,
        iso_or_none(row.last_signin) or "",
        "" if row.last_signin_mfa is None else flag(row.last_signin_mfa),
        "" if row.signins_without_mfa is None else row.signins_without_mfa,
        row.reach.value,
        row.exposure,
        flag(row.exposed),
        row.fix,
    ]


def principal_json(row: PrincipalRow) -> dict[str, Any]:
    """The CSV columns in JSON types, plus each access path as an object."""
    return {
        "account_id": row.account_id,
        "principal_type": row.principal_type.value,
        "name": row.name,
        "arn": row.arn,
        "privileged": row.privileged,
        "privileged_via": list(row.privileged_via),
        "reach_without_mfa": row.reach_without_mfa.value,
        "mfa_device_types": list(row.mfa_device_types),
        "mfa_enforced": row.mfa_enforced,
        "last_used": iso_or_none(row.last_used),
        "open_rules": list(row.open_rules),
        "worst_severity": None if row.worst_severity is None else row.worst_severity.value,
        "last_signin": iso_or_none(row.last_signin),
        "last_signin_mfa": row.last_signin_mfa,
        "signins_without_mfa": row.signins_without_mfa,
        "reach": row.reach.value,
        "exposure": row.exposure,
        "exposed": row.exposed,
        "fix": row.fix,
        "paths": [to_jsonable(path) for path in row.paths],
    }
