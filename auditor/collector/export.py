"""Audit without credentials: read the AWS CLI's own exports into a ``Snapshot``.

Inputs: the JSON of ``aws iam get-account-authorization-details`` (the CLI follows every page and
merges them into one object) and, optionally, the credential report CSV downloaded from the IAM
console. A file is someone's hand-made input, so this path is strict: anything malformed is an
``InputError`` naming the file and the place. What an export cannot contain (virtual MFA devices,
password policy, account summary) is recorded as a gap, never assumed absent.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NoReturn

from auditor import __version__
from auditor.collector.authorization import PAGE_KEYS, AuthorizationDetailsBuilder
from auditor.collector.credential_report import parse_credential_report
from auditor.collector.report_fetch import missing_root_gap
from auditor.errors import InputError
from auditor.models import (
    SNAPSHOT_SCHEMA_VERSION,
    CollectionGap,
    CollectionSource,
    CredentialReport,
    Snapshot,
)

EXPORT_SOURCE = "aws-cli-export"
_NOT_EXPORTED = (
    "not part of an AWS CLI export (get-account-authorization-details + credential report)"
)


def load_aws_cli_export(
    authorization_details: Path,
    credential_report_csv: Path | None,
    *,
    account_id: str | None = None,
) -> Snapshot:
    """Build a snapshot from exported files; ``account_id`` is derived from ARNs when omitted."""
    origin = str(authorization_details)
    data = _read_json(authorization_details)
    if not isinstance(data, dict) or not any(key in data for key in PAGE_KEYS):
        raise InputError(
            f"{origin}: not an `aws iam get-account-authorization-details` export "
            f"(expected an object with {', '.join(PAGE_KEYS)})"
        )
    if data.get("IsTruncated") or data.get("NextToken"):
        raise InputError(
            f"{origin}: the export is truncated (IsTruncated/NextToken present)",
            hint="export again without --max-items or --no-paginate",
        )

    def refuse(what: str, why: str) -> NoReturn:
        raise InputError(f"{origin}: {what}: {why}")

    builder = AuthorizationDetailsBuilder(origin, on_bad_document=refuse)
    builder.add_page(data, "$")
    details = builder.build()

    gaps: list[CollectionGap] = list(details.gaps)
    notes = [
        f"Collected from AWS CLI exports; collection time is {authorization_details.name}'s "
        "modification time."
    ]
    report: CredentialReport | None = None
    if credential_report_csv is None:
        gaps.append(
            CollectionGap(
                CollectionSource.CREDENTIAL_REPORT.value,
                "no credential report CSV was given with the export",
            )
        )
    else:
        report = _read_report(credential_report_csv)
        notes.append(
            "The credential report CSV does not record when it was generated; "
            f"{credential_report_csv.name}'s modification time is used."
        )
        root_gap = missing_root_gap(report)
        if root_gap is not None:
            gaps.append(root_gap)
    for source in (
        CollectionSource.VIRTUAL_MFA_DEVICES,
        CollectionSource.ACCOUNT_SUMMARY,
        CollectionSource.PASSWORD_POLICY,
    ):
        gaps.append(CollectionGap(source.value, _NOT_EXPORTED))

    arns = [user.arn for user in details.users] + [group.arn for group in details.groups]
    arns += [role.arn for role in details.roles]
    arns += [p.arn for p in details.policies if not p.is_aws_managed]
    arns += [row.arn for row in report.rows] if report is not None else []
    return Snapshot(
        schema_version=SNAPSHOT_SCHEMA_VERSION,
        tool_version=__version__,
        source=EXPORT_SOURCE,
        account_id=_account_id(arns, account_id, origin),
        account_alias=None,
        caller_arn=None,
        collected_at=_modified(authorization_details),
        credential_report=report,
        users=details.users,
        groups=details.groups,
        roles=details.roles,
        policies=details.policies,
        virtual_mfa_devices=(),
        account_summary=None,
        password_policy=None,
        gaps=tuple(gaps),
        notes=tuple(notes),
    )


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None


def _read_report(path: Path) -> CredentialReport:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    return parse_credential_report(content, origin=str(path), generated_time=_modified(path))


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)


def _account_id(arns: list[str], given: str | None, origin: str) -> str:
    """The one account all ARNs belong to; files from two accounts must not be mixed."""
    found = {parts[4] for arn in arns if len(parts := arn.split(":", 5)) == 6 and parts[4]}
    if len(found) > 1:
        raise InputError(
            f"{origin}: the exported files name several accounts ({', '.join(sorted(found))})",
            hint="export both files from the same account",
        )
    if given is not None:
        if not (given.isdigit() and len(given) == 12):
            raise InputError(f"account id {given!r} is not a 12-digit AWS account id")
        if found and given not in found:
            raise InputError(
                f"{origin}: the export is from account {found.pop()}, not {given}",
                hint="pass the matching account id, or omit it",
            )
        return given
    if not found:
        raise InputError(
            f"{origin}: cannot tell the account id (no ARN in the export)",
            hint="pass the account id explicitly",
        )
    return found.pop()
