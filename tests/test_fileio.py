"""Atomic writes: no half-written file on failure, and permissions that follow the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from auditor.errors import ReportError
from auditor.fileio import write_text_atomic


def test_written_file_follows_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor.fileio as fileio

    monkeypatch.setattr(fileio, "_UMASK", 0o022)
    write_text_atomic(tmp_path / "report.html", "<p>hi</p>")
    mode = stat.S_IMODE((tmp_path / "report.html").stat().st_mode)
    assert mode == 0o644  # readable by reviewers on a share, like any file the user creates


def test_umask_is_never_changed_while_writing(tmp_path: Path) -> None:
    """Concurrent organization runs create folders while others write: the process umask must
    stay what it was, or a parallel mkdir could produce a world-writable report folder."""
    seen: list[int] = []
    real_umask = os.umask

    def spy(mask: int) -> int:
        seen.append(mask)
        return real_umask(mask)

    os.umask = spy  # type: ignore[assignment]
    try:
        write_text_atomic(tmp_path / "sub" / "a.csv", "x")
    finally:
        os.umask = real_umask
    assert seen == []


def test_replaces_existing_file_and_leaves_no_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    write_text_atomic(target, "old")
    write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_unwritable_folder_is_report_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ReportError, match="cannot write"):
        write_text_atomic(blocker / "sub" / "report.html", "x")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "not a UTF-8 text snapshot"),
        (b"{", "not valid JSON (line 1"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_read_json_turns_every_bad_file_into_one_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    from auditor.errors import InputError
    from auditor.fileio import read_json

    path = tmp_path / "in.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_json(path, "snapshot")
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_read_json_accepts_a_byte_order_mark_and_names_folders(tmp_path: Path) -> None:
    from auditor.errors import InputError
    from auditor.fileio import read_json

    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert read_json(path, "policy") == {"a": 1}
    with pytest.raises(InputError, match="cannot read policy"):
        read_json(tmp_path, "policy")
