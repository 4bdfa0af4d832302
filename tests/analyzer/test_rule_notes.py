"""Checks hand back their notes with their findings; the context they read is never written.

A note (e.g. why root's MFA rules do not apply) belongs to the check that found it, so running a
check alone, or the registry in another order, yields the same notes.
"""

from __future__ import annotations

import dataclasses

import pytest

from auditor.analyzer import run as run_module
from auditor.analyzer.context import AnalysisContext, build_context
from auditor.analyzer.graph.permissions import PrivilegeIndex
from auditor.analyzer.rules import REGISTRY
from auditor.analyzer.rules.keys import check_access_key_privileged_no_mfa
from auditor.analyzer.rules.root import check_root_no_hardware_mfa, check_root_no_mfa
from auditor.analyzer.run import default_engine
from auditor.analyzer.spec import Note
from auditor.config import AuditorConfig
from auditor.models import Snapshot

from .conftest import ADMIN_ARN, DENY_WITHOUT_MFA, NOW, group, root_row, row, run, snapshot, user

NO_ROOT_PASSWORD = {
    "AccountMFAEnabled": 0,
    "AccountPasswordPresent": 0,
    "AccountAccessKeysPresent": 0,
}


def _context(snap: Snapshot) -> AnalysisContext:
    config = AuditorConfig()
    return build_context(snap, config, NOW, PrivilegeIndex(snap, default_engine(config)))


def _notes_account() -> Snapshot:
    """Root without a password (centrally managed), and kim: keys, MFA required, non-virtual
    device (perhaps FIDO, which AWS does not take for MFA-protected API access)."""
    return snapshot(
        root=root_row(mfa=False),
        summary=NO_ROOT_PASSWORD,
        users=[user("kim", ["Admins", "RequireMfa"])],
        rows=[row("kim", keys=1, mfa=True)],
        groups=[
            group("Admins", attached=[ADMIN_ARN]),
            group("RequireMfa", inline={"d": DENY_WITHOUT_MFA}),
        ],
    )


def test_the_context_has_no_mutable_state() -> None:
    ctx = _context(_notes_account())
    for item in dataclasses.fields(ctx):
        assert not isinstance(getattr(ctx, item.name), (list, set)), item.name


@pytest.mark.parametrize("check", [check_root_no_mfa, check_root_no_hardware_mfa])
def test_each_root_check_returns_the_not_applicable_note_itself(check: object) -> None:
    produced = list(check(_context(_notes_account())))  # type: ignore[operator]
    assert len(produced) == 1
    [note] = produced
    assert isinstance(note, Note)
    assert note.text.startswith("Root has no password")


def test_keys_check_returns_the_fido_note() -> None:
    [note] = list(check_access_key_privileged_no_mfa(_context(_notes_account())))
    assert isinstance(note, Note)
    assert "kim" in note.text
    assert "FIDO" in note.text


def test_notes_are_the_same_whatever_the_rule_order(monkeypatch: pytest.MonkeyPatch) -> None:
    forward = run(_notes_account())
    monkeypatch.setattr(run_module, "REGISTRY", tuple(reversed(REGISTRY)))
    backward = run(_notes_account())
    assert sorted(backward.notes) == sorted(forward.notes)
    assert backward.findings == forward.findings
    assert sum(n.startswith("Root has no password") for n in forward.notes) == 1
