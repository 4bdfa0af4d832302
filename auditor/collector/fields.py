"""Typed, path-naming access to AWS response dicts and AWS CLI JSON exports.

boto3 responses are already shaped by botocore; exported files are whatever a person saved. Both
go through this reader so a wrong type or a missing key is an ``InputError`` naming the file and
the path (``export.json: UserDetailList[3].UserName: missing``), not a ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from auditor.errors import InputError
from auditor.timeutil import as_utc


class Fields:
    """One JSON object and where it came from."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise InputError(f"{where}: expected a JSON object, got {type(data).__name__}")
        self.data: Mapping[str, Any] = data
        self.where = where

    def _error(self, key: str, problem: str) -> InputError:
        return InputError(f"{self.where}.{key}: {problem}")

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            raise self._error(key, "missing")
        if not isinstance(value, str) or not value:
            raise self._error(key, f"expected a non-empty string, got {value!r}")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if self.data.get(key) is not None else None

    def optional_path(self, key: str = "Path") -> str | None:
        """An IAM path; a blank one (``"Path": ""``, seen in public AWS CLI export samples) is
        read as absent, so the caller's default (``/``, the path IAM gives when none is set;
        IAM User Guide, "IAM identifiers", Friendly names and paths) applies."""
        value = self.data.get(key)
        if value == "":
            return None
        return self.optional_text(key)

    def optional_int(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._error(key, f"expected an integer, got {value!r}")
        return value

    def optional_bool(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self._error(key, f"expected true or false, got {value!r}")
        return value

    def optional_datetime(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                raise self._error(key, f"{value!r} is not an ISO 8601 timestamp") from None
        if not isinstance(value, datetime):
            raise self._error(key, f"expected a timestamp, got {value!r}")
        return as_utc(value)

    def array(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._error(key, f"expected a list, got {type(value).__name__}")
        return value

    def records(self, key: str) -> Iterator[Fields]:
        for index, item in enumerate(self.array(key)):
            yield Fields(item, f"{self.where}.{key}[{index}]")

    def text_list(self, key: str) -> list[str]:
        values = self.array(key)
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise self._error(f"{key}[{index}]", f"expected a string, got {value!r}")
        return values

    def boundary_arn(self) -> str | None:
        boundary = self.data.get("PermissionsBoundary")
        if boundary is None:
            return None
        return Fields(boundary, f"{self.where}.PermissionsBoundary").text("PermissionsBoundaryArn")

    def tags(self) -> dict[str, str]:
        tags = {}
        for tag in self.records("Tags"):
            value = tag.raw("Value")
            if not isinstance(value, str):
                raise InputError(f"{tag.where}.Value: expected a string, got {value!r}")
            tags[tag.text("Key")] = value
        return tags
