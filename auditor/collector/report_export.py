"""A credential report file as the user has it: the console's CSV, or the AWS CLI's JSON.

``aws iam get-credential-report`` prints ``{"Content": "<base64 CSV>", "ReportFormat":
"text/csv", "GeneratedTime": "…"}`` (IAM API Reference, "GetCredentialReport": Content is a
base64-encoded blob). Asking people to decode it by hand is how reports get mangled, so the
JSON is accepted and decoded here, and its GeneratedTime is used as the report's age.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from auditor.errors import InputError
from auditor.timeutil import as_utc

CLI_HINT = "pass the CSV, or the JSON `aws iam get-credential-report` prints"


def decode_report_file(content: bytes, origin: str, modified: datetime) -> tuple[bytes, datetime]:
    """(CSV bytes, generated time) from a CSV file or the AWS CLI's JSON output."""
    if not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return content, modified
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise InputError(f"{origin}: not valid JSON", hint=CLI_HINT) from None
    if not isinstance(data, dict) or not isinstance(data.get("Content"), str):
        raise InputError(
            f"{origin}: JSON without a Content field is not a get-credential-report output",
            hint=CLI_HINT,
        )
    if data.get("ReportFormat", "text/csv") != "text/csv":
        raise InputError(f"{origin}: ReportFormat {data['ReportFormat']!r} is not text/csv")
    try:
        csv = base64.b64decode(data["Content"], validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{origin}: Content is not base64", hint=CLI_HINT) from None
    return csv, _generated(data.get("GeneratedTime"), origin) or modified


def _generated(value: object, origin: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{origin}: GeneratedTime must be an ISO-8601 timestamp")
    try:
        return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise InputError(
            f"{origin}: GeneratedTime {value!r} is not an ISO-8601 timestamp"
        ) from None
