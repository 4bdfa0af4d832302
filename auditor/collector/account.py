"""The account-level reads: who we are, aliases, virtual MFA devices, summary, password policy.

Only the caller identity is required (it gives the account id). The others are optional: a
refusal or persistent throttling becomes a ``CollectionGap`` naming the permission, and the
collection goes on, because a partial audit that says what it lacks beats no audit. A missing
password policy (``NoSuchEntity``) is a fact about the account, not a gap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import error_code, fatal_error, gap_reason, required_call_error
from auditor.collector.devices import read_virtual_mfa_devices
from auditor.collector.fields import Fields
from auditor.collector.paging import iam_pages
from auditor.collector.transport import EndpointError
from auditor.errors import CollectionError, InputError
from auditor.models import CollectionGap, CollectionSource, VirtualMfaDevice

T = TypeVar("T")


class AccountReader:
    """Wraps the IAM and STS clients; counts nothing, decides required vs optional."""

    def __init__(self, iam: Any, sts: Any, profile: str | None) -> None:
        self._iam = iam
        self._sts = sts
        self._profile = profile
        self.gaps: list[CollectionGap] = []

    def caller_identity(self) -> tuple[str, str]:
        """(account id, caller ARN). Also the first call, so bad credentials fail here."""
        operation = "sts:GetCallerIdentity"
        try:
            response = self._sts.get_caller_identity()
        except (ClientError, BotoCoreError) as error:
            raise required_call_error(error, operation, self._profile) from None
        fields = Fields(response, "GetCallerIdentity response")
        try:
            return fields.text("Account"), fields.text("Arn")
        except InputError as error:
            raise CollectionError(f"unexpected answer from {operation}: {error}") from None

    def optional(self, source: CollectionSource, operation: str, read: Callable[[], T]) -> T | None:
        """``read()``, or ``None`` with a gap recorded when AWS refuses or fails."""
        try:
            return read()
        except (ClientError, BotoCoreError) as error:
            fatal = fatal_error(error, self._profile)
            if fatal is not None:
                raise fatal from None
            reason = gap_reason(error, operation)
        except EndpointError:
            raise  # the endpoint is unreachable or not AWS: no later call would fare better
        except (CollectionError, InputError) as error:
            reason = f"{operation}: {error}"
        self.gaps.append(CollectionGap(source.value, reason))
        return None

    def _pages(self, method: str, operation: str, **params: Any) -> Iterator[Mapping[str, Any]]:
        return iam_pages(getattr(self._iam, method), operation, **params)

    def account_alias(self) -> str | None:
        def read() -> list[str]:
            aliases: list[str] = []
            for index, page in enumerate(
                self._pages("list_account_aliases", "iam:ListAccountAliases")
            ):
                aliases += Fields(page, f"ListAccountAliases page {index + 1}").text_list(
                    "AccountAliases"
                )
            return aliases

        aliases = self.optional(CollectionSource.ACCOUNT_ALIASES, "iam:ListAccountAliases", read)
        return aliases[0] if aliases else None

    def virtual_mfa_devices(self) -> tuple[VirtualMfaDevice, ...] | None:
        """Assigned and unassigned: tells virtual devices from hardware/FIDO ones, root's too."""

        def read() -> tuple[VirtualMfaDevice, ...]:
            devices: list[VirtualMfaDevice] = []
            pages = self._pages(
                "list_virtual_mfa_devices", "iam:ListVirtualMFADevices", AssignmentStatus="Any"
            )
            for index, page in enumerate(pages):
                where = f"ListVirtualMFADevices page {index + 1}"
                devices += read_virtual_mfa_devices(Fields(page, where))
            return tuple(devices)

        return self.optional(
            CollectionSource.VIRTUAL_MFA_DEVICES, "iam:ListVirtualMFADevices", read
        )

    def account_summary(self) -> dict[str, int] | None:
        def read() -> dict[str, int]:
            response = self._iam.get_account_summary()
            summary = Fields(response, "GetAccountSummary response").raw("SummaryMap")
            if not isinstance(summary, Mapping) or not all(
                isinstance(v, int) for v in summary.values()
            ):
                raise InputError("SummaryMap is not a map of integers")
            return {str(key): int(value) for key, value in summary.items()}

        return self.optional(CollectionSource.ACCOUNT_SUMMARY, "iam:GetAccountSummary", read)

    def password_policy(self) -> dict[str, Any] | None:
        """The policy, or ``None``: absent (a fact) or unreadable (then a gap is recorded)."""

        def read() -> dict[str, Any] | None:
            try:
                response = self._iam.get_account_password_policy()
            except ClientError as error:
                if error_code(error) == "NoSuchEntity":
                    return None
                raise
            policy = Fields(response, "GetAccountPasswordPolicy response").raw("PasswordPolicy")
            if not isinstance(policy, Mapping):
                raise InputError("PasswordPolicy is missing")
            return dict(policy)

        return self.optional(CollectionSource.PASSWORD_POLICY, "iam:GetAccountPasswordPolicy", read)
