"""Audit without credentials: read the AWS CLI's own exports into a ``Snapshot``.

Inputs: the JSON of ``aws iam get-account-authorization-details`` (the CLI follows every page and
merges them into one object) and, optionally, the credential report CSV downloaded from the IAM
console and the JSON of ``aws iam list-virtual-mfa-devices``. A file is someone's hand-made input,
so this path is strict: anything malformed is an ``InputError`` naming the file and the place.
What the files do not contain (password policy, account summary, devices when that file is not
given, the users of an export made with ``--filter Role Group``) is recorded as a gap, never
assumed absent.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import NoReturn

from auditor import __version__
from auditor.collector.authorization import PAGE_KEYS, AuthorizationDetailsBuilder
from auditor.collector.credential_report import ParsedCredentialReport, read_credential_report
from auditor.collector.devices import DEVICES_KEY, read_virtual_mfa_devices
from auditor.collector.export_accounts import check_account_id, check_companion, select_account
from auditor.collector.fields import Fields
from auditor.collector.identity_center_export import load_identity_center_export
from auditor.collector.report_export import decode_report_file
from auditor.collector.report_fetch import missing_root_gap
from auditor.errors import InputError
from auditor.fileio import read_json
from auditor.models import (
    SNAPSHOT_SCHEMA_VERSION,
    CollectionGap,
    CollectionSource,
    CredentialReport,
    Snapshot,
    VirtualMfaDevice,
)

EXPORT_SOURCE = "aws-cli-export"
_NOT_EXPORTED = (
    "not part of an AWS CLI export (get-account-authorization-details + credential report)"
)
_NO_DEVICES_FILE = (
    "no `aws iam list-virtual-mfa-devices` output was given with the export, so virtual "
    "devices cannot be told from hardware or FIDO ones"
)
_LIST_CONTENTS = {
    "UserDetailList": "users",
    "GroupDetailList": "groups",
    "RoleDetailList": "roles",
    "Policies": "managed policies",
}


def load_aws_cli_export(
    authorization_details: Path,
    credential_report_csv: Path | None,
    *,
    account_id: str | None = None,
    virtual_mfa_devices: Path | None = None,
    identity_center: Path | None = None,
) -> Snapshot:
    """Build a snapshot from exported files; ``account_id`` is derived from ARNs when omitted.

    ``virtual_mfa_devices`` is the JSON of ``aws iam list-virtual-mfa-devices``; without it the
    devices are a gap (and the audit incomplete). ``identity_center`` is a folder of
    ``aws sso-admin`` / ``aws identitystore`` outputs (``identity_center_export``); without it
    the snapshot has no Identity Center data, and the report says Identity Center was not read.
    """
    origin = str(authorization_details)
    check_account_id(account_id)
    data = read_json(authorization_details, "get-account-authorization-details export")
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

    data, account = select_account(data, account_id, authorization_details)
    builder = AuthorizationDetailsBuilder(origin, on_bad_document=refuse)
    builder.add_page(data, "$")
    details = builder.build()

    gaps: list[CollectionGap] = list(details.gaps)
    missing_lists = _missing_lists(data, authorization_details.name)
    if missing_lists is not None:
        gaps.append(missing_lists)
    notes = [
        f"Collected from AWS CLI exports; collection time is {authorization_details.name}'s "
        "modification time."
    ]
    report: CredentialReport | None = None
    devices: tuple[VirtualMfaDevice, ...] = ()
    if virtual_mfa_devices is None:
        gaps.append(CollectionGap(CollectionSource.VIRTUAL_MFA_DEVICES.value, _NO_DEVICES_FILE))
    else:
        devices = _read_devices(virtual_mfa_devices)
        arns = [d.user_arn for d in devices if d.user_arn] + [d.serial_number for d in devices]
        account = check_companion(
            "device list", virtual_mfa_devices, arns, account, authorization_details
        )
    if credential_report_csv is None:
        gaps.append(
            CollectionGap(
                CollectionSource.CREDENTIAL_REPORT.value,
                "no credential report CSV was given with the export",
            )
        )
    else:
        parsed = _read_report(credential_report_csv)
        report = parsed.report
        rows = [row.arn for row in report.rows]
        account = check_companion(
            "credential report", credential_report_csv, rows, account, authorization_details
        )
        ignored = parsed.note()
        if ignored is not None:
            notes.append(ignored)
        notes.append(
            "The credential report CSV does not record when it was generated; "
            f"{credential_report_csv.name}'s modification time is used."
        )
        root_gap = missing_root_gap(report)
        if root_gap is not None:
            gaps.append(root_gap)
    ic_data = None
    if identity_center is not None:
        ic_data, ic_gaps = load_identity_center_export(identity_center)
        gaps.extend(ic_gaps)
    for source in (
        CollectionSource.ACCOUNT_SUMMARY,
        CollectionSource.PASSWORD_POLICY,
    ):
        gaps.append(CollectionGap(source.value, _NOT_EXPORTED))

    if account is None:
        raise InputError(
            f"{origin}: cannot tell the account id (no ARN in the files given)",
            hint="pass the account id explicitly (--account-id)",
        )
    return Snapshot(
        schema_version=SNAPSHOT_SCHEMA_VERSION,
        tool_version=__version__,
        source=EXPORT_SOURCE,
        account_id=account,
        account_alias=None,
        caller_arn=None,
        collected_at=_modified(authorization_details),
        credential_report=report,
        users=details.users,
        groups=details.groups,
        roles=details.roles,
        policies=details.policies,
        virtual_mfa_devices=devices,
        account_summary=None,
        password_policy=None,
        gaps=tuple(gaps),
        notes=tuple(notes),
        identity_center=ic_data,
    )


def _missing_lists(data: dict[str, object], name: str) -> CollectionGap | None:
    """An export made with ``--filter`` lacks whole lists; what they hold is unknown, not none.

    Without ``UserDetailList`` every credential-report user would otherwise be judged without
    their groups and policies, as if they had none.
    """
    missing = [key for key in PAGE_KEYS if key not in data]
    if not missing:
        return None
    listed = ", ".join(f"{key} ({_LIST_CONTENTS[key]})" for key in missing)
    return CollectionGap(
        CollectionSource.AUTHORIZATION_DETAILS.value,
        f"{name} has no {listed}, so their permissions are unknown; it was probably exported "
        "with --filter: export again without it",
    )


def _read_devices(path: Path) -> tuple[VirtualMfaDevice, ...]:
    data = read_json(path, "list-virtual-mfa-devices output")
    if not isinstance(data, dict) or DEVICES_KEY not in data:
        raise InputError(
            f"{path}: not an `aws iam list-virtual-mfa-devices` output "
            f"(expected an object with {DEVICES_KEY})"
        )
    if data.get("IsTruncated") or data.get("Marker") or data.get("NextToken"):
        raise InputError(
            f"{path}: the device list is truncated (IsTruncated/Marker/NextToken present)",
            hint="export again without --max-items or --no-paginate",
        )
    return tuple(read_virtual_mfa_devices(Fields(data, f"{path}: $")))


def _read_report(path: Path) -> ParsedCredentialReport:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    csv, generated = decode_report_file(content, str(path), _modified(path))
    return read_credential_report(csv, origin=str(path), generated_time=generated)


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
