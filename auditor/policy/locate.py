"""Line numbers of policy statements in the JSON text they were read from.

SARIF and code-scanning annotations point at a line, and ``json.loads`` forgets where things
were. This walks the text with ``json.JSONDecoder.raw_decode`` (which reports where each value
ends), descending only into the top-level list, each document and its ``Statement`` element, so
it stays exact for any valid JSON without a second parser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


@dataclass(frozen=True)
class StatementSpot:
    """Where one statement starts: its index in ``Statement``, its Sid, its 1-based line."""

    index: int
    sid: str | None
    line: int

    @property
    def label(self) -> str:
        """The label the policy engine gives the statement (``Statement.label``)."""
        return self.sid or f"#{self.index}"


@dataclass(frozen=True)
class DocumentSpots:
    """One policy document: its first line and its statements' positions."""

    line: int
    statements: tuple[StatementSpot, ...]

    def line_of(self, label: str) -> int:
        """The line of the statement labelled ``label``, else the document's own line."""
        return next((s.line for s in self.statements if s.label == label), self.line)


def locate_statements(text: str) -> tuple[DocumentSpots, ...]:
    """Every document in ``text`` (one object, or a list of them) with its statements' lines.

    ``text`` must be valid JSON (it was decoded before); values that are not policy-shaped are
    skipped, never raised on, because the engine reports those problems itself.
    """
    lines = _LineIndex(text)
    start = _skip(text, 0)
    if text.startswith("[", start):
        return tuple(
            _document(text, pos, lines) for pos in _array_items(text, start) if text[pos] == "{"
        )
    if text.startswith("{", start):
        return (_document(text, start, lines),)
    return ()


class _LineIndex:
    def __init__(self, text: str) -> None:
        self._starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def line(self, offset: int) -> int:
        low, high = 0, len(self._starts)
        while high - low > 1:
            middle = (low + high) // 2
            if self._starts[middle] <= offset:
                low = middle
            else:
                high = middle
        return low + 1


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _array_items(text: str, start: int) -> list[int]:
    """Offsets of the items of the array starting at ``start``."""
    items: list[int] = []
    pos = _skip(text, start + 1)
    if text.startswith("]", pos):
        return items
    while pos < len(text):
        items.append(pos)
        _, end = _DECODER.raw_decode(text, pos)
        pos = _skip(text, end)
        if not text.startswith(",", pos):
            break
        pos = _skip(text, pos + 1)
    return items


def _members(text: str, start: int) -> list[tuple[str, int]]:
    """(key, value offset) for each member of the object starting at ``start``."""
    members: list[tuple[str, int]] = []
    pos = _skip(text, start + 1)
    while text.startswith('"', pos):
        key, end = _DECODER.raw_decode(text, pos)
        pos = _skip(text, _skip(text, end) + 1)  # past the colon
        members.append((str(key), pos))
        _, end = _DECODER.raw_decode(text, pos)
        pos = _skip(text, end)
        if not text.startswith(",", pos):
            break
        pos = _skip(text, pos + 1)
    return members


def _document(text: str, start: int, lines: _LineIndex) -> DocumentSpots:
    statement_at = next((pos for key, pos in _members(text, start) if key == "Statement"), None)
    if statement_at is None:
        return DocumentSpots(lines.line(start), ())
    is_list = text[statement_at] == "["
    offsets = _array_items(text, statement_at) if is_list else [statement_at]
    spots = tuple(
        StatementSpot(index, _sid(text, pos), lines.line(pos)) for index, pos in enumerate(offsets)
    )
    return DocumentSpots(lines.line(start), spots)


def _sid(text: str, start: int) -> str | None:
    if text[start] != "{":
        return None
    for key, pos in _members(text, start):
        if key == "Sid":
            value, _ = _DECODER.raw_decode(text, pos)
            return value if isinstance(value, str) and value else None
    return None
