"""The one typer application every command module registers itself on.

Kept apart from the commands so that each command group (``audit``, ``org``, ``policy``,
``rules``) imports the app without importing the others, and ``auditor.cli`` only assembles.
The global options follow the AWS CLI's and Prowler's habits: ``-V/--version``, ``--log-level``
(Python logging of the tool and botocore, on stderr), and shell completion
(``--install-completion``). Colour comes only from rich's help, which is plain when stdout is
not a terminal or ``NO_COLOR`` is set.
"""

from __future__ import annotations

import enum
import logging
from typing import Annotated

import typer

from auditor import __version__

app = typer.Typer(
    name="mfa-auditor",
    help="Audit AWS accounts for MFA gaps: who can do privileged things without MFA?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)


class LogLevel(str, enum.Enum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


def configure_logging(level: LogLevel) -> None:
    """Log records of the tool and its AWS libraries at ``level`` and above, to stderr.

    botocore's DEBUG log carries request headers; it is only shown when asked for by name.
    """
    logging.basicConfig(
        level=getattr(logging, level.value.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S",
        force=True,
    )


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    log_level: Annotated[
        LogLevel,
        typer.Option(
            "--log-level",
            case_sensitive=False,
            help="Python log records to show on stderr (debug includes botocore's requests).",
        ),
    ] = LogLevel.WARNING,
) -> None:
    """Audit AWS accounts for MFA gaps: who can do privileged things without MFA?"""
    configure_logging(log_level)
