"""JSON (de)serialisation of the frozen records, with validation on the way in.

One generic converter driven by the dataclasses' type hints, so a field added to a record is
saved and loaded without touching this module. Loading checks every value against its declared
type and names the path of the first bad one, because a hand-edited or truncated snapshot must
give a one-line error, not a ``KeyError`` three stages later.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from auditor.errors import InputError
from auditor.models import SNAPSHOT_SCHEMA_VERSION, SUPPORTED_SNAPSHOT_VERSIONS, Snapshot
from auditor.timeutil import as_utc

T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    """Turn a record (or anything inside one) into plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def _iso(moment: datetime) -> str:
    return as_utc(moment).isoformat().replace("+00:00", "Z")


class SchemaMismatch(Exception):
    """A JSON value does not fit the record's declared type; ``path`` says where."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


def from_jsonable(cls: type[T], data: Any, path: str = "$") -> T:
    """Build ``cls`` from JSON values, raising ``SchemaMismatch`` naming the bad path."""
    return typing.cast(T, _convert(cls, data, path))


def _convert(hint: Any, data: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    if hint is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        return _convert_union(typing.get_args(hint), data, path)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _convert_dataclass(hint, data, path)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(data)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in hint)
            raise SchemaMismatch(path, f"{data!r} is not one of {allowed}") from None
    if hint is datetime:
        return _convert_datetime(data, path)
    if origin is tuple:
        if not isinstance(data, list):
            raise SchemaMismatch(path, f"expected a list, got {type(data).__name__}")
        item_hint = typing.get_args(hint)[0]
        return tuple(_convert(item_hint, item, f"{path}[{i}]") for i, item in enumerate(data))
    if origin in (Mapping, dict, typing.Mapping) or hint is dict:
        if not isinstance(data, dict):
            raise SchemaMismatch(path, f"expected an object, got {type(data).__name__}")
        args = typing.get_args(hint)
        value_hint = args[1] if args else Any
        return {str(k): _convert(value_hint, v, f"{path}.{k}") for k, v in data.items()}
    if hint in (str, int, bool, float):
        if hint is float and isinstance(data, int) and not isinstance(data, bool):
            return float(data)
        if type(data) is not hint:
            raise SchemaMismatch(path, f"expected {hint.__name__}, got {type(data).__name__}")
        return data
    if hint is type(None):
        if data is not None:
            raise SchemaMismatch(path, "expected null")
        return None
    raise SchemaMismatch(path, f"unsupported type {hint!r}")  # pragma: no cover - programming error


def _convert_union(options: tuple[Any, ...], data: Any, path: str) -> Any:
    if data is None and type(None) in options:
        return None
    problems: list[SchemaMismatch] = []
    for option in options:
        if option is type(None):
            continue
        try:
            return _convert(option, data, path)
        except SchemaMismatch as invalid:
            problems.append(invalid)
    deepest = max(problems, key=lambda invalid: len(invalid.path))
    if deepest.path != path:
        raise deepest  # the value had the right shape; the problem is inside it
    shown = repr(data) if len(repr(data)) <= 60 else repr(data)[:57] + "..."
    raise SchemaMismatch(path, f"{shown} matches none of the allowed types")


def _convert_datetime(data: Any, path: str) -> datetime:
    if not isinstance(data, str):
        raise SchemaMismatch(path, f"expected an ISO-8601 timestamp, got {type(data).__name__}")
    try:
        moment = datetime.fromisoformat(data.replace("Z", "+00:00"))
    except ValueError:
        raise SchemaMismatch(path, f"{data!r} is not an ISO-8601 timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _convert_dataclass(cls: type[Any], data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise SchemaMismatch(path, f"expected an object, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            has_default = (
                f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
            )
            if has_default:
                continue
            raise SchemaMismatch(path, f"missing field {f.name!r}")
        kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{path}.{f.name}")
    return cls(**kwargs)


def dumps_snapshot(snapshot: Snapshot) -> str:
    return json.dumps(to_jsonable(snapshot), indent=1, sort_keys=False, ensure_ascii=False)


def save_snapshot(snapshot: Snapshot, path: Path) -> None:
    from auditor.fileio import write_text_atomic

    write_text_atomic(path, dumps_snapshot(snapshot) + "\n")


def parse_snapshot(data: Any, origin: str) -> Snapshot:
    """Validate decoded JSON as a snapshot; ``origin`` names the file in errors."""
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError(f"{origin}: not an mfa-auditor snapshot (no schema_version)")
    version = data["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError(f"{origin}: schema_version must be a whole number, got {version!r}")
    if version not in SUPPORTED_SNAPSHOT_VERSIONS:
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_SNAPSHOT_VERSIONS))
        raise InputError(
            f"{origin}: snapshot schema version {version!r} is not supported "
            f"(this version reads {supported}; it writes {SNAPSHOT_SCHEMA_VERSION})",
            hint="collect a new snapshot with this version of mfa-auditor",
        )
    try:
        return from_jsonable(Snapshot, data)
    except SchemaMismatch as invalid:
        raise InputError(f"{origin}: invalid snapshot at {invalid}") from None


def load_snapshot(path: Path) -> Snapshot:
    from auditor.fileio import read_json

    return parse_snapshot(read_json(path, "snapshot"), str(path))
