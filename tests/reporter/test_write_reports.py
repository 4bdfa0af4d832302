"""write_reports: every file, atomically, in the right order; errors before any file exists."""

from __future__ import annotations

import importlib.util
import inspect
import json
from pathlib import Path

import pytest

import auditor.reporter as reporter
from auditor.errors import InputError, ReportError
from auditor.models import SNAPSHOT_SCHEMA_VERSION, AuditResult, Snapshot
from auditor.reporter import ReportPaths, find_baseline, write_reports
from auditor.snapshot_io import load_snapshot

from .conftest import ACCOUNT, COLLECTED, GENERATED

HAS_OPENPYXL = importlib.util.find_spec("openpyxl") is not None


def snapshot() -> Snapshot:
    return Snapshot(
        schema_version=SNAPSHOT_SCHEMA_VERSION,
        tool_version="0.1.0",
        source="aws",
        account_id=ACCOUNT,
        account_alias="acme-prod",
        caller_arn=None,
        collected_at=COLLECTED,
        credential_report=None,
        users=(),
        groups=(),
        roles=(),
        policies=(),
        virtual_mfa_devices=(),
        account_summary={"AccountMFAEnabled": 1},
        password_policy=None,
    )


def test_public_api_matches_the_cli_contract() -> None:
    parameters = inspect.signature(write_reports).parameters
    assert list(parameters) == [
        "result",
        "out_dir",
        "snapshot",
        "baseline",
        "excel_bom",
        "xlsx",
        "generated_at",
        "formats",
        "asff_region",
    ]
    keyword_only = [p.name for p in parameters.values() if p.kind is p.KEYWORD_ONLY]
    assert keyword_only == [
        "snapshot",
        "baseline",
        "excel_bom",
        "xlsx",
        "generated_at",
        "formats",
        "asff_region",
    ]
    for name in reporter.__all__:
        assert hasattr(reporter, name), name


def test_writes_every_file_and_no_temporary_ones(
    sample_result: AuditResult, tmp_path: Path
) -> None:
    out = tmp_path / "fresh" / "run"
    paths = write_reports(sample_result, out, snapshot=snapshot(), generated_at=GENERATED)
    assert paths.folder == out
    assert paths.snapshot_json == out / "snapshot.json"
    assert paths.xlsx is None
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths.all())
    assert all(p.stat().st_size > 0 for p in paths.all())
    assert load_snapshot(out / "snapshot.json") == snapshot()


def test_rewriting_a_folder_replaces_files(sample_result: AuditResult, tmp_path: Path) -> None:
    write_reports(sample_result, tmp_path, generated_at=GENERATED)
    (tmp_path / "report.html").write_text("stale", encoding="utf-8")
    paths = write_reports(sample_result, tmp_path, generated_at=GENERATED, baseline=tmp_path)
    assert paths.html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    doc = json.loads(paths.findings_json.read_text(encoding="utf-8"))
    assert {f["diff_status"] for f in doc["findings"]} == {"unchanged"}


def test_out_dir_that_is_a_file(sample_result: AuditResult, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ReportError, match="not a folder"):
        write_reports(sample_result, blocker, generated_at=GENERATED)
    with pytest.raises(ReportError, match="cannot write"):
        write_reports(sample_result, blocker / "below", generated_at=GENERATED)


def test_bad_baseline_stops_before_any_file(sample_result: AuditResult, tmp_path: Path) -> None:
    broken = tmp_path / "findings.json"
    broken.write_text("not json", encoding="utf-8")
    out = tmp_path / "run"
    with pytest.raises(InputError, match="not valid JSON"):
        write_reports(sample_result, out, baseline=broken, generated_at=GENERATED)
    assert not out.exists()


def test_xlsx_without_openpyxl_is_a_clear_error(
    sample_result: AuditResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "openpyxl" else real_find_spec(name, *a),
    )
    with pytest.raises(ReportError, match="openpyxl") as raised:
        write_reports(sample_result, tmp_path / "run", xlsx=True, generated_at=GENERATED)
    assert raised.value.hint is not None
    assert "pip install openpyxl" in raised.value.hint
    assert not (tmp_path / "run").exists()


@pytest.mark.skipif(not HAS_OPENPYXL, reason="openpyxl is not installed (optional)")
def test_xlsx_sheets_are_neutralised(hostile_result: AuditResult, tmp_path: Path) -> None:
    import pandas as pd

    paths = write_reports(hostile_result, tmp_path, xlsx=True, generated_at=GENERATED)
    assert paths.xlsx is not None
    sheets = pd.read_excel(paths.xlsx, sheet_name=None, dtype=str, keep_default_na=False)
    assert set(sheets) == {"findings", "principals", "users", "groups"}
    assert "'=cmd|' /C calc'!A0" in set(sheets["users"]["name"])


def test_findings_json_is_written_last(
    sample_result: AuditResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that dies while writing must not become the next run's baseline."""
    import auditor.reporter.writer as writer

    real = writer.write_bytes_atomic

    def failing(path: Path, payload: bytes) -> None:
        if path.name == "report.html":
            raise ReportError(f"cannot write {path}: No space left on device")
        real(path, payload)

    monkeypatch.setattr(writer, "write_bytes_atomic", failing)
    root = tmp_path / "reports"
    folder = root / ACCOUNT / "20261127T220400Z"
    with pytest.raises(ReportError, match="No space left"):
        write_reports(sample_result, folder, generated_at=GENERATED)
    assert (folder / "findings.csv").exists()
    assert not (folder / "findings.json").exists()
    later = root / ACCOUNT / "20261128T220400Z"
    assert find_baseline(root, ACCOUNT, before=later) is None


def test_report_paths_is_frozen(sample_result: AuditResult, tmp_path: Path) -> None:
    paths = write_reports(sample_result, tmp_path, generated_at=GENERATED)
    assert isinstance(paths, ReportPaths)
    with pytest.raises(AttributeError):
        paths.html = tmp_path  # type: ignore[misc]
