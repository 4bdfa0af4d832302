"""Root's credentials for the demo, supplied from the data file because moto has no root user.

moto's credential report has no ``<root_account>`` row, its ``GetAccountSummary`` always says
``AccountMFAEnabled: 0``, and IAM has no API that could give root an MFA device. The collector
rightly records the missing row as a ``root_credentials`` gap (real AWS always has the row, so
its absence is incomplete data, never "root is fine"). For the demo only, this module adds root's
row and device as the data file declares them, removes that gap, and says so in the snapshot's
notes, so the report shows root's rules working and tells the reader where root's data came from.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

from auditor.demo.model import DemoAccount, DemoError, DemoRoot, RootMfa
from auditor.models import (
    ROOT_USER_NAME,
    AccessKeyStatus,
    CertificateStatus,
    CollectionSource,
    CredentialReportRow,
    Snapshot,
    Unavailable,
    VirtualMfaDevice,
)

_NA = Unavailable.NOT_APPLICABLE
MOTO_REPORT_TIME = datetime(2015, 2, 2, 20, 2, 2, tzinfo=timezone.utc)
"""moto stamps every credential report with this constant ``GeneratedTime``."""


def apply_demo_root(snapshot: Snapshot, data: DemoAccount) -> Snapshot:
    """``snapshot`` with root's row (and virtual device) from ``data``, and a note saying so.

    Unchanged when the report already has a root row (an emulator that grows one is believed).
    Without a credential report there is nowhere to put the row: the root gap stays, and a note
    says why the data file could not fill it.
    """
    if snapshot.account_id != data.account_id:
        raise DemoError(
            f"{data.origin}: account.id is {data.account_id} but the snapshot is of account "
            f"{snapshot.account_id}; root's demo data belongs to the demo account only"
        )
    report = snapshot.credential_report
    file_name = Path(data.origin).name
    if report is None:
        note = (
            f"Root's credentials from the demo data file {file_name} were not applied, because "
            "the credential report could not be collected."
        )
        return dataclasses.replace(snapshot, notes=(*snapshot.notes, note))
    if report.root is not None:
        return snapshot
    row = root_row(data.root, data.root_arn)
    notes = [_note(data, file_name, snapshot.account_summary is not None)]
    generated = report.generated_time
    if generated == MOTO_REPORT_TIME:
        generated = snapshot.collected_at
        notes.append(
            "Demo: moto stamps every credential report 2015-02-02T20:02:02Z; the demo shows the "
            "collection time as the report's generation time instead."
        )
    return dataclasses.replace(
        snapshot,
        credential_report=dataclasses.replace(
            report, rows=(row, *report.rows), generated_time=generated
        ),
        gaps=tuple(g for g in snapshot.gaps if g.source != CollectionSource.ROOT_CREDENTIALS.value),
        virtual_mfa_devices=_with_root_device(snapshot, data),
        account_summary=_summary(snapshot, data.root),
        notes=(*snapshot.notes, *notes),
    )


def root_row(root: DemoRoot, arn: str) -> CredentialReportRow:
    """Root's row as real AWS writes it: ``not_supported`` for the password columns."""
    keys = [
        AccessKeyStatus(
            active=active,
            last_rotated=root.created,
            last_used_date=_NA,
            last_used_region=_NA,
            last_used_service=_NA,
        )
        for active in root.access_keys
    ]
    while len(keys) < 2:
        keys.append(AccessKeyStatus(False, _NA, _NA, _NA, _NA))
    return CredentialReportRow(
        user=ROOT_USER_NAME,
        arn=arn,
        user_creation_time=root.created,
        password_enabled=Unavailable.NOT_SUPPORTED,
        password_last_used=root.password_last_used or Unavailable.NO_INFORMATION,
        password_last_changed=Unavailable.NOT_SUPPORTED,
        password_next_rotation=Unavailable.NOT_SUPPORTED,
        mfa_active=root.mfa is not RootMfa.NONE,
        access_key_1=keys[0],
        access_key_2=keys[1],
        cert_1=CertificateStatus(active=False, last_rotated=_NA),
        cert_2=CertificateStatus(active=False, last_rotated=_NA),
    )


def _with_root_device(snapshot: Snapshot, data: DemoAccount) -> tuple[VirtualMfaDevice, ...]:
    """Root's virtual device, assigned to root (replacing an unassigned copy, if any)."""
    serial = data.root.mfa_serial
    if serial is None:
        return snapshot.virtual_mfa_devices
    others = tuple(d for d in snapshot.virtual_mfa_devices if d.serial_number != serial)
    device = VirtualMfaDevice(serial, user_arn=data.root_arn, enable_date=data.root.mfa_enabled)
    return (device, *others)


def _summary(snapshot: Snapshot, root: DemoRoot) -> dict[str, int] | None:
    """The two root figures of ``GetAccountSummary``, made consistent with root's row."""
    if snapshot.account_summary is None:
        return None
    return {
        **snapshot.account_summary,
        "AccountMFAEnabled": int(root.mfa is not RootMfa.NONE),
        "AccountAccessKeysPresent": int(any(root.access_keys)),
    }


def _note(data: DemoAccount, file_name: str, summary_adjusted: bool) -> str:
    root = data.root
    if root.mfa is RootMfa.VIRTUAL:
        mfa = f"virtual MFA device {root.mfa_serial}"
    else:
        mfa = "a hardware MFA device" if root.mfa is RootMfa.HARDWARE else "no MFA device"
    active = sum(root.access_keys)
    keys = f"{active} active access key{'s' if active != 1 else ''}" if active else "no access keys"
    summary = (
        "; the account summary's AccountMFAEnabled and AccountAccessKeysPresent were set to match"
        if summary_adjusted
        else ""
    )
    return (
        f"Demo: root's credential-report row ({mfa}, {keys}) was supplied by the demo data file "
        f"{file_name}, because moto does not emulate the root user{summary}. A real account's "
        "credential report always includes root's own row."
    )
