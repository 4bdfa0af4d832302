"""The demo account (auditor/demo/sample_company.yaml) through the analyzer, from the collected
asset tests/assets/demo_snapshot.json: the findings must match tests/golden/demo_findings.json,
and every gap the data file seeds must be reported exactly once, by the rule it names.

Regenerate the golden file after an intended change: ``UPDATE_GOLDEN=1 pytest
tests/analyzer/test_demo_golden.py`` (and review the diff).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from auditor.analyzer import analyze
from auditor.config import AuditorConfig
from auditor.demo import DemoAccount, load_demo_data
from auditor.fileio import write_text_atomic
from auditor.models import AuditResult, FindingStatus
from auditor.snapshot_io import load_snapshot, to_jsonable

TESTS = Path(__file__).resolve().parents[1]
ASSET = TESTS / "assets" / "demo_snapshot.json"
GOLDEN = TESTS / "golden" / "demo_findings.json"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
"""After the data file's expired exemption (2026-06-30), fixed so the output is reproducible."""


@pytest.fixture(scope="module")
def demo() -> DemoAccount:
    return load_demo_data()


@pytest.fixture(scope="module")
def result(demo: DemoAccount) -> AuditResult:
    config = AuditorConfig(exemptions=demo.exemptions)
    return analyze(load_snapshot(ASSET), config, now=NOW)


def _findings_json(result: AuditResult) -> list[dict[str, Any]]:
    return [to_jsonable(finding) for finding in result.findings]


def test_findings_match_the_golden_file(result: AuditResult) -> None:
    produced = _findings_json(result)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        write_text_atomic(GOLDEN, json.dumps(produced, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert produced == expected, (
        "demo findings changed; if intended, regenerate with "
        "UPDATE_GOLDEN=1 pytest tests/analyzer/test_demo_golden.py and review the diff"
    )


def test_each_seeded_gap_is_reported_exactly_once_by_its_rule(
    result: AuditResult, demo: DemoAccount
) -> None:
    reported = Counter((f.rule_id, f.principal_name, f.group_name) for f in result.findings)
    for gap in demo.expected_gaps:
        key = (gap.rule_id, gap.principal, gap.group or "")
        assert reported[key] == 1, f"{key} reported {reported[key]} times"
    assert result.complete
    assert all(f.status is not FindingStatus.UNKNOWN for f in result.findings)


def test_the_expired_exemption_reopens_its_finding(result: AuditResult) -> None:
    henry = [f for f in result.findings if f.principal_name == "henry.adams"]
    console = next(f for f in henry if f.rule_id == "console_user_no_mfa")
    assert console.status is FindingStatus.OPEN
    assert any(f.rule_id == "exemption_expired" for f in henry)


def test_nothing_beyond_the_seeded_gaps_is_reported(result: AuditResult, demo: DemoAccount) -> None:
    expected = {(g.rule_id, g.principal, g.group or "") for g in demo.expected_gaps}
    reported = {(f.rule_id, f.principal_name, f.group_name) for f in result.findings}
    assert reported - expected == set()
