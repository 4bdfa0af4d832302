"""Golden CSV and JSON outputs of the demo account (issue 5), time frozen.

The demo asset goes through the real analyzer and the real reporters; the four machine-readable
files must match tests/golden/demo/ byte for byte. Regenerate after an intended change with
``UPDATE_GOLDEN=1 pytest tests/test_demo_reports_golden.py`` and review the diff like code:
these files are what auditors' spreadsheets and scripts read.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

from auditor.analyzer import analyze
from auditor.config import AuditorConfig
from auditor.demo import load_demo_data
from auditor.fileio import write_bytes_atomic
from auditor.reporter import FINDINGS_CSV_COLUMNS, USERS_CSV_COLUMNS, write_reports
from auditor.snapshot_io import load_snapshot

TESTS = Path(__file__).resolve().parent
ASSET = TESTS / "assets" / "demo_snapshot.json"
GOLDEN = TESTS / "golden" / "demo"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
OUTPUTS = ("findings.csv", "principals.csv", "users.csv", "groups.csv", "findings.json")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = AuditorConfig(exemptions=load_demo_data().exemptions)
    result = analyze(load_snapshot(ASSET), config, now=NOW)
    out = tmp_path_factory.mktemp("demo-reports")
    write_reports(result, out, generated_at=NOW)
    return out


@pytest.mark.parametrize("name", OUTPUTS)
def test_demo_output_matches_golden(written: Path, name: str) -> None:
    produced = (written / name).read_bytes()
    if os.environ.get("UPDATE_GOLDEN") == "1":
        write_bytes_atomic(GOLDEN / name, produced)
    assert produced == (GOLDEN / name).read_bytes(), (
        f"demo {name} changed; if intended: "
        "UPDATE_GOLDEN=1 pytest tests/test_demo_reports_golden.py"
    )


def test_demo_csvs_round_trip_through_pandas(written: Path) -> None:
    findings = pd.read_csv(written / "findings.csv", dtype=str, keep_default_na=False)
    users = pd.read_csv(written / "users.csv", dtype=str, keep_default_na=False)
    assert tuple(findings.columns) == FINDINGS_CSV_COLUMNS
    assert tuple(users.columns) == USERS_CSV_COLUMNS
    assert len(users) == 34
    assert set(findings["account_id"]) == {"123456789012"}
    assert not users["name"].duplicated().any()
