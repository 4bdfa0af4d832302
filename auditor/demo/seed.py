"""Create the sample company in an emulated IAM with the ordinary IAM write calls.

This is the only code in the project that writes to IAM, so it refuses any client that is not
pointed at an emulator (a loopback endpoint, or moto's in-process mock). The client is separate
from the collector's: the collector's read-only guard must never need a write on its allow-list.

Root cannot be seeded: IAM has no API that creates or enables root's MFA device (``EnableMFADevice``
takes an IAM user's name), and moto has no root user. ``apply_demo_root`` supplies root from the
data file after collection, and says so in the snapshot's notes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import struct
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from auditor.demo.model import (
    AWS_MANAGED_POLICY_PREFIX,
    DemoAccount,
    DemoError,
    DemoRole,
    DemoUser,
)
from auditor.demo.server import LOOPBACK_HOSTS
from auditor.models import InlinePolicy


def seed_account(iam_client: Any, data: DemoAccount) -> None:
    """Create everything ``data`` declares; raises ``DemoError`` naming what could not be made."""
    _refuse_real_aws(iam_client)
    _Seeder(iam_client, data).run()


def _refuse_real_aws(iam_client: Any) -> None:
    endpoint = str(iam_client.meta.endpoint_url)
    if urlsplit(endpoint).hostname in LOOPBACK_HOSTS or _moto_mock_active():
        return
    raise DemoError(
        f"refusing to seed the demo account through {endpoint}: the demo only writes to an "
        "emulated IAM (a loopback moto server or moto's mock)",
        hint="use embedded_moto() and demo_session()",
    )


def _moto_mock_active() -> bool:
    try:
        from moto.core.models import botocore_stubber
    except ImportError:
        return False
    return bool(getattr(botocore_stubber, "enabled", False))


def totp_pair(base32_seed: str | bytes, now: float | None = None) -> tuple[str, str]:
    """Two consecutive RFC 6238 codes, as ``EnableMFADevice`` requires from a real device.

    moto accepts any six digits; computing real ones keeps the seeder honest for stricter
    emulators.
    """
    seed = base32_seed.decode() if isinstance(base32_seed, bytes) else base32_seed
    key = base64.b32decode(seed + "=" * (-len(seed) % 8))
    counter = int((time.time() if now is None else now) // 30)
    return _hotp(key, counter - 1), _hotp(key, counter)


def _hotp(key: bytes, counter: int) -> str:
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class _Seeder:
    def __init__(self, client: Any, data: DemoAccount) -> None:
        self.client = client
        self.data = data

    def run(self) -> None:
        data = self.data
        if data.alias:
            self.call("account alias", self.client.create_account_alias, AccountAlias=data.alias)
        if data.password_policy:
            self.call(
                "password policy",
                self.client.update_account_password_policy,
                **data.password_policy,
            )
        for policy in data.policies:
            created = self.call(
                f"policy {policy.name}",
                self.client.create_policy,
                PolicyName=policy.name,
                Path=policy.path,
                PolicyDocument=json.dumps(policy.document),
                Description=policy.description,
            )
            self.check_account(created["Policy"]["Arn"])
        for group in data.groups:
            created = self.call(
                f"group {group.name}",
                self.client.create_group,
                GroupName=group.name,
                Path=group.path,
            )
            self.check_account(created["Group"]["Arn"])
            self.attach_and_inline("group", group.name, group.attached, group.inline)
        for user in data.users:
            self.user(user)
        for role in data.roles:
            self.role(role)
        for device in data.unassigned_mfa_devices:
            self.call(
                f"MFA device {device}",
                self.client.create_virtual_mfa_device,
                VirtualMFADeviceName=device,
            )

    def user(self, user: DemoUser) -> None:
        subject = f"user {user.name}"
        created = self.call(
            subject,
            self.client.create_user,
            UserName=user.name,
            Path=user.path,
            Tags=_tags(user.tags),
        )
        self.check_account(created["User"]["Arn"])
        if user.console:
            # A random password nobody knows: the demo never signs in, and no secret is shipped.
            password = secrets.token_urlsafe(18) + "Aa1!"
            self.call(
                subject, self.client.create_login_profile, UserName=user.name, Password=password
            )
        for active in user.access_keys:
            key = self.call(subject, self.client.create_access_key, UserName=user.name)
            if not active:
                self.call(
                    subject,
                    self.client.update_access_key,
                    UserName=user.name,
                    AccessKeyId=key["AccessKey"]["AccessKeyId"],
                    Status="Inactive",
                )
        if user.virtual_mfa:
            device = self.call(
                subject, self.client.create_virtual_mfa_device, VirtualMFADeviceName=user.name
            )["VirtualMFADevice"]
            first, second = totp_pair(device["Base32StringSeed"])
            self.call(
                subject,
                self.client.enable_mfa_device,
                UserName=user.name,
                SerialNumber=device["SerialNumber"],
                AuthenticationCode1=first,
                AuthenticationCode2=second,
            )
        for kind in user.other_mfa:
            self.call(
                subject,
                self.client.enable_mfa_device,
                UserName=user.name,
                SerialNumber=user.device_serial(self.data.account_id, kind),
                AuthenticationCode1="123456",
                AuthenticationCode2="654321",
            )
        for group in user.groups:
            self.call(subject, self.client.add_user_to_group, GroupName=group, UserName=user.name)
        self.attach_and_inline("user", user.name, user.attached, user.inline)

    def role(self, role: DemoRole) -> None:
        created = self.call(
            f"role {role.name}",
            self.client.create_role,
            RoleName=role.name,
            Path=role.path,
            Description=role.description,
            AssumeRolePolicyDocument=json.dumps(role.trust),
            Tags=_tags(role.tags),
        )
        self.check_account(created["Role"]["Arn"])
        self.attach_and_inline("role", role.name, role.attached, role.inline)

    def attach_and_inline(
        self, kind: str, name: str, attached: tuple[str, ...], inline: tuple[InlinePolicy, ...]
    ) -> None:
        title = kind.capitalize()
        attach = getattr(self.client, f"attach_{kind}_policy")
        put = getattr(self.client, f"put_{kind}_policy")
        for reference in attached:
            arn = self.data.policy_arn(reference)
            self.call(f"{kind} {name} ({arn})", attach, **{f"{title}Name": name, "PolicyArn": arn})
        for policy in inline:
            self.call(
                f"{kind} {name} (inline {policy.name})",
                put,
                **{
                    f"{title}Name": name,
                    "PolicyName": policy.name,
                    "PolicyDocument": json.dumps(policy.document),
                },
            )

    def check_account(self, arn: str) -> None:
        account = arn.split(":")[4] if arn.count(":") >= 5 else ""
        if account != self.data.account_id:
            raise DemoError(
                f"{self.data.origin}: account.id is {self.data.account_id} but the emulator "
                f"created {arn} (account {account or 'unknown'})",
                hint="use moto's default account 123456789012 or set MOTO_ACCOUNT_ID to match",
            )

    def call(self, subject: str, operation: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return operation(**kwargs)
        except ClientError as error:
            details = error.response.get("Error", {})
            code = details.get("Code", "Unknown")
            hint = None
            if code == "NoSuchEntity" and AWS_MANAGED_POLICY_PREFIX in str(kwargs):
                hint = (
                    "moto loads AWS-managed policies only when MOTO_IAM_LOAD_MANAGED_POLICIES=true "
                    "is set before it starts (embedded_moto() does this)"
                )
            message = f"{code}: {details.get('Message', error)}"
        except BotoCoreError as error:
            message, hint = str(error), "is the emulator still running?"
        raise DemoError(f"seeding the demo account failed for {subject}: {message}", hint=hint)


def _tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]
