"""Virtual MFA devices, from a ``ListVirtualMFADevices`` page or the AWS CLI's merged output.

Both have the API's shape (``VirtualMFADevices``: ``SerialNumber``, optional ``User`` with its
``Arn``, optional ``EnableDate``), so one reader serves the live collector and the export, and a
malformed entry is an ``InputError`` naming the file or page and the path.
"""

from __future__ import annotations

from auditor.collector.fields import Fields
from auditor.models import VirtualMfaDevice

DEVICES_KEY = "VirtualMFADevices"


def read_virtual_mfa_devices(page: Fields) -> list[VirtualMfaDevice]:
    """Every device of ``page``, assigned (root's too) or not."""
    devices = []
    for device in page.records(DEVICES_KEY):
        user = device.raw("User")
        devices.append(
            VirtualMfaDevice(
                serial_number=device.text("SerialNumber"),
                user_arn=Fields(user, f"{device.where}.User").text("Arn")
                if user is not None
                else None,
                enable_date=device.optional_datetime("EnableDate"),
            )
        )
    return devices
