"""The one typer application every command module registers itself on.

Kept apart from the commands so that each command group (``audit``, ``org``, ``policy``,
``rules``) imports the app without importing the others, and ``auditor.cli`` only assembles.
"""

from __future__ import annotations

from typing import Annotated

import typer

from auditor import __version__

app = typer.Typer(
    name="mfa-auditor",
    help="Audit AWS accounts for MFA gaps: who can do privileged things without MFA?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Audit AWS accounts for MFA gaps: who can do privileged things without MFA?"""
