"""``--security-hub``: import the ASFF findings into the audited account's Security Hub.

The one write besides ``GenerateCredentialReport``, and opt-in: its client carries the read-only
guard with an allow-list of exactly ``securityhub:BatchImportFindings`` (``SECURITY_HUB_ALLOWED``),
and no other client of the tool may send it. ``BatchImportFindings`` takes at most 100 findings
per call and reports per-finding failures in ``FailedFindings`` without raising (Security Hub
API Reference, "BatchImportFindings"); both a refused call and failed findings are collected
into one ``ImportResult`` so the CLI can name them and exit 1, while the other batches are
still sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import boto3
from botocore import exceptions as bex

from auditor.collector.aws_errors import error_code, error_message, fatal_error, is_access_denied
from auditor.collector.session import make_client
from auditor.config import CollectorSettings

SECURITY_HUB_ALLOWED: frozenset[str] = frozenset({"securityhub:BatchImportFindings"})
"""The Security Hub client's whole allow-list (a separate list: the collector's has no write)."""
BATCH_LIMIT = 100
"""BatchImportFindings accepts up to 100 findings per request."""


@dataclass(frozen=True)
class FailedImport:
    """One finding Security Hub refused, or a whole batch (``finding_id`` empty)."""

    finding_id: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    batches: int
    imported: int
    failures: tuple[FailedImport, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        failed = len(self.failures)
        text = f"Security Hub: {self.imported} finding(s) imported in {self.batches} batch(es)"
        return text if not failed else f"{text}, {failed} failure(s)"


def security_hub_client(
    session: boto3.Session,
    settings: CollectorSettings,
    endpoint_url: str | None,
    *,
    region: str | None = None,
) -> Any:
    """A client that can send ``BatchImportFindings`` and nothing else."""
    return make_client(
        session, "securityhub", settings, endpoint_url, allowed=SECURITY_HUB_ALLOWED, region=region
    )


def import_findings(client: Any, findings: Sequence[Mapping[str, Any]]) -> ImportResult:
    """Send ``findings`` (ASFF) in batches of ``BATCH_LIMIT``; never stops at a failed batch.

    Raises only what makes every call pointless (no credentials, expired session): the
    ``CollectionError`` from ``fatal_error``.
    """
    imported = 0
    failures: list[FailedImport] = []
    batches = [findings[i : i + BATCH_LIMIT] for i in range(0, len(findings), BATCH_LIMIT)]
    for number, batch in enumerate(batches, start=1):
        try:
            answer = client.batch_import_findings(Findings=list(batch))
        except bex.ClientError as error:
            fatal = fatal_error(error, None)
            if fatal is not None:
                raise fatal from None
            failures.append(FailedImport("", _batch_reason(number, len(batch), error)))
            continue
        imported += int(answer.get("SuccessCount", 0))
        failures.extend(
            FailedImport(
                str(item.get("Id", "")),
                f"{item.get('ErrorCode', 'Error')}: {item.get('ErrorMessage', '')}".strip(),
            )
            for item in answer.get("FailedFindings", ())
        )
    return ImportResult(len(batches), imported, tuple(failures))


def _batch_reason(number: int, size: int, error: bex.ClientError) -> str:
    what = f"batch {number} ({size} findings) refused"
    if is_access_denied(error):
        return f"{what}: access denied to securityhub:BatchImportFindings (grant it)"
    code = error_code(error)
    if code == "InvalidAccessException":
        return f"{what}: Security Hub is not enabled in this account and region ({code})"
    return f"{what}: {code}: {error_message(error)}"
