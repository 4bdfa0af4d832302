"""Identity Center from AWS CLI outputs saved in one folder: the same reads, no credentials.

Each file is one command's JSON output (the CLI follows every page), named after the command
plus the identifiers it was called with, so the folder maps one-to-one onto the live reads:

    list-instances.json                      list-permission-sets.json
    list-users.json                          describe-permission-set.<ps-id>.json
    list-groups.json                         list-managed-policies-in-permission-set.<ps-id>.json
    list-group-memberships.<group-id>.json   get-inline-policy-for-permission-set.<ps-id>.json
    list-customer-managed-policy-references-in-permission-set.<ps-id>.json
    get-permissions-boundary-for-permission-set.<ps-id>.json   (empty: the set has none)
    list-accounts-for-provisioned-permission-set.<ps-id>.json
    list-account-assignments.<ps-id>.<account-id>.json

``<ps-id>`` is the last part of the permission set ARN (``ps-…``). A missing, truncated or
unreadable file is an ``identity_center`` gap naming it, never an empty answer. The README shows
the shell loop that writes the folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from auditor.collector.identity_center_read import read_identity_center
from auditor.collector.identity_center_source import (
    LIST_KEYS,
    NotFound,
    ReadFailed,
)
from auditor.errors import InputError
from auditor.identity_center_models import IdentityCenterData, IdentityCenterStatus
from auditor.models import CollectionGap

_NAME_PARTS = ("PermissionSetArn", "GroupId", "AccountId")
"""The parameters that name a file, in file-name order (the others are the same for all)."""


def command_name(operation: str) -> str:
    """``ListAccountAssignments`` → ``list-account-assignments`` (the AWS CLI's name)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", operation).lower()


def export_file_name(operation: str, **params: str) -> str:
    parts = [command_name(operation)]
    for key in _NAME_PARTS:
        if key in params:
            value = params[key]
            parts.append(value.rsplit("/", 1)[-1] if key == "PermissionSetArn" else value)
    return ".".join(parts) + ".json"


class FolderSource:
    """Answers ``fetch`` from the files of one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fetch(self, operation: str, **params: str) -> Mapping[str, Any]:
        path = self.folder / export_file_name(operation, **params)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ReadFailed(f"{path.name} is not in the export folder {self.folder}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ReadFailed(f"{path}: cannot read: {error}") from None
        if not text.strip():
            if operation == "GetPermissionsBoundaryForPermissionSet":
                raise NotFound(f"{path.name} is empty: the set has no permissions boundary")
            raise ReadFailed(f"{path.name} is empty (did the command fail?)")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ReadFailed(f"{path.name}: not valid JSON (line {error.lineno})") from None
        if not isinstance(data, dict):
            raise ReadFailed(f"{path.name}: expected a JSON object")
        key = LIST_KEYS[operation]
        if data.get("NextToken"):
            raise ReadFailed(
                f"{path.name} is truncated (NextToken present): export without paging limits"
            )
        if key is not None and key not in data:
            raise ReadFailed(
                f"{path.name}: not the output of aws {command_name(operation)} (no {key})"
            )
        return data


def load_identity_center_export(
    folder: Path, *, region: str = ""
) -> tuple[IdentityCenterData, tuple[CollectionGap, ...]]:
    """Read ``folder`` as the live collector would read the API; raises ``InputError`` only
    when ``folder`` is not a folder at all."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of Identity Center CLI outputs")
    data, gaps = read_identity_center(
        FolderSource(folder), region=region or "(export)", workers=1, say=lambda _line: None
    )
    if data.status is IdentityCenterStatus.NO_INSTANCE:
        data = IdentityCenterData(
            IdentityCenterStatus.NO_INSTANCE,
            data.region,
            reason=f"list-instances.json in {folder.name} lists no Identity Center instance",
        )
    return data, gaps
