"""The demo through the real collector and analyzer: every seeded gap is reported once by its
rule, and nothing else is reported.

This runs against the installed moto, whose copies of AWS-managed policies (ReadOnlyAccess,
ViewOnlyAccess, Billing) change with every release and name actions policy_sentry may not know
yet; the analyzer's golden test (tests/analyzer/test_demo_golden.py) runs on a frozen asset and
cannot see that. Both count findings the same way: (rule, principal, group).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from auditor.config import AuditorConfig
from auditor.demo import DemoAccount
from auditor.models import CollectionSource, FindingStatus

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)


def test_every_seeded_gap_is_reported_once_by_its_rule(demo_data: DemoAccount) -> None:
    from auditor.analyzer import analyze
    from auditor.pipeline import collect_demo

    snapshot, config = collect_demo(AuditorConfig())
    # collect_demo hands back the config with the data file's exemptions added.
    assert config.exemptions == demo_data.exemptions
    assert snapshot.gap_for(CollectionSource.ROOT_CREDENTIALS) is None
    assert snapshot.credential_report is not None
    assert snapshot.credential_report.root is not None
    assert any("moto does not emulate the root user" in note for note in snapshot.notes)

    result = analyze(snapshot, config, now=NOW)
    reported = Counter((f.rule_id, f.principal_name, f.group_name) for f in result.findings)
    expected = Counter((g.rule_id, g.principal, g.group or "") for g in demo_data.expected_gaps)
    for gap in expected:
        assert reported[gap] == 1, f"{gap} reported {reported[gap]} times"
    extra = sorted(reported - expected)
    assert not extra, f"reported beyond sample_company.yaml's expected_gaps: {extra}"
    assert len(result.findings) == len(demo_data.expected_gaps)
    assert all(f.status is FindingStatus.OPEN for f in result.findings)
    assert result.complete
