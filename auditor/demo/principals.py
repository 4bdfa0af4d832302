"""Groups, users, roles and expected gaps of the sample company, validated against each other.

Cross-references are checked here (a user's group exists, an ``attach:`` entry names a defined
policy, an expected gap names a real principal) so that the demo's promise, "each seeded gap is
reported exactly once", is about principals that were actually seeded.
"""

from __future__ import annotations

from typing import Any

from auditor.analyzer.rule_ids import RULE_IDS, RuleId
from auditor.demo.model import (
    DemoAccount,
    DemoGroup,
    DemoRole,
    DemoUser,
    ExpectedGap,
)
from auditor.demo.reader import Reader
from auditor.models import ROOT_USER_NAME

_USER_KEYS = {"name", "path", "groups", "console", "mfa", "access_keys", "attach", "inline", "tags"}
_ROLE_KEYS = {"name", "path", "description", "trust", "attach", "inline", "tags"}

_ROOT_RULES = {
    RuleId.ROOT_NO_MFA.value,
    RuleId.ROOT_NO_HARDWARE_MFA.value,
    RuleId.ROOT_ACCESS_KEYS.value,
    RuleId.ROOT_CREDENTIALS_PRESENT.value,
}
_USER_RULES = {
    RuleId.CONSOLE_USER_NO_MFA.value,
    RuleId.PRIVILEGED_MEMBER_NO_MFA.value,
    RuleId.PRIVILEGED_USER_NO_MFA_CONDITION.value,
    RuleId.ACCESS_KEY_PRIVILEGED_NO_MFA.value,
    RuleId.PRIVILEGED_USER_PHISHABLE_MFA.value,
}


def read_groups(reader: Reader, data: Any, policy_names: set[str]) -> tuple[DemoGroup, ...]:
    section = reader.mapping(data, "groups", None)
    groups = []
    for name, spec in section.items():
        key = f"groups.{name}"
        reader.name(name, key, 128)
        item = reader.mapping({} if spec is None else spec, key, {"path", "attach", "inline"})
        groups.append(
            DemoGroup(
                name=name,
                path=reader.path(item.get("path"), f"{key}.path"),
                attached=reader.attach(item.get("attach"), f"{key}.attach", policy_names),
                inline=reader.inline(item.get("inline"), f"{key}.inline"),
            )
        )
    return tuple(groups)


def read_users(
    reader: Reader, data: Any, policy_names: set[str], group_names: set[str]
) -> tuple[DemoUser, ...]:
    users: list[DemoUser] = []
    for index, spec in enumerate(reader.sequence(data, "users")):
        raw_name = spec.get("name") if isinstance(spec, dict) else None
        key = f"users[{index}]" + (f" ({raw_name})" if isinstance(raw_name, str) else "")
        item = reader.mapping(spec, key, _USER_KEYS, {"name", "console", "mfa"})
        name = reader.name(item["name"], f"{key}.name", 64)
        if any(user.name == name for user in users):
            raise reader.error(f"{key}.name", f"user {name!r} is declared twice")
        groups = tuple(reader.str_list(item.get("groups", []), f"{key}.groups"))
        for position, group in enumerate(groups):
            if group not in group_names:
                problem = f"{group!r} is not a group defined under groups"
                raise reader.error(f"{key}.groups[{position}]", problem)
            if groups.index(group) != position:
                raise reader.error(f"{key}.groups[{position}]", f"{group!r} is listed twice")
        kinds = str(item["mfa"]).split("+")
        if item["mfa"] != "none" and (
            not set(kinds) <= _MFA_KINDS or len(set(kinds)) != len(kinds)
        ):
            allowed = "none, or virtual, fido, hardware joined by + (virtual+fido)"
            raise reader.error(f"{key}.mfa", f"{item['mfa']!r} is not one of {allowed}")
        users.append(
            DemoUser(
                name=name,
                path=reader.path(item.get("path"), f"{key}.path"),
                groups=groups,
                console=reader.flag(item["console"], f"{key}.console"),
                virtual_mfa="virtual" in kinds,
                access_keys=reader.key_statuses(item.get("access_keys", []), f"{key}.access_keys"),
                attached=reader.attach(item.get("attach"), f"{key}.attach", policy_names),
                inline=reader.inline(item.get("inline"), f"{key}.inline"),
                tags=reader.tags(item.get("tags"), f"{key}.tags"),
                other_mfa=tuple(kind for kind in kinds if kind in ("fido", "hardware")),
            )
        )
    return tuple(users)


_MFA_KINDS = {"virtual", "fido", "hardware"}


def read_roles(reader: Reader, data: Any, policy_names: set[str]) -> tuple[DemoRole, ...]:
    roles: list[DemoRole] = []
    for index, spec in enumerate(reader.sequence(data, "roles")):
        raw_name = spec.get("name") if isinstance(spec, dict) else None
        key = f"roles[{index}]" + (f" ({raw_name})" if isinstance(raw_name, str) else "")
        item = reader.mapping(spec, key, _ROLE_KEYS, {"name", "trust"})
        name = reader.name(item["name"], f"{key}.name", 64)
        if any(role.name == name for role in roles):
            raise reader.error(f"{key}.name", f"role {name!r} is declared twice")
        roles.append(
            DemoRole(
                name=name,
                path=reader.path(item.get("path"), f"{key}.path"),
                description=reader.text(item.get("description", ""), f"{key}.description"),
                trust=reader.document(item["trust"], f"{key}.trust"),
                attached=reader.attach(item.get("attach"), f"{key}.attach", policy_names),
                inline=reader.inline(item.get("inline"), f"{key}.inline"),
                tags=reader.tags(item.get("tags"), f"{key}.tags"),
            )
        )
    return tuple(roles)


def read_gaps(reader: Reader, data: Any, account: DemoAccount) -> tuple[ExpectedGap, ...]:
    """The gaps the demo promises to show; each must name a principal of the right kind."""
    gaps: list[ExpectedGap] = []
    for index, spec in enumerate(reader.sequence(data, "expected_gaps")):
        key = f"expected_gaps[{index}]"
        item = reader.mapping(spec, key, {"rule", "principal", "group"}, {"rule", "principal"})
        rule = reader.text(item["rule"], f"{key}.rule")
        if rule not in RULE_IDS:
            raise reader.error(f"{key}.rule", f"{rule!r} is not a rule id")
        gap = ExpectedGap(
            rule_id=rule,
            principal=reader.text(item["principal"], f"{key}.principal"),
            group=reader.text(item.get("group", ""), f"{key}.group"),
        )
        problem = _principal_problem(gap, account)
        if problem:
            raise reader.error(key, problem)
        if gap in gaps:
            raise reader.error(key, "is listed twice (each gap is reported exactly once)")
        gaps.append(gap)
    return tuple(gaps)


def _principal_problem(gap: ExpectedGap, account: DemoAccount) -> str:
    """Why ``gap`` cannot be right for ``account``, or ``""``."""
    user = account.user(gap.principal)
    if gap.group and gap.rule_id != RuleId.PRIVILEGED_MEMBER_NO_MFA.value:
        return "only privileged_member_no_mfa names a group"
    if gap.rule_id in _ROOT_RULES:
        ok = gap.principal == ROOT_USER_NAME
        expected = ROOT_USER_NAME
    elif gap.rule_id in _USER_RULES:
        ok = user is not None and (not gap.group or gap.group in user.groups)
        expected = "a user (and, with group, one of that user's groups)"
    elif gap.rule_id == RuleId.PRIVILEGED_GROUP_NO_MFA_CONDITION.value:
        ok = any(group.name == gap.principal for group in account.groups)
        expected = "a group"
    elif gap.rule_id == RuleId.MFA_CONDITION_BYPASSABLE.value:
        ok = user is not None or any(group.name == gap.principal for group in account.groups)
        expected = "a group or a user"
    elif gap.rule_id == RuleId.ROLE_ASSUMABLE_WITHOUT_MFA.value:
        ok = any(role.name == gap.principal for role in account.roles)
        expected = "a role"
    elif gap.rule_id == RuleId.UNASSIGNED_MFA_DEVICE.value:
        serials = {account.mfa_serial(name) for name in account.unassigned_mfa_devices}
        ok = gap.principal in serials
        expected = "the serial of a device under unassigned_mfa_devices"
    else:  # exemption_expired
        ok = any(exemption.principal == gap.principal for exemption in account.exemptions)
        expected = "the principal of an exemption under exemptions"
    return "" if ok else f"{gap.rule_id} must name {expected}, not {gap.principal!r}"
