"""Exceptions, one family per layer.

Library code raises these; only the CLI turns them into a one-line message and an exit code, so
the library stays usable without typer and a traceback never reaches a cron mailbox.
"""

from __future__ import annotations

import unicodedata

_LINE_BREAKING = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Control, format, surrogate and line/paragraph separator characters (``str.splitlines`` breaks
on several of them; a terminal obeys the rest)."""


def escape_controls(text: str) -> str:
    """``text`` with each control-like character written as its escape (``\\n``, ``\\x1b``).

    Error messages quote keys and values from the user's files, and a message is one line (the
    CLI prints it as one, a log or cron mail is read by line). Escaping, unlike folding the
    character into a space, still names the key exactly as the file spells it.
    """
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in _LINE_BREAKING
        else ch
        for ch in text
    )


class AuditorError(Exception):
    """Base class: a message a person can act on, plus an optional hint saying what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class UsageError(AuditorError):
    """The caller asked for something impossible (bad option combination, missing file)."""

    exit_code = 2


class ConfigError(UsageError):
    """The config file is unreadable or invalid; the message names the file and the key."""


class CollectionError(AuditorError):
    """AWS could not be read at all (no credentials, expired token, endpoint unreachable)."""


class AccessDeniedError(CollectionError):
    """A required read call was refused; the message names the missing IAM permission."""


class ReadOnlyViolation(CollectionError):
    """The read-only guard refused an AWS operation that is not on the allow-list."""


class InputError(UsageError):
    """An input file (snapshot, AWS CLI export, credential report CSV, policy) is malformed."""


class PolicyError(InputError):
    """An IAM policy document cannot be parsed; the message names the policy."""


class ReportError(AuditorError):
    """A report could not be written (folder not writable, disk full)."""
