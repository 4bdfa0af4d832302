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
    """The console script: guard stdout against closed pipes, then run the app."""
    from auditor.cli import stdout

    stdout.install()
    app()
