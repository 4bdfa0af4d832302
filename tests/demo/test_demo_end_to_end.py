"""The demo through the real collector and analyzer: every seeded gap is reported by its rule.

Only the "at least" half is asserted here; the analyzer's golden test owns "and nothing else".
"""

from __future__ import annotations

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
    reported = [(f.rule_id, f.principal_name, f.group_name) for f in result.findings]
    for gap in demo_data.expected_gaps:
        assert reported.count((gap.rule_id, gap.principal, gap.group)) == 1, gap
    assert all(f.status is FindingStatus.OPEN for f in result.findings)
    assert result.complete
