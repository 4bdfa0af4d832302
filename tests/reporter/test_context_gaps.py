"""Context-only gaps (account summary, password policy, aliases) are shown, but the report does
not call the audit incomplete: no verdict depends on them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from auditor.models import AuditResult, CollectionGap, RuleOutcome
from auditor.reporter import write_reports

from .conftest import GENERATED


def test_context_gap_is_listed_under_a_complete_banner(
    sample_result: AuditResult, tmp_path: Path
) -> None:
    result = dataclasses.replace(
        sample_result,
        gaps=(CollectionGap("password_policy", "AccessDenied on GetAccountPasswordPolicy"),),
        rule_outcomes=(RuleOutcome("console_user_no_mfa", evaluated=True),),
        findings=tuple(f for f in sample_result.findings if f.status.value != "unknown"),
    )
    assert result.complete, "the sample result must otherwise be complete for this test"
    paths = write_reports(result, tmp_path, generated_at=GENERATED)
    html = paths.html.read_text(encoding="utf-8")
    assert "Complete: every rule was evaluated" in html
    assert "AccessDenied on GetAccountPasswordPolicy" in html
    assert "Incomplete audit" not in html
    run = json.loads(paths.findings_json.read_text(encoding="utf-8"))["run"]
    assert run["complete"] is True
    assert run["gaps"] == [
        {"source": "password_policy", "reason": "AccessDenied on GetAccountPasswordPolicy"}
    ]
