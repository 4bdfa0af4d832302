"""The sample company's YAML → a validated ``DemoAccount``.

Every problem is an ``InputError`` naming the file and the key (``sample_company.yaml:
users[3] (bob).groups: 'Admns' is not a group defined under groups``): the file is edited by hand,
and an error that surfaced later as a moto ``NoSuchEntity`` half-way through seeding would not say
which line to fix. Duplicate YAML keys are errors too, because PyYAML keeps the last one silently.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Hashable, Mapping
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from auditor.config import Exemption, parse_config
from auditor.demo.model import (
    DemoAccount,
    DemoPolicy,
    DemoRoot,
    RootMfa,
)
from auditor.demo.principals import read_gaps, read_groups, read_roles, read_users
from auditor.demo.reader import Reader
from auditor.errors import ConfigError, InputError, escape_controls

DEMO_DATA = Path(__file__).with_name("sample_company.yaml")

_TOP_KEYS = {
    "account",
    "root",
    "policies",
    "groups",
    "users",
    "roles",
    "unassigned_mfa_devices",
    "exemptions",
    "expected_gaps",
}
_PASSWORD_POLICY_KEYS = {
    "MinimumPasswordLength": int,
    "RequireSymbols": bool,
    "RequireNumbers": bool,
    "RequireUppercaseCharacters": bool,
    "RequireLowercaseCharacters": bool,
    "AllowUsersToChangePassword": bool,
    "MaxPasswordAge": int,
    "PasswordReusePrevention": int,
    "HardExpiry": bool,
}
_ALIAS = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$")
_DEVICE_NAME = re.compile(r"^[\w+=,.@-]{1,226}$")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate mapping keys instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                break  # SafeLoader's own construct_mapping reports unhashable keys
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_demo_data(path: Path = DEMO_DATA) -> DemoAccount:
    """Read and validate the sample company; raises ``InputError`` naming the file and key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(
            escape_controls(f"{path}: cannot read demo data: {error.strerror or error}")
        ) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise InputError(escape_controls(f"{path}: not valid YAML{where}: {problem}")) from None
    return parse_demo_data(data, str(path))


def parse_demo_data(data: Any, origin: str) -> DemoAccount:
    """Validate decoded YAML; ``origin`` names the file in every error."""
    reader = Reader(origin)
    top = reader.mapping(data, "<top level>", _TOP_KEYS, required=_TOP_KEYS - {"exemptions"})
    account = reader.mapping(
        top["account"], "account", {"id", "alias", "password_policy"}, required={"id"}
    )
    account_id = str(account["id"])
    if not re.fullmatch(r"\d{12}", account_id):
        raise reader.error("account.id", f"{account_id!r} is not a 12-digit account id")
    alias = account.get("alias")
    if alias is not None and not (isinstance(alias, str) and _ALIAS.match(alias)):
        raise reader.error("account.alias", f"{alias!r} is not a valid account alias")
    policies = _policies(reader, top["policies"])
    groups = read_groups(reader, top["groups"], {p.name for p in policies})
    users = read_users(reader, top["users"], {p.name for p in policies}, {g.name for g in groups})
    roles = read_roles(reader, top["roles"], {p.name for p in policies})
    devices = tuple(reader.str_list(top["unassigned_mfa_devices"], "unassigned_mfa_devices"))
    for index, device in enumerate(devices):
        if not _DEVICE_NAME.match(device):
            raise reader.error(f"unassigned_mfa_devices[{index}]", f"{device!r} is not valid")
    account_data = DemoAccount(
        origin=origin,
        account_id=account_id,
        alias=alias,
        password_policy=_password_policy(reader, account.get("password_policy")),
        root=_root(reader, top["root"], account_id),
        policies=policies,
        groups=groups,
        users=users,
        roles=roles,
        unassigned_mfa_devices=devices,
        exemptions=_exemptions(reader, top.get("exemptions") or []),
    )
    _check_device_names(reader, account_data)
    gaps = read_gaps(reader, top["expected_gaps"], account_data)
    return dataclasses.replace(account_data, expected_gaps=gaps)


def _policies(reader: Reader, data: Any) -> tuple[DemoPolicy, ...]:
    section = reader.mapping(data, "policies", None)
    policies = []
    for name, spec in section.items():
        key = f"policies.{name}"
        reader.name(name, key, 128)
        item = reader.mapping(spec, key, {"description", "path", "document"}, {"document"})
        policies.append(
            DemoPolicy(
                name=name,
                path=reader.path(item.get("path"), f"{key}.path"),
                description=reader.text(item.get("description", ""), f"{key}.description"),
                document=reader.document(item["document"], f"{key}.document"),
            )
        )
    return tuple(policies)


def _password_policy(reader: Reader, data: Any) -> Mapping[str, Any] | None:
    if data is None:
        return None
    section = reader.mapping(data, "account.password_policy", set(_PASSWORD_POLICY_KEYS))
    for name, value in section.items():
        expected = _PASSWORD_POLICY_KEYS[name]
        if type(value) is not expected:
            problem = f"must be {'true or false' if expected is bool else 'a whole number'}"
            raise reader.error(f"account.password_policy.{name}", problem)
    return dict(section)


def _root(reader: Reader, data: Any, account_id: str) -> DemoRoot:
    keys = {"created", "mfa", "mfa_serial", "mfa_enabled", "password_last_used", "access_keys"}
    root = reader.mapping(data, "root", keys, required={"created", "mfa"})
    try:
        mfa = RootMfa(root["mfa"])
    except ValueError:
        allowed = ", ".join(m.value for m in RootMfa)
        raise reader.error("root.mfa", f"{root['mfa']!r} is not one of {allowed}") from None
    serial = root.get("mfa_serial")
    if mfa is RootMfa.VIRTUAL:
        prefix = f"arn:aws:iam::{account_id}:mfa/"
        if not (
            isinstance(serial, str) and serial.startswith(prefix) and len(serial) > len(prefix)
        ):
            raise reader.error("root.mfa_serial", f"a virtual device needs a serial {prefix}<name>")
    elif serial is not None:
        raise reader.error("root.mfa_serial", f"only a virtual device has a serial (mfa: {mfa})")
    enabled = _moment(reader, root.get("mfa_enabled"), "root.mfa_enabled")
    if mfa is RootMfa.NONE and enabled is not None:
        raise reader.error("root.mfa_enabled", "root has no MFA device (mfa: none)")
    return DemoRoot(
        created=_required_moment(reader, root["created"], "root.created"),
        mfa=mfa,
        mfa_serial=serial,
        mfa_enabled=enabled,
        password_last_used=_moment(
            reader, root.get("password_last_used"), "root.password_last_used"
        ),
        access_keys=reader.key_statuses(root.get("access_keys", []), "root.access_keys"),
    )


def _required_moment(reader: Reader, value: Any, key: str) -> datetime:
    moment = _moment(reader, value, key)
    if moment is None:
        raise reader.error(key, "is required")
    return moment


def _moment(reader: Reader, value: Any, key: str) -> datetime | None:
    """A YAML timestamp (``2021-06-02T16:40:00Z``) or date, as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise reader.error(key, f"{value!r} is not an ISO-8601 timestamp") from None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    raise reader.error(key, f"must be a timestamp, got {type(value).__name__}")


def _exemptions(reader: Reader, data: Any) -> tuple[Exemption, ...]:
    """Validated by the config loader itself, so the demo's entries mean what a config's do."""
    try:
        config = parse_config({"exemptions": data}, reader.origin)
    except ConfigError as error:
        raise InputError(error.message) from None
    if config.invalid_exemptions:
        raise InputError(escape_controls(f"{reader.origin}: {config.invalid_exemptions[0]}"))
    return config.exemptions


def _check_device_names(reader: Reader, account: DemoAccount) -> None:
    """Users' devices are named after them; a clash would make seeding fail in moto."""
    taken = {user.name for user in account.users if user.virtual_mfa}
    if account.root.mfa_serial:
        taken.add(account.root.mfa_serial.rsplit("/", 1)[-1])
    for index, device in enumerate(account.unassigned_mfa_devices):
        if device in taken:
            raise reader.error(f"unassigned_mfa_devices[{index}]", f"{device!r} is already used")
        taken.add(device)
