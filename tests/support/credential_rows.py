"""Credential report CSV in AWS's shape, for tests (IAM User Guide, "Getting credential reports").

``report_row`` gives a user with no password, no keys and no MFA; override any column.
"""

from __future__ import annotations

from auditor.collector.credential_report import COLUMNS

ACCOUNT = "111122223333"
NO_KEY = {"active": "false", "last_rotated": "N/A", "last_used_date": "N/A",
          "last_used_region": "N/A", "last_used_service": "N/A"}  # fmt: skip


def report_row(user: str, **overrides: str) -> dict[str, str]:
    arn = (
        f"arn:aws:iam::{ACCOUNT}:root"
        if user == "<root_account>"
        else (f"arn:aws:iam::{ACCOUNT}:user/{user}")
    )
    row = {
        "user": user,
        "arn": arn,
        "user_creation_time": "2020-02-03T04:05:06+00:00",
        "password_enabled": "false",
        "password_last_used": "N/A",
        "password_last_changed": "N/A",
        "password_next_rotation": "N/A",
        "mfa_active": "false",
        **{f"access_key_{n}_{k}": v for n in (1, 2) for k, v in NO_KEY.items()},
        **{f"cert_{n}_{k}": v for n in (1, 2) for k, v in (("active", "false"),
                                                               ("last_rotated", "N/A"))},
    }  # fmt: skip
    row.update(overrides)
    return row


ROOT_ROW = report_row(
    "<root_account>",
    password_enabled="not_supported",
    password_last_used="2024-05-01T10:00:00+00:00",
    password_last_changed="not_supported",
    password_next_rotation="not_supported",
    mfa_active="true",
)


def report_csv(*rows: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> str:
    lines = [",".join(columns)]
    lines += [",".join(row.get(column, "") for column in columns) for row in rows]
    return "\n".join(lines) + "\n"
