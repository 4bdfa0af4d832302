"""The one place where failures become words on stderr and an exit code.

Library errors (``AuditorError``) become ``Error: …`` plus a hint and their exit code; an
interrupt becomes 130; anything unexpected becomes a one-line internal error with exit code 1
(the traceback only with ``MFA_AUDITOR_DEBUG=1``), so a cron mailbox never fills with a stack
trace that might carry account data. Every command runs inside ``translated_errors()``.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Iterator
from typing import NoReturn

import click
import typer

from auditor.errors import AuditorError, UsageError
from auditor.exit_codes import ExitCode


def error_line(error: AuditorError) -> str:
    """``Error: <message>. Hint: <what to do>`` on one line (a grep or a cron mail keeps both)."""
    message = " ".join(error.message.split())
    if not error.hint:
        return f"Error: {message}"
    return f"Error: {message.rstrip('.')}. Hint: {error.hint}"


def fail(error: AuditorError) -> NoReturn:
    """Print ``error`` as one line with its hint and exit with its code.

    A usage error without a hint of its own points at the command's help.
    """
    if error.hint is None and isinstance(error, UsageError):
        context = click.get_current_context(silent=True)
        command = context.command_path if context is not None else "mfa-auditor"
        error = UsageError(error.message, hint=f"see `{command} --help`")
    typer.echo(error_line(error), err=True)
    raise typer.Exit(code=error.exit_code)


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Turn library failures into one line and an exit code; let typer's own exits through."""
    try:
        yield
    except AuditorError as error:
        fail(error)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        raise typer.Exit(code=ExitCode.INTERRUPTED) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as error:  # the last line of defence against tracebacks
        if os.environ.get("MFA_AUDITOR_DEBUG"):
            traceback.print_exc()
        first_line = (str(error).strip().splitlines() or [""])[0][:200]
        typer.echo(
            f"Error: internal error ({type(error).__name__}: {first_line}). This is a bug in "
            "mfa-auditor; rerun with MFA_AUDITOR_DEBUG=1 for the traceback and report it.",
            err=True,
        )
        raise typer.Exit(code=ExitCode.TOOL_ERROR) from None
