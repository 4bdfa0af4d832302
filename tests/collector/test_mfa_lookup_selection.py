"""Whom the collector asks ``iam:ListMFADevices`` (auditor.collector.mfa_lookup's formula).

A same-account role trust policy that names a user's ARN lets that user assume the role with no
identity policy of its own (IAM User Guide, "Policy evaluation logic": within one account a
resource-based policy naming the principal suffices), and ``"Principal": "*"`` names everyone;
so such users may be privileged even without groups or policies.
"""

from __future__ import annotations

from auditor.collector.mfa_lookup import select_users
from auditor.models import CredentialReport, Role
from tests.analyzer.conftest import ACCOUNT, NOW, device, role, row, trust, user


def _report(*names: str, mfa: bool = True) -> CredentialReport:
    return CredentialReport(NOW, tuple(row(name, mfa=mfa) for name in names))


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:user/{name}"


def test_policyless_virtual_user_is_asked_only_when_some_trust_names_it() -> None:
    users = (user("lone", []),)
    devices = (device("lone", _arn("lone")),)
    assert select_users(users, (), _report("lone"), devices) == []
    named: tuple[Role, ...] = (role("Ops", trust(_arn("lone"))),)
    assert select_users(users, named, _report("lone"), devices) == ["lone"]
    everyone: tuple[Role, ...] = (role("Open", trust("*")),)
    assert select_users(users, everyone, _report("lone"), devices) == ["lone"]


def test_mfa_without_a_virtual_device_is_always_asked_and_no_mfa_never() -> None:
    users = (user("tok", []), user("none", ["Admins"]))
    report = CredentialReport(NOW, (row("tok", mfa=True), row("none", mfa=False)))
    assert select_users(users, (), report, ()) == ["tok"]


def test_unreadable_virtual_device_list_asks_every_mfa_user() -> None:
    users = (user("a", ["Admins"]), user("b", []))
    assert select_users(users, (), _report("a", "b"), None) == ["a", "b"]
