"""What a command prints besides errors, by ``-v`` / ``-q``: one object every command shares.

``-q`` is for cron: nothing on success (a mailed cron job stays silent); errors (printed by
``auditor.cli.errors``) and warnings that data could not be read (exit 4) still print, so a lost
permission still mails someone; the exit code says the rest. ``-v`` adds UTC timestamps to the
progress lines, so a slow call shows in a log. The default prints progress only when stderr is a
terminal, and always prints the report paths (stdout) and the summary (stderr).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import typer

from auditor.pipeline import Progress
from auditor.timeutil import utc_now


@dataclass(frozen=True)
class Output:
    verbose: bool | None
    """``True`` for -v, ``False`` for -q, ``None`` by default."""

    @property
    def quiet(self) -> bool:
        return self.verbose is False

    @property
    def progress(self) -> Progress | None:
        if self.verbose is False or (self.verbose is None and not sys.stderr.isatty()):
            return None
        if self.verbose:
            return lambda line: typer.echo(
                f"{utc_now().strftime('%Y-%m-%dT%H:%M:%SZ')} … {line}", err=True
            )
        return lambda line: typer.echo(f"… {line}", err=True)

    def result(self, line: str) -> None:
        """A line of the command's result on stdout (a report path); silent with -q."""
        if not self.quiet:
            typer.echo(line)

    def note(self, line: str) -> None:
        """A summary line on stderr; silent with -q (the exit code speaks)."""
        if not self.quiet:
            typer.echo(line, err=True)

    def warn(self, line: str) -> None:
        """A warning that the audit is incomplete: printed even with -q (cron should mail it)."""
        typer.echo(line, err=True)
