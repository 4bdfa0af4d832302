"""The documented interfaces cannot drift from the code: CSV columns, exit codes, commands."""

from __future__ import annotations

import re
from pathlib import Path

from auditor import cli
from auditor.exit_codes import ExitCode
from auditor.reporter import (
    FINDINGS_CSV_COLUMNS,
    GROUPS_CSV_COLUMNS,
    PRINCIPALS_CSV_COLUMNS,
    USERS_CSV_COLUMNS,
)

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REPORTS_DOC = (ROOT / "auditor" / "reporter" / "README.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start : end if end != -1 else None]


def test_every_csv_column_is_documented_in_its_table() -> None:
    for heading, columns in (
        ("### findings.csv", FINDINGS_CSV_COLUMNS),
        ("### principals.csv", PRINCIPALS_CSV_COLUMNS),
        ("### users.csv", USERS_CSV_COLUMNS),
        ("### groups.csv", GROUPS_CSV_COLUMNS),
    ):
        documented = set(re.findall(r"`([a-z0-9_]+)`", _section(REPORTS_DOC, heading)))
        missing = [c for c in columns if c not in documented]
        assert not missing, f"{heading}: columns missing from auditor/reporter/README.md: {missing}"


def test_exit_codes_table_matches_the_code() -> None:
    table = _section(README, "## Exit codes")
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)}
    defined = {v for k, v in vars(ExitCode).items() if k.isupper()}
    assert documented == defined


def test_every_command_is_in_the_readme() -> None:
    table = _section(README, "## Commands")
    for command in cli.app.registered_commands:
        assert command.callback is not None
        name = command.name or command.callback.__name__.replace("_", "-")
        if name == "version":
            continue
        assert f"`{name}" in table, f"command {name} is not in the README's Commands table"


def test_readme_shows_the_shipped_least_privilege_policy() -> None:
    import json

    from auditor.collector import ALLOWED_OPERATIONS, REQUIRED_IAM_POLICY
    from auditor.collector.permissions import least_privilege_policy

    block = README.split("(`auditor/collector/permissions.py`):\n\n```json\n", 1)[1]
    assert json.loads(block.split("\n```", 1)[0]) == least_privilege_policy()
    granted = {a for s in REQUIRED_IAM_POLICY["Statement"] for a in s["Action"]}
    # Every guarded read except GetCallerIdentity (which needs no permission) is granted, and
    # the policy grants nothing the guard would refuse to send.
    assert granted == set(ALLOWED_OPERATIONS) - {"sts:GetCallerIdentity"}


def test_rules_table_matches_the_registry() -> None:
    from auditor.analyzer import RULES

    table = _section(README, "## Rules")
    documented = re.findall(r"^\| `([a-z_]+)` \| ([a-z]+) \| ([^|]+) \|", table, re.MULTILINE)
    assert [(rule_id, severity, title.strip()) for rule_id, severity, title in documented] == [
        (rule.id, rule.severity.value, rule.title) for rule in RULES
    ], "README's rules table drifted from `mfa-auditor rules`; update the table"


def test_readme_describes_the_demo_company_as_it_is() -> None:
    from auditor.demo import load_demo_data

    demo = load_demo_data()
    assert f"{len(demo.users)} users, {len(demo.groups)} groups, {len(demo.roles)} roles" in README
