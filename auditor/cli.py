"""Command-line interface (placeholder until the CLI lands; see issue 2)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, pretty_exceptions_show_locals=False)


@app.command()
def version() -> None:
    """Print the tool version."""
    from auditor import __version__

    typer.echo(__version__)


def main() -> None:
    app()
