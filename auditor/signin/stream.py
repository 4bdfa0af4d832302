"""Read CloudTrail JSON incrementally: one record at a time, whatever the file's size.

A CloudTrail delivery file is ``{"Records": [...]}``; ``aws cloudtrail lookup-events`` writes
``{"Events": [{"CloudTrailEvent": "<json>"}, ...]}``. Both are walked with the standard library's
``json.JSONDecoder.raw_decode`` over a buffered text stream: the top-level object key by key, the
array element by element, so memory holds one chunk plus one record, never the file. (ijson does
the same with a C backend, but the stdlib decoder parses each record at C speed already and one
dependency fewer is worth it.)

A file cut short (a ``.json.gz`` truncated mid-stream included) or not JSON raises
``InputError`` naming the file: the caller exits 2 rather than audit part of a log silently.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NoReturn

from auditor.errors import InputError

CHUNK_CHARS = 1 << 20
MAX_RECORD_CHARS = 64 << 20
"""A single CloudTrail record is at most a few hundred KiB; beyond this the file is malformed."""
_WS = re.compile(r"[ \t\n\r]*")
_NEAR_END = 8
"""A decode error this close to the buffer's end may only mean the record continues."""
_DECODER = json.JSONDecoder()
ARRAY_KEYS = ("Records", "Events")


class _Reader:
    def __init__(self, stream: IO[str], origin: str) -> None:
        self.stream = stream
        self.origin = origin
        self.buf = ""
        self.pos = 0
        self.eof = False

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK_CHARS)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def expect(self, chars: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            self.fail(f"expected {' or '.join(repr(c) for c in chars)}", found)
        self.pos += 1
        return found

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                if self.eof or not self._maybe_incomplete(error):
                    self.fail(error.msg, self.buf[error.pos : error.pos + 1])
                if len(self.buf) - self.pos > MAX_RECORD_CHARS:
                    self.fail(f"a value longer than {MAX_RECORD_CHARS >> 20} Mi characters", "")
                self.fill()  # at the end of the file this sets eof, and the retry reports
                continue
            if end >= len(self.buf) and not self.eof and self.fill():
                continue  # a number or literal may go on in the next chunk
            self.pos = end
            return value

    def _maybe_incomplete(self, error: json.JSONDecodeError) -> bool:
        return error.pos >= len(self.buf) - _NEAR_END or error.msg.startswith("Unterminated")

    def fail(self, problem: str, found: str) -> NoReturn:
        where = "end of file" if not found else f"{found!r}"
        raise InputError(
            f"{self.origin}: not a complete CloudTrail JSON file ({problem}; found {where})",
            hint="a truncated or partly downloaded log file: download it again, or leave it out",
        )


def iter_json_records(stream: IO[str], origin: str) -> Iterator[dict[str, Any]]:
    """Every CloudTrail record in ``stream``, decoded one at a time."""
    reader = _Reader(stream, origin)
    first = reader.peek()
    if first == "[":
        yield from _array(reader, "top-level array")
        _expect_end(reader)
        return
    reader.expect("{")
    found = False
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            key = reader.value()
            if not isinstance(key, str):
                reader.fail("expected a property name", repr(key)[:20])
            reader.expect(":")
            if key in ARRAY_KEYS and reader.peek() == "[":
                found = True
                yield from _array(reader, key)
            else:
                reader.value()
            if reader.expect(",}") == "}":
                break
    _expect_end(reader)
    if not found:
        raise InputError(
            f"{origin}: not a CloudTrail log file (no Records or Events array)",
            hint="give CloudTrail's S3 log files or `aws cloudtrail lookup-events` output",
        )


def _array(reader: _Reader, key: str) -> Iterator[dict[str, Any]]:
    reader.expect("[")
    if reader.peek() == "]":
        reader.pos += 1
        return
    while True:
        item = reader.value()
        yield _record(item, reader, key)
        if reader.expect(",]") == "]":
            return


def _record(item: Any, reader: _Reader, key: str) -> dict[str, Any]:
    """A CloudTrail record, unwrapping lookup-events' ``CloudTrailEvent`` JSON string."""
    if isinstance(item, dict) and isinstance(item.get("CloudTrailEvent"), str):
        try:
            item = json.loads(item["CloudTrailEvent"])
        except json.JSONDecodeError as error:
            reader.fail(f"an Events entry whose CloudTrailEvent is not JSON ({error.msg})", "")
    if not isinstance(item, dict):
        reader.fail(f"expected an object in {key}", type(item).__name__)
    return item


def _expect_end(reader: _Reader) -> None:
    trailing = reader.peek()
    if trailing:
        reader.fail("unexpected data after the end of the JSON document", trailing)


def iter_file_records(path: Path) -> Iterator[dict[str, Any]]:
    """Every record of one ``.json`` or ``.json.gz`` file (gzip recognised by its magic bytes)."""
    origin = str(path)
    try:
        with path.open("rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rt", encoding="utf-8") as stream:
            yield from iter_json_records(stream, origin)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise InputError(
            f"{origin}: damaged or truncated gzip file ({error})",
            hint="download the log file again, or leave it out",
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{origin}: not UTF-8 text, so not a CloudTrail log file") from None
    except OSError as error:
        raise InputError(f"{origin}: cannot be read ({error.strerror or error})") from None
