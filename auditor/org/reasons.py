"""The one-line reason an account failed or was skipped, as the organization summary shows it.

The reason lands in ``summary.html``, ``accounts.csv`` and the CLI's warnings, one row per
account, so it must stay one short line whatever raised it. An ``AuditorError`` is written for a
person (it names the call and the fix) and is kept whole up to ``REASON_LIMIT``. Any other
exception is a bug: its text can be a multi-line dump (a botocore response, a ``repr`` of a
large structure, a local path), so only its type and first line are shown.
"""

from __future__ import annotations

from auditor.errors import AuditorError

REASON_LIMIT = 300
"""Characters kept of a reason; an AuditorError's message and hint fit in far fewer."""


def one_line(text: str) -> str:
    """Every run of whitespace (newlines included) becomes one space."""
    return " ".join(text.split())


def clipped(text: str, limit: int = REASON_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with a trailing ``…`` when cut."""
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def failure_reason(error: BaseException) -> str:
    """The reason recorded for an account whose audit raised ``error``."""
    if isinstance(error, AuditorError):
        return clipped(str(error))
    prefix = f"internal error ({type(error).__name__}"
    lines = [line for line in str(error).splitlines() if line.strip()]
    if not lines:
        return clipped(f"{prefix})")
    room = max(REASON_LIMIT - len(prefix) - 3, 1)  # ": " before the text, ")" after it
    return f"{prefix}: {clipped(lines[0], room)})"
