"""Incomplete data and the assembled result: a rule whose data is missing is one ``unknown``
finding plus an unevaluated outcome (never a silent pass); everything else is deterministic."""

from __future__ import annotations

import dataclasses
import gc

import pytest

from auditor.analyzer import RULES, analyze
from auditor.config import AuditorConfig
from auditor.models import (
    CollectionGap,
    CredentialReport,
    FindingStatus,
    PrincipalType,
    Snapshot,
)

from .conftest import ADMIN_ARN, NOW, group, of, row, run, snapshot, user

REPORT_RULES = {
    "root_no_mfa",
    "root_no_hardware_mfa",
    "root_access_keys",
    "console_user_no_mfa",
    "privileged_member_no_mfa",
    "access_key_privileged_no_mfa",
}


def test_credential_report_gap_makes_each_dependent_rule_one_unknown() -> None:
    gap = CollectionGap("credential_report", "GenerateCredentialReport: LimitExceeded")
    snap = snapshot(
        users=[user("bob", ["Admins"])],
        groups=[group("Admins", attached=[ADMIN_ARN])],
        gaps=[gap],
        with_report=False,
    )
    result = run(snap)
    outcomes = {o.rule_id: o for o in result.rule_outcomes}
    assert set(outcomes) == {spec.id for spec in RULES}
    for rule_id in REPORT_RULES:
        [finding] = of(result, rule_id)
        assert finding.status is FindingStatus.UNKNOWN
        assert finding.principal_type is PrincipalType.ACCOUNT
        assert "LimitExceeded" in finding.detail
        assert not outcomes[rule_id].evaluated
        assert "credential_report was not collected" in outcomes[rule_id].reason
    # Rules that do not need the report still ran and still found the admin group.
    assert outcomes["privileged_group_no_mfa_condition"].evaluated
    assert of(result, "privileged_group_no_mfa_condition")[0].status is FindingStatus.OPEN
    assert not result.complete


def test_missing_report_without_a_recorded_gap_still_fails_closed() -> None:
    result = run(snapshot(users=[user("bob")], with_report=False))
    [finding] = of(result, "console_user_no_mfa")
    assert finding.status is FindingStatus.UNKNOWN
    assert not result.complete


def test_report_without_root_row_is_unknown_for_root_rules() -> None:
    snap = snapshot(users=[user("bob")], rows=[row("bob", mfa=True)])
    assert snap.credential_report is not None
    rows = tuple(r for r in snap.credential_report.rows if not r.is_root)
    snap = dataclasses.replace(
        snap, credential_report=CredentialReport(snap.credential_report.generated_time, rows)
    )
    result = run(snap)
    [finding] = of(result, "root_no_mfa")
    assert finding.status is FindingStatus.UNKNOWN
    assert "no <root_account> row" in finding.detail


def test_policy_documents_gap_keeps_other_verdicts_and_adds_one_unknown_per_rule() -> None:
    gap = CollectionGap(
        "policy_documents", "inline policy 'x' of group Ops: not valid JSON; not evaluated"
    )
    snap = snapshot(
        users=[user("bob", ["Admins"])],
        rows=[row("bob")],
        groups=[group("Admins", attached=[ADMIN_ARN])],
        gaps=[gap],
    )
    result = run(snap)
    statuses = {f.status for f in of(result, "privileged_member_no_mfa")}
    assert statuses == {FindingStatus.OPEN, FindingStatus.UNKNOWN}
    unknown = [
        f
        for f in of(result, "privileged_group_no_mfa_condition")
        if f.status is FindingStatus.UNKNOWN
    ]
    assert len(unknown) == 1
    assert "inline policy 'x' of group Ops" in unknown[0].detail
    outcome = next(
        o for o in result.rule_outcomes if o.rule_id == "privileged_group_no_mfa_condition"
    )
    assert outcome.evaluated
    assert outcome.reason.startswith("partially:")


def test_authorization_details_gap_leaves_console_rule_working() -> None:
    gap = CollectionGap("authorization_details", "AccessDenied")
    result = run(snapshot(rows=[row("carol")], gaps=[gap]))
    assert [f.principal_name for f in of(result, "console_user_no_mfa")] == ["carol"]
    [member] = of(result, "privileged_member_no_mfa")
    assert member.status is FindingStatus.UNKNOWN


def _mixed() -> Snapshot:
    return snapshot(
        users=[user("zed", ["Admins"]), user("amy", ["Admins"]), user("bob", ["Readers"])],
        rows=[row("zed"), row("amy"), row("bob", mfa=True)],
        groups=[group("Admins", attached=[ADMIN_ARN]), group("Readers"), group("Empty")],
    )


def test_findings_sorted_by_severity_rule_and_principal_and_deterministic() -> None:
    first, second = run(_mixed()), run(_mixed())
    assert first == second
    keys = [(-f.severity.rank, f.rule_id, f.principal_name) for f in first.findings]
    assert keys == sorted(keys)


def test_summaries_cover_every_user_and_group_and_cards_the_privileged() -> None:
    result = run(_mixed())
    assert [u.name for u in result.users] == ["amy", "bob", "zed"]
    assert [g.name for g in result.groups] == ["Admins", "Empty", "Readers"]
    admins = result.groups[0]
    assert admins.members == ("amy", "zed")
    assert admins.members_without_mfa == ("amy", "zed")
    assert admins.policies == ("AdministratorAccess",)
    assert admins.privileged
    assert [(c.principal_type, c.name) for c in result.cards] == [(PrincipalType.GROUP, "Admins")]
    card = result.cards[0]
    assert card.members == (("amy", False), ("zed", False))
    assert card.deciding_statements
    assert '"BoolIfExists"' in card.remediation_policy_json
    amy = result.users[0]
    assert amy.privileged_via == ("group:Admins (AdministratorAccess)",)
    assert result.account_id == "123456789012"
    assert result.credential_report_generated_at is not None


def test_cyclic_gc_is_paused_only_during_analysis_and_restored_even_on_error() -> None:
    seen: list[bool] = []

    def failing_factory(config: AuditorConfig) -> object:
        seen.append(gc.isenabled())
        raise RuntimeError("engine unavailable")

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        analyze(snapshot(), AuditorConfig(), now=NOW, engine_factory=failing_factory)  # type: ignore[arg-type]
    assert seen == [False]
    assert gc.isenabled()
