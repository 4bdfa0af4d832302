"""Run folders and the choice of baseline."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from auditor.errors import ReportError
from auditor.reporter import ReportPaths, find_baseline, run_folder

ACCOUNT = "123456789012"


def test_run_folder_is_utc_timestamp(tmp_path: Path) -> None:
    local = datetime(2026, 11, 28, 0, 4, tzinfo=timezone(timedelta(hours=2)))
    assert run_folder(tmp_path, ACCOUNT, local) == tmp_path / ACCOUNT / "20261127T220400Z"
    naive = datetime(2026, 11, 27, 22, 4, 59, 999_999)
    assert run_folder(tmp_path, ACCOUNT, naive).name == "20261127T220459Z"
    assert not (tmp_path / ACCOUNT).exists(), "computing the path creates nothing"


@pytest.mark.parametrize("account", ["../etc", "a/b", "..", ".hidden", "", "x" * 65])
def test_unsafe_account_ids_cannot_escape_the_reports_root(tmp_path: Path, account: str) -> None:
    when = datetime(2026, 11, 27, tzinfo=timezone.utc)
    with pytest.raises(ReportError, match="cannot name a report folder"):
        run_folder(tmp_path, account, when)
    with pytest.raises(ReportError):
        find_baseline(tmp_path, account, before=tmp_path / "x")


def _run(root: Path, name: str, *, finished: bool = True) -> Path:
    folder = root / ACCOUNT / name
    folder.mkdir(parents=True)
    if finished:
        (folder / "findings.json").write_text("{}", encoding="utf-8")
    return folder


def test_latest_earlier_finished_run_is_the_baseline(tmp_path: Path) -> None:
    _run(tmp_path, "20261101T080000Z")
    latest = _run(tmp_path, "20261120T080000Z")
    _run(tmp_path, "20261125T080000Z", finished=False)  # killed before findings.json
    _run(tmp_path, "20261130T080000Z")  # later than the current run
    (tmp_path / ACCOUNT / "notes").mkdir()
    (tmp_path / ACCOUNT / "20261126T080000Z.txt").write_text("x", encoding="utf-8")
    current = tmp_path / ACCOUNT / "20261127T220400Z"
    assert find_baseline(tmp_path, ACCOUNT, before=current) == latest / "findings.json"


def test_no_earlier_run(tmp_path: Path) -> None:
    current = tmp_path / ACCOUNT / "20261127T220400Z"
    assert find_baseline(tmp_path, ACCOUNT, before=current) is None
    _run(tmp_path, "20261127T220400Z")  # the current folder itself never counts
    assert find_baseline(tmp_path, ACCOUNT, before=current) is None
    assert find_baseline(tmp_path, "999988887777", before=current) is None


def test_out_folder_compares_with_latest_run(tmp_path: Path) -> None:
    _run(tmp_path, "20261101T080000Z")
    latest = _run(tmp_path, "20261130T080000Z")
    assert find_baseline(tmp_path, ACCOUNT, before=tmp_path / "elsewhere") == (
        latest / "findings.json"
    )


def test_report_paths_all_lists_written_files_only(tmp_path: Path) -> None:
    plain = ReportPaths.in_folder(tmp_path, snapshot=False, xlsx=False)
    assert [p.name for p in plain.all()] == [
        "report.html",
        "findings.csv",
        "principals.csv",
        "users.csv",
        "groups.csv",
        "findings.json",
    ]
    full = ReportPaths.in_folder(tmp_path, snapshot=True, xlsx=True)
    assert [p.name for p in full.all()][-2:] == ["snapshot.json", "report.xlsx"]
    assert all(p.parent == tmp_path for p in full.all())
