"""The documented exit codes (README, "Exit codes") and the one policy that picks them.

Single-account runs and organization runs both decide here, so the two cannot drift.
"""

from __future__ import annotations

from auditor.models import Severity


class ExitCode:
    """An interface for schedulers: change only on purpose, with the README."""

    CLEAN = 0
    TOOL_ERROR = 1
    USAGE_ERROR = 2
    FINDINGS = 3
    INCOMPLETE = 4
    INTERRUPTED = 130


def decide_exit_code(
    *, complete: bool, worst_open: Severity | None, fail_on: Severity | None
) -> int:
    """4 when the audit is incomplete, else 3 when an open finding reaches ``fail_on``, else 0.

    ``fail_on=None`` is ``--fail-on none``: findings never make the exit code 3 (an incomplete
    audit is still 4, so a lost permission still shows).

    Incomplete wins over findings: a scheduler that sees 3 every week would never notice that a
    lost permission turned a rule into "unknown", and the findings are in the reports either way.
    """
    if not complete:
        return ExitCode.INCOMPLETE
    if fail_on is not None and worst_open is not None and worst_open.rank >= fail_on.rank:
        return ExitCode.FINDINGS
    return ExitCode.CLEAN
