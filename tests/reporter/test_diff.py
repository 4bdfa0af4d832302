"""Run-to-run diff: new, unchanged, resolved, and fail-closed "not re-checked"."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from auditor.errors import InputError
from auditor.models import AuditResult, FindingStatus, RuleOutcome, Severity
from auditor.reporter import DiffStatus, load_findings_json, write_reports
from auditor.reporter.diff import compare

from .conftest import GENERATED, arn, finding, result

KEPT = finding(principal_name="bob", principal_arn=arn("user", "bob"))
FIXED = finding(principal_name="carol", principal_arn=arn("user", "carol"))
UNCHECKED = finding(rule_id="root-mfa", principal_name="root", principal_arn="root-arn")
ADDED = finding(principal_name="erin", principal_arn=arn("user", "erin"))
OUTCOMES = (
    RuleOutcome("privileged-user-without-mfa", True),
    RuleOutcome("root-mfa", False, "account summary not collected"),
)


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    previous = result(findings=(KEPT, FIXED, UNCHECKED), rule_outcomes=OUTCOMES)
    earlier = GENERATED.replace(day=13)
    return write_reports(previous, tmp_path / "previous", generated_at=earlier).findings_json


def current() -> AuditResult:
    return result(findings=(KEPT, ADDED), rule_outcomes=OUTCOMES)


def test_statuses_resolved_and_not_rechecked(baseline: Path) -> None:
    diff = compare(current(), load_findings_json(baseline))
    assert diff.status_of(KEPT) is DiffStatus.UNCHANGED
    assert diff.status_of(ADDED) is DiffStatus.NEW
    assert diff.resolved == (FIXED,)
    # The root rule could not run this time: its old finding is not "resolved".
    assert diff.not_rechecked == (UNCHECKED,)
    assert diff.count(DiffStatus.NEW) == 1


def test_key_ignores_wording(baseline: Path) -> None:
    reworded = dataclasses.replace(KEPT, title="Reworded", detail="Other words.")
    diff = compare(
        result(findings=(reworded,), rule_outcomes=OUTCOMES), load_findings_json(baseline)
    )
    assert diff.status_of(reworded) is DiffStatus.UNCHANGED
    assert diff.previous_of(reworded) is None


@pytest.mark.parametrize(
    "change",
    [
        {"status": FindingStatus.UNKNOWN},  # its data could not be read this time
        {"status": FindingStatus.EXEMPTED},
        {"severity": Severity.CRITICAL},
    ],
)
def test_status_or_severity_change_is_changed_never_unchanged(
    baseline: Path, change: dict[str, Any]
) -> None:
    changed = dataclasses.replace(KEPT, **change)
    diff = compare(
        result(findings=(changed, ADDED), rule_outcomes=OUTCOMES), load_findings_json(baseline)
    )
    assert diff.status_of(changed) is DiffStatus.CHANGED
    previous = diff.previous_of(changed)
    assert previous is not None
    assert (previous.status, previous.severity) == (KEPT.status, KEPT.severity)
    assert diff.count(DiffStatus.CHANGED) == 1
    assert diff.count(DiffStatus.UNCHANGED) == 0
    assert diff.count(DiffStatus.NEW) == 1
    # Still present: neither resolved nor "not re-checked" (that list is for vanished findings).
    assert changed.key not in {f.key for f in (*diff.resolved, *diff.not_rechecked)}


def test_open_to_unknown_reaches_csv_json_and_html(baseline: Path, tmp_path: Path) -> None:
    unknown = dataclasses.replace(KEPT, status=FindingStatus.UNKNOWN)
    now = result(findings=(unknown,), rule_outcomes=OUTCOMES)
    paths = write_reports(now, tmp_path / "now", baseline=baseline, generated_at=GENERATED)
    table = pd.read_csv(paths.findings_csv, dtype=str, keep_default_na=False)
    assert list(table["diff_status"]) == ["changed"]
    doc = json.loads(paths.findings_json.read_text(encoding="utf-8"))
    [row] = doc["findings"]
    assert row["diff_status"] == "changed"
    assert row["diff_previous"] == {"status": "open", "severity": "high"}
    assert (doc["diff"]["new"], doc["diff"]["changed"], doc["diff"]["unchanged"]) == (0, 1, 0)
    html = paths.html.read_text(encoding="utf-8")
    assert "changed status or severity (1 now unknown: not re-checked)" in html
    # A run that compares against this one reads the extra diff keys back without complaint.
    again = compare(now, load_findings_json(paths.findings_json))
    assert again.status_of(unknown) is DiffStatus.UNCHANGED


def test_same_principal_via_another_group_is_new(baseline: Path) -> None:
    moved = dataclasses.replace(KEPT, group_name="Ops")
    diff = compare(result(findings=(moved,), rule_outcomes=OUTCOMES), load_findings_json(baseline))
    assert diff.status_of(moved) is DiffStatus.NEW
    assert KEPT in diff.resolved


def test_other_account_baseline_is_refused(baseline: Path) -> None:
    other = dataclasses.replace(current(), account_id="999988887777")
    with pytest.raises(InputError, match="baseline is for account 111122223333"):
        compare(other, load_findings_json(baseline))


def test_diff_reaches_csv_json_and_html(baseline: Path, tmp_path: Path) -> None:
    paths = write_reports(current(), tmp_path / "now", baseline=baseline, generated_at=GENERATED)
    table = pd.read_csv(paths.findings_csv, dtype=str, keep_default_na=False)
    assert dict(zip(table["principal_name"], table["diff_status"], strict=True)) == {
        "bob": "unchanged",
        "erin": "new",
    }
    doc = json.loads(paths.findings_json.read_text(encoding="utf-8"))
    assert {f["principal_name"]: f["diff_status"] for f in doc["findings"]} == {
        "bob": "unchanged",
        "erin": "new",
    }
    assert doc["diff"]["new"] == 1
    assert doc["diff"]["unchanged"] == 1
    assert [f["principal_name"] for f in doc["diff"]["resolved"]] == ["carol"]
    assert [f["principal_name"] for f in doc["diff"]["not_rechecked"]] == ["root"]
    assert doc["diff"]["baseline"]["generated_at"] == "2026-11-13T10:05:00Z"
    html = paths.html.read_text(encoding="utf-8")
    assert "Changes since the previous run" in html
    assert "resolved since last run" in html
    assert "not re-checked (rule not evaluated)" in html


def test_without_baseline_nothing_is_marked(tmp_path: Path) -> None:
    paths = write_reports(current(), tmp_path, generated_at=GENERATED)
    doc = json.loads(paths.findings_json.read_text(encoding="utf-8"))
    assert "diff" not in doc
    # diff_status is always present (as the CSV column is), null without a baseline.
    assert doc["findings"]
    assert all(f["diff_status"] is None and "diff_previous" not in f for f in doc["findings"])
    assert "Changes since the previous run" not in paths.html.read_text(encoding="utf-8")


def test_a_rule_whose_source_was_not_read_resolves_nothing(tmp_path: Path) -> None:
    """Sign-ins not read this run (``--signin-days 0``, or ``report`` without ``--cloudtrail``):
    last run's "signed in without MFA" finding is not re-checked, so it is not "resolved"."""
    signin = finding(
        rule_id="console_signin_without_mfa", principal_name="dana", principal_arn=arn("user", "d")
    )
    read = (RuleOutcome("console_signin_without_mfa", True),)
    previous = result(findings=(signin,), rule_outcomes=read)
    path = write_reports(previous, tmp_path / "previous", generated_at=GENERATED).findings_json
    unread = (RuleOutcome("console_signin_without_mfa", True, "not read: no CloudTrail given"),)
    diff = compare(result(findings=(), rule_outcomes=unread), load_findings_json(path))
    assert diff.resolved == ()
    assert diff.not_rechecked == (signin,)
    assert compare(result(findings=(), rule_outcomes=read), load_findings_json(path)).resolved == (
        signin,
    )
