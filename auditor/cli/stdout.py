"""Keep the exit code when a reader closes our standard output early.

``mfa-auditor scan | head -1`` or ``… | true`` closes the pipe while the tool still prints report
paths. Python would raise ``BrokenPipeError`` mid-command, and the scheduler would see an internal
error instead of "findings" (3) or "incomplete" (4), although every report was written. Output to
a closed pipe is simply dropped instead.
"""

from __future__ import annotations

import io
import os
import sys
from typing import TextIO


class PipeSafeStdout(io.TextIOBase):
    """A stand-in for ``sys.stdout`` that drops output once the reader has gone away."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self._inner.write(text)
            except BrokenPipeError:
                self._reader_gone()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._inner.flush()
            except BrokenPipeError:
                self._reader_gone()

    def _reader_gone(self) -> None:
        """Point the descriptor at /dev/null so the interpreter's final flush cannot fail."""
        self.broken = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._inner.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._inner.encoding


def install() -> None:
    """Wrap the real standard output (only for the console script, not under test runners)."""
    if not isinstance(sys.stdout, PipeSafeStdout):
        sys.stdout = PipeSafeStdout(sys.stdout)
