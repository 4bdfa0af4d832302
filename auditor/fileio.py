"""Atomic file writes: a killed run never leaves a half-written report or snapshot."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from auditor.errors import InputError, ReportError


def write_bytes_atomic(path: Path, payload: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            # mkstemp creates 0600; reports are read by reviewers from a share, so honour umask.
            os.chmod(temporary, 0o666 & ~_UMASK)
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ReportError(f"cannot write {path}: {error.strerror or error}") from None


def _read_umask() -> int:
    """Read once, at import: ``os.umask`` can only be read by setting it, and setting it while
    another thread creates a folder (organization runs write reports concurrently) would make
    that folder world-writable."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(path, text.encode(encoding))


def read_json(path: Path, what: str) -> Any:
    """Decode a JSON input file, or raise ``InputError`` naming the file and what is wrong.

    ``what`` says what the file should be ("snapshot", "policy"). Every way a user-supplied file
    can be bad (missing, a folder, not UTF-8, not JSON, nested past Python's recursion limit)
    becomes one line, never a traceback.
    """
    return read_json_text(path, what)[1]


def read_json_text(path: Path, what: str) -> tuple[str, Any]:
    """``read_json`` that also returns the text, for callers that point at lines (SARIF)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not a UTF-8 text {what} (byte {error.start})") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read {what}: {error.strerror or error}") from None
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to be a {what}") from None
