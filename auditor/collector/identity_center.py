"""Read IAM Identity Center through guarded ``sso-admin`` and ``identitystore`` clients.

Identity Center lives in one region (``collector.identity_center_region``, default the
session's) and in one account: the organization's management account or its delegated
administrator (or a standalone account's own instance). Elsewhere ``ListInstances`` answers with
no instance, which is recorded as that fact, not as a gap. Refusals and persistent throttling
become ``identity_center`` gaps, so the Identity Center rule reports ``unknown`` (exit 4) rather
than "no Identity Center users". What is read, and the call count, is in ``identity_center_read``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import boto3
from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import error_code, error_message, fatal_error, gap_reason
from auditor.collector.identity_center_read import read_identity_center
from auditor.collector.identity_center_source import (
    IDENTITY_STORE_OPERATIONS,
    LIST_KEYS,
    NotFound,
    ReadFailed,
)
from auditor.collector.session import DEFAULT_REGION, make_client
from auditor.config import CollectorSettings
from auditor.identity_center_models import IdentityCenterData, IdentityCenterStatus
from auditor.models import CollectionGap

PAGE_SIZE = 100
"""The largest ``MaxResults`` every one of these list operations accepts."""
SKIPPED_REASON = (
    "IAM Identity Center was skipped on purpose (--no-identity-center / "
    "collector.identity_center: false): who holds permission sets was not checked"
)


def _short(reason: str, limit: int = 200) -> str:
    """A gap reason on one short line: an HTML error page (a proxy's, moto's 500) is no reason."""
    reason = " ".join(reason.split())
    return reason if len(reason) <= limit else reason[: limit - 3] + "..."


def qualified(operation: str) -> str:
    """``sso:ListInstances`` / ``identitystore:ListUsers``: the guard's and IAM's name."""
    prefix = "identitystore" if operation in IDENTITY_STORE_OPERATIONS else "sso"
    return f"{prefix}:{operation}"


IDENTITY_CENTER_OPERATIONS = frozenset(qualified(operation) for operation in LIST_KEYS)


class ApiSource:
    """Answers ``fetch`` from the API, following ``NextToken`` to the last page."""

    def __init__(self, sso: Any, store: Any, profile: str | None) -> None:
        self._sso = sso
        self._store = store
        self._profile = profile

    def fetch(self, operation: str, **params: str) -> Mapping[str, Any]:
        client = self._store if operation in IDENTITY_STORE_OPERATIONS else self._sso
        call = getattr(client, xform_name(operation))
        try:
            key = LIST_KEYS[operation]
            if key is None:
                answer: Mapping[str, Any] = call(**params)
                return answer
            return {key: self._all_pages(call, operation, key, params)}
        except ClientError as error:
            fatal = fatal_error(error, self._profile)
            if fatal is not None:
                raise fatal from None
            if error_code(error) == "ResourceNotFoundException":
                raise NotFound(error_message(error)) from None
            raise ReadFailed(_short(gap_reason(error, qualified(operation)))) from None
        except BotoCoreError as error:
            raise ReadFailed(gap_reason(error, qualified(operation))) from None

    @staticmethod
    def _all_pages(
        call: Callable[..., Mapping[str, Any]], operation: str, key: str, params: dict[str, str]
    ) -> list[Any]:
        items: list[Any] = []
        token: str | None = None
        seen: set[str] = set()
        while True:
            arguments: dict[str, Any] = dict(params, MaxResults=PAGE_SIZE)
            if token is not None:
                arguments["NextToken"] = token
            page = call(**arguments)
            items.extend(page.get(key) or [])
            token = page.get("NextToken")
            if not token:
                return items
            if token in seen:
                raise ReadFailed(f"{qualified(operation)} repeated a NextToken; listing incomplete")
            seen.add(token)


def collect_identity_center(
    session: boto3.Session,
    settings: CollectorSettings,
    *,
    endpoint_url: str | None,
    say: Callable[[str], None],
) -> tuple[IdentityCenterData, tuple[CollectionGap, ...]]:
    """Identity Center as this session sees it, and the gaps of what could not be read."""
    if not settings.identity_center:
        return IdentityCenterData(IdentityCenterStatus.SKIPPED, reason=SKIPPED_REASON), ()
    region = settings.identity_center_region or session.region_name or DEFAULT_REGION
    sso = make_client(session, "sso-admin", settings, endpoint_url, region=region)
    store = make_client(session, "identitystore", settings, endpoint_url, region=region)
    say(f"Looking for an IAM Identity Center instance in {region} (sso:ListInstances)")
    source = ApiSource(sso, store, session.profile_name)
    return read_identity_center(
        source, region=region, workers=settings.identity_center_workers, say=say
    )
