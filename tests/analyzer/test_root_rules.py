"""Root rules. Root is judged from its credential-report row (IAM User Guide, "Generate credential
reports": root's password columns read ``not_supported``) and ``GetAccountSummary``; a root with
no password is not applicable (Security Hub IAM.6/IAM.9: "Root user credentials aren't present
in the account" passes), which is how centrally managed member-account roots look.
"""

from __future__ import annotations

from auditor.models import CollectionGap, FindingStatus, PrincipalType, Severity

from .conftest import ACCOUNT, device, of, root_row, row, run, snapshot, user


def test_root_without_mfa_is_critical_and_named_as_in_the_report() -> None:
    result = run(snapshot(root=root_row(mfa=False)))
    [finding] = of(result, "root_no_mfa")
    assert finding.severity is Severity.CRITICAL
    assert finding.principal_type is PrincipalType.ROOT
    assert finding.principal_name == "<root_account>"
    assert finding.principal_arn == f"arn:aws:iam::{ACCOUNT}:root"
    assert "no MFA device" in finding.detail
    assert "2026-01-05" in finding.detail  # password last used, as evidence
    assert not of(result, "root_no_hardware_mfa")


def test_root_with_hardware_or_fido_mfa_passes_both_mfa_rules() -> None:
    result = run(snapshot(root=root_row(mfa=True)))
    assert not of(result, "root_no_mfa")
    assert not of(result, "root_no_hardware_mfa")


def test_root_with_virtual_device_is_reported_by_the_hardware_rule_only() -> None:
    root_device = device("root-account-mfa-device", f"arn:aws:iam::{ACCOUNT}:root")
    result = run(snapshot(root=root_row(mfa=True), devices=[root_device]))
    [finding] = of(result, "root_no_hardware_mfa")
    assert finding.severity is Severity.MEDIUM
    assert "root-account-mfa-device" in finding.detail
    assert not of(result, "root_no_mfa")
    assert not of(result, "unassigned_mfa_device")


def test_centrally_managed_root_is_not_applicable_and_says_so() -> None:
    """No password, no keys, no MFA (AccountPasswordPresent 0): not root_no_mfa, and a note."""
    summary = {"AccountMFAEnabled": 0, "AccountPasswordPresent": 0, "AccountAccessKeysPresent": 0}
    result = run(snapshot(root=root_row(mfa=False), summary=summary))
    assert not of(result, "root_no_mfa")
    assert not of(result, "root_access_keys")
    assert any("Root has no password" in note for note in result.notes)


def test_root_password_presence_unknown_fails_closed() -> None:
    """Without the account summary, root's not_supported password column proves nothing."""
    [finding] = of(run(snapshot(root=root_row(mfa=False))), "root_no_mfa")
    assert "could not be read" in finding.detail


def test_account_summary_newer_than_report_wins_for_root_mfa() -> None:
    summary = {"AccountMFAEnabled": 1, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0}
    assert not of(run(snapshot(root=root_row(mfa=False), summary=summary)), "root_no_mfa")


def test_root_access_keys() -> None:
    [finding] = of(run(snapshot(root=root_row(keys=1))), "root_access_keys")
    assert finding.severity is Severity.CRITICAL
    assert "key 1" in finding.detail
    assert finding.evidence["active_access_keys"] == "1"
    assert not of(run(snapshot(root=root_row(keys=0))), "root_access_keys")


def test_root_keys_deleted_after_the_report_follow_the_summary() -> None:
    summary = {"AccountMFAEnabled": 1, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0}
    assert not of(run(snapshot(root=root_row(keys=1), summary=summary)), "root_access_keys")


def test_root_is_never_a_console_user() -> None:
    result = run(snapshot(root=root_row(mfa=False), users=[user("bob")], rows=[row("bob")]))
    console = of(result, "console_user_no_mfa")
    assert [f.principal_name for f in console] == ["bob"]
    assert all(u.name != "<root_account>" for u in result.users)


def test_missing_root_row_makes_root_rules_unknown() -> None:
    gap = CollectionGap("root_credentials", "the credential report has no <root_account> row")
    result = run(snapshot(gaps=[gap]))
    for rule_id in ("root_no_mfa", "root_no_hardware_mfa", "root_access_keys"):
        [finding] = of(result, rule_id)
        assert finding.status is FindingStatus.UNKNOWN
        assert finding.principal_type is PrincipalType.ACCOUNT
        assert "<root_account>" in finding.detail
        outcome = next(o for o in result.rule_outcomes if o.rule_id == rule_id)
        assert not outcome.evaluated
        assert "root_credentials" in outcome.reason


def test_root_mfa_removed_after_the_report_follows_the_summary() -> None:
    summary = {"AccountMFAEnabled": 0, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0}
    [finding] = of(run(snapshot(root=root_row(mfa=True), summary=summary)), "root_no_mfa")
    assert finding.evidence["AccountMFAEnabled"] == "0"
    assert finding.evidence["mfa_active"] == "true"
