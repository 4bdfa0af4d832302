"""A broken data file gives one line naming the file and the key, never a traceback later."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.demo import load_demo_data, parse_demo_data
from auditor.errors import InputError

Change = Callable[[dict[str, Any]], None]


def user(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(u for u in data["users"] if u["name"] == name)


def gap_index(data: dict[str, Any], rule: str) -> int:
    return next(i for i, g in enumerate(data["expected_gaps"]) if g["rule"] == rule)


CASES: list[tuple[str, Change, str]] = [
    ("unknown top key", lambda d: d.update(userz=[]), "userz: unknown key"),
    ("missing section", lambda d: d.pop("roles"), "roles: is required"),
    ("bad account id", lambda d: d["account"].update(id="12345"), "account.id: '12345' is not"),
    (
        "password policy type",
        lambda d: d["account"]["password_policy"].update(MinimumPasswordLength="14"),
        "account.password_policy.MinimumPasswordLength: must be a whole number",
    ),
    (
        "unknown group",
        lambda d: user(d, "james.okafor").update(groups=["Admns"]),
        "users[1] (james.okafor).groups[0]: 'Admns' is not a group",
    ),
    (
        "bad mfa value",
        lambda d: user(d, "maria.garcia").update(mfa="yes"),
        "users[0] (maria.garcia).mfa: 'yes' is not one of none, or virtual, fido, hardware",
    ),
    (
        "missing mfa",
        lambda d: user(d, "maria.garcia").pop("mfa"),
        "users[0] (maria.garcia).mfa: is required",
    ),
    (
        "console not a flag",
        lambda d: user(d, "maria.garcia").update(console="yes"),
        "users[0] (maria.garcia).console: must be true or false",
    ),
    (
        "three access keys",
        lambda d: user(d, "svc-terraform").update(access_keys=["active"] * 3),
        "(svc-terraform).access_keys: IAM allows at most two",
    ),
    (
        "tag characters",
        lambda d: user(d, "henry.adams")["tags"].update(company="Kessler & Partners"),
        "(henry.adams).tags.company: 'Kessler & Partners' has characters IAM tags refuse",
    ),
    (
        "duplicate user",
        lambda d: d["users"].append(dict(user(d, "maria.garcia"))),
        "(maria.garcia).name: user 'maria.garcia' is declared twice",
    ),
    (
        "unknown policy",
        lambda d: d["groups"]["Deployers"].update(attach=["DeployWithMfa"]),
        "groups.Deployers.attach[0]: 'DeployWithMfa' is neither an AWS-managed policy ARN",
    ),
    (
        "statement without effect",
        lambda d: d["policies"]["DeployWithMFA"]["document"]["Statement"][0].pop("Effect"),
        "policies.DeployWithMFA.document.Statement[0].Effect: is required",
    ),
    (
        "trust policy with both Action and NotAction",
        lambda d: d["roles"][0]["trust"]["Statement"][0].update(NotAction="sts:TagSession"),
        "roles[0] (PlatformAdminRole).trust.Statement[0]: needs exactly one of Action",
    ),
    (
        "virtual root device without serial",
        lambda d: d["root"].pop("mfa_serial"),
        "root.mfa_serial: a virtual device needs a serial arn:aws:iam::123456789012:mfa/",
    ),
    (
        "exemption without reason",
        lambda d: d["exemptions"][0].pop("reason"),
        "exemptions[0]: missing reason",
    ),
    (
        "unknown rule id",
        lambda d: d["expected_gaps"][0].update(rule="root_without_mfa"),
        "expected_gaps[0].rule: 'root_without_mfa' is not a rule id",
    ),
    (
        "gap naming a principal that does not exist",
        lambda d: d["expected_gaps"][gap_index(d, "privileged_group_no_mfa_condition")].update(
            principal="Admin"
        ),
        "privileged_group_no_mfa_condition must name a group, not 'Admin'",
    ),
    (
        "member gap naming a group the user is not in",
        lambda d: d["expected_gaps"][gap_index(d, "privileged_member_no_mfa")].update(
            group="IAMAdmins"
        ),
        "privileged_member_no_mfa must name a user (and, with group, one of that user's groups)",
    ),
    (
        "duplicate gap",
        lambda d: d["expected_gaps"].append(dict(d["expected_gaps"][0])),
        "is listed twice (each gap is reported exactly once)",
    ),
    (
        "device name clash",
        lambda d: d["unassigned_mfa_devices"].append("maria.garcia"),
        "unassigned_mfa_devices[1]: 'maria.garcia' is already used",
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_data_names_the_file_and_the_key(
    write_variant: Callable[..., Path], change: Change, expected: str
) -> None:
    path = write_variant(change)
    with pytest.raises(InputError) as raised:
        load_demo_data(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["account"]["password_policy"].update({"Max\nAge": 90}),
            "account.password_policy.Max\\nAge: unknown key",
        ),
        (lambda d: d["groups"].update({"Ad\nmins": {}}), "groups.Ad\\nmins: 'Ad\\nmins' is not"),
        (lambda d: d["exemptions"][0].update({"own\ner": "me"}), "unknown key(s) own\\ner"),
        (lambda d: d.update({"users\u2028": []}), "users\\u2028: unknown key"),
    ],
    ids=["unknown key", "bad name", "exemption key", "line separator"],
)
def test_a_key_with_a_line_break_is_escaped_in_the_one_line_message(
    write_variant: Callable[..., Path], change: Change, expected: str
) -> None:
    """Regression: hypothesis once put ``\\n`` in a key and the message spanned two lines. The
    key is shown escaped, as the file spells it, not folded into a space."""
    path = write_variant(change)
    with pytest.raises(InputError) as raised:
        load_demo_data(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert len(message.splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("account: {id: '123456789012'}\naccount: {}\n", "(line 2): duplicate key 'account'"),
        ("users: [\n  {name: a\n", "not valid YAML (line 3)"),
        ("- just\n- a list\n", "<top level>: must be a mapping, got list"),
        ("", "<top level>: must be a mapping, got nothing"),
        ("? [a, b]\n: c\n", "(line 1): found unhashable key"),
    ],
)
def test_unreadable_yaml_names_the_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "company.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_demo_data(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert expected in str(raised.value)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(InputError, match="cannot read demo data"):
        load_demo_data(path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
PLACES = [
    ("account", "id"),
    ("account", "alias"),
    ("account", "password_policy"),
    ("root", "mfa"),
    ("root", "created"),
    ("root", "access_keys"),
    ("users", 0, "groups"),
    ("users", 0, "tags"),
    ("users", 0, "inline"),
    ("users", 5, "access_keys"),
    ("users", 7, "attach"),
    ("groups", "Admins"),
    ("policies", "DeployWithMFA", "document"),
    ("policies", "DeployWithMFA", "document", "Statement"),
    ("roles", 0, "trust"),
    ("roles", 0, "path"),
    ("unassigned_mfa_devices",),
    ("exemptions", 0, "expires"),
    ("expected_gaps", 0),
    ("expected_gaps", 0, "group"),
]


@settings(max_examples=100, deadline=None)
@given(place=st.sampled_from(PLACES), value=JSON_VALUES)
def test_any_value_anywhere_is_accepted_or_an_input_error(
    raw_demo: dict[str, Any], place: tuple[Any, ...], value: Any
) -> None:
    """Whatever a hand edit puts at these keys, loading never fails with anything else."""
    data = copy.deepcopy(raw_demo)
    target = data
    for step in place[:-1]:
        target = target[step]
    target[place[-1]] = value
    message = ""
    try:
        parse_demo_data(data, "company.yaml")
    except InputError as error:
        message = str(error)
    if message:
        assert message.startswith("company.yaml: ")
        assert "\n" not in message
