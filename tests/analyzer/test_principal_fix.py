"""The ``fix`` column of a principal row names that principal, never a rule's placeholder.

A rule's remediation is written for any principal (``IAM console → Users → <user> → …``) and
findings keep it that way; a row is about one principal, so its fix says which one to open.
"""

from __future__ import annotations

from auditor.models import PrincipalRow, PrincipalType, Snapshot

from .conftest import ACCOUNT, ADMIN_POLICY, role, run, snapshot, trust


def _row(result_rows: tuple[PrincipalRow, ...], name: str) -> PrincipalRow:
    [row] = [r for r in result_rows if r.name == name]
    return row


def test_a_user_row_fix_names_the_user(admins_account: Snapshot) -> None:
    result = run(admins_account)
    row = _row(result.principals, "bob")
    assert row.principal_type is PrincipalType.USER
    assert "privileged_member_no_mfa" in row.open_rules
    assert "Users → bob → Security credentials" in row.fix
    assert "<user>" not in row.fix
    [finding] = [f for f in result.findings if f.rule_id == "privileged_member_no_mfa"]
    assert "<user>" in finding.remediation, "the rule's own text stays generic"


def test_a_role_row_fix_names_the_role() -> None:
    snap = snapshot(
        roles=[role("Deploy", trust(f"arn:aws:iam::{ACCOUNT}:root"), attached=[ADMIN_POLICY.arn])],
        policies=(ADMIN_POLICY,),
    )
    row = _row(run(snap).principals, "Deploy")
    assert "role_assumable_without_mfa" in row.open_rules
    assert "Roles → Deploy → Trust relationships" in row.fix
    assert "<role>" not in row.fix
