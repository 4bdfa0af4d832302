"""Atomic file writes: a killed run never leaves a half-written report or snapshot."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from auditor.errors import ReportError


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
