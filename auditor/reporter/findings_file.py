"""``findings.json``: the machine-readable run, and the baseline a later run compares against.

The document is versioned (``FINDINGS_JSON_SCHEMA_VERSION``) because scheduled jobs keep old
runs around for months: a reader meeting a newer version must refuse it by name rather than
misread it. Loading validates every finding and names the first bad path, so a hand-edited or
truncated baseline gives one line, never a ``KeyError`` later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.fileio import read_json
from auditor.models import Finding
from auditor.reporter.paths import FINDINGS_JSON_NAME
from auditor.snapshot_io import SchemaMismatch, from_jsonable, layout_json
from auditor.timeutil import as_utc

FINDINGS_JSON_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class FindingsFile:
    """A previous run as read back from its ``findings.json``."""

    path: Path
    schema_version: int
    account_id: str
    account_alias: str | None
    collected_at: datetime | None
    generated_at: datetime | None
    tool_version: str
    findings: tuple[Finding, ...]


def load_findings_json(path: Path) -> FindingsFile:
    """Read a run's ``findings.json``, given the file or the run folder holding it.

    Raises ``InputError`` naming the file and the problem.
    """
    file = path / FINDINGS_JSON_NAME if path.is_dir() else path
    try:
        data = read_json(file, "baseline")
    except InputError as error:
        raise InputError(
            error.message, hint="pass a previous run's findings.json or its folder"
        ) from None
    return parse_findings_document(data, file)


def parse_findings_document(data: Any, file: Path) -> FindingsFile:
    if not isinstance(data, dict) or "schema_version" not in data or "findings" not in data:
        raise InputError(f"{file}: not an mfa-auditor findings.json (no schema_version/findings)")
    version = data["schema_version"]
    if type(version) is not int or not 1 <= version <= FINDINGS_JSON_SCHEMA_VERSION:
        raise InputError(
            f"{file}: findings.json schema version {version!r} is not supported "
            f"(this version reads 1 to {FINDINGS_JSON_SCHEMA_VERSION})",
            hint="compare against a run made by the same or an older mfa-auditor",
        )
    run = data.get("run")
    if not isinstance(run, dict):
        raise InputError(f"{file}: $.run: expected an object")
    account_id = run.get("account_id")
    if not isinstance(account_id, str) or not account_id:
        raise InputError(f"{file}: $.run.account_id: expected a non-empty string")
    raw_findings = data["findings"]
    if not isinstance(raw_findings, list):
        raise InputError(f"{file}: $.findings: expected a list")
    try:
        findings = tuple(
            from_jsonable(Finding, item, f"$.findings[{index}]")
            for index, item in enumerate(raw_findings)
        )
    except SchemaMismatch as invalid:
        raise InputError(f"{file}: invalid findings.json at {invalid}") from None
    return FindingsFile(
        path=file,
        schema_version=version,
        account_id=account_id,
        account_alias=_optional_str(run, "account_alias", file),
        collected_at=_optional_time(run, "collected_at", file),
        generated_at=_optional_time(run, "generated_at", file),
        tool_version=_optional_str(run, "tool_version", file) or "",
        findings=findings,
    )


def _optional_str(run: Mapping[str, Any], key: str, file: Path) -> str | None:
    value = run.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{file}: $.run.{key}: expected a string or null")
    return value


def _optional_time(run: Mapping[str, Any], key: str, file: Path) -> datetime | None:
    value = _optional_str(run, key, file)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{file}: $.run.{key}: {value!r} is not an ISO-8601 timestamp") from None
    return as_utc(moment)


def dumps_document(document: Mapping[str, Any]) -> str:
    """Stable, readable, diff-friendly text (keys in build order, non-ASCII kept as is): one
    finding, rule outcome or principal per line (``snapshot_io.layout_json``, which uses the C
    JSON encoder; ``indent=`` would run the pure-Python one, seconds at 10,000 users)."""
    return layout_json(dict(document)) + "\n"
