"""Command-line interface: options → one library call → messages and exit codes.

Only this package prints and exits. ``app`` is the one typer application; each command group
lives in its own module and registers itself on it (``audit``: scan, collect, report; ``org``:
the multi-account runs ``scan`` hands over to; ``policy``: explain, check-policy; ``rules``:
rules, permissions, version). ``errors`` is the one place that maps failures to exit codes.
"""

from __future__ import annotations

from auditor.cli import audit as _audit  # noqa: F401 - registers scan, collect, report
from auditor.cli import policy as _policy
from auditor.cli import rules as _rules
from auditor.cli.app import app

_policy.register(app)
_rules.register(app)

__all__ = ["app", "main"]


def main() -> None:
    """The console script: guard stdout against closed pipes, then run the app.

    click's own usage errors (unknown option, bad value) are printed as one line with a hint,
    like the library's, instead of click's three-line block; the exit code stays 2.
    """
    import gc
    import os
    import sys

    import click

    from auditor.cli import stdout
    from auditor.exit_codes import ExitCode

    stdout.install()
    if os.environ.get("NO_COLOR"):  # no-color.org: rich's help would still print bold
        app.rich_markup_mode = None
    try:
        code = app(standalone_mode=False)
    except click.UsageError as error:
        command = error.ctx.command_path if error.ctx is not None else "mfa-auditor"
        message = " ".join(error.format_message().split()).rstrip(".")
        click.echo(f"Error: {message}. Hint: see `{command} --help`", err=True)
        sys.exit(ExitCode.USAGE_ERROR)
    except click.Abort:
        click.echo("Interrupted.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except click.ClickException as error:
        click.echo(f"Error: {' '.join(error.format_message().split())}", err=True)
        sys.exit(error.exit_code)
    # The process ends here: spare the interpreter's final full collection over everything the
    # run built (about half a second after a 1,000-user scan); the OS frees it at once.
    gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)
