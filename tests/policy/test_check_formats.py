"""``check-policy`` outputs from one ``CheckReport``: text, JSON, SARIF 2.1.0 and JUnit XML.

SARIF is validated against OASIS's official 2.1.0 JSON schema, read from ``shared/schemas/``
beside the repository (where CI lays a copy of shared/; ``MFA_AUDITOR_SHARED`` names another
folder, e.g. for a git worktree); the test skips, naming the path, only when it is absent.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from auditor.errors import InputError
from auditor.exit_codes import ExitCode
from auditor.policy import PolicyEngine
from auditor.policy.check import check_policy_files, load_policy_file
from auditor.policy.check_output import CheckFormat, check_json, render_check, text_lines
from auditor.policy.lint_rules import LINT_RULES
from auditor.policy.locate import locate_statements
from auditor.policy.sarif import sarif_document

from .conftest import ADMIN, AWS_SELF_MANAGE_CREDENTIALS

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MFA_AUDITOR_SHARED") or REPO.parent / "shared")
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"

# Two statements on known lines: the Allow of every action sits on line 9.
GAP_TEXT = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadOnly",
      "Effect": "Allow",
      "Action": "iam:Get*",
      "Resource": "*"
    },
    {
      "Sid": "Admin",
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}
"""


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_locate_statements_lines_and_sids() -> None:
    (document,) = locate_statements(GAP_TEXT)
    assert [(s.index, s.sid, s.line) for s in document.statements] == [
        (0, "ReadOnly", 4),
        (1, "Admin", 10),
    ]
    assert document.line_of("Admin") == 10
    assert document.line_of("#7") == 1


def test_locate_statements_in_a_list_and_a_single_statement_object() -> None:
    text = '[\n{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}},\n' + (
        '{"Statement": [\n{"Effect": "Deny", "Action": "*", "Resource": "*"}]}]'
    )
    first, second = locate_statements(text)
    assert [(s.label, s.line) for s in first.statements] == [("#0", 2)]
    assert [(s.label, s.line) for s in second.statements] == [("#0", 4)]


def test_string_file_is_not_a_policy_object(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", '"s"')
    with pytest.raises(InputError) as raised:
        load_policy_file(path)
    assert raised.value.message == f"{path} holds a JSON string, not a policy object"
    assert "not valid JSON" not in str(raised.value)
    assert raised.value.hint is not None


def test_text_names_the_file_once(tmp_path: Path, engine: PolicyEngine) -> None:
    path = write(tmp_path, "admin.json", ADMIN)
    report = check_policy_files([path], engine)
    (line,) = text_lines(report)
    assert line.startswith(f"{path} / #0: error: ")
    assert line.count("admin.json") == 1
    listed = write(tmp_path, "set.json", [ADMIN, AWS_SELF_MANAGE_CREDENTIALS])
    lines = text_lines(check_policy_files([listed], engine))
    assert lines
    assert all(entry.count("set.json") == 1 for entry in lines)


def test_every_problem_rule_is_registered(tmp_path: Path, engine: PolicyEngine) -> None:
    path = write(tmp_path, "gap.json", GAP_TEXT)
    report = check_policy_files(
        [path, write(tmp_path, "aws.json", AWS_SELF_MANAGE_CREDENTIALS)], engine
    )
    assert report.problems
    assert {problem.rule for _, problem in report.problems} <= set(LINT_RULES)


@pytest.fixture
def gap_report(tmp_path: Path, engine: PolicyEngine) -> Any:
    return check_policy_files([write(tmp_path, "gap.json", GAP_TEXT)], engine)


def test_sarif_points_at_the_statement_line(gap_report: Any, tmp_path: Path) -> None:
    document = sarif_document(gap_report, base=tmp_path)
    (run,) = document["runs"]
    blocking = [r for r in run["results"] if r["level"] == "error"]
    assert len(blocking) == gap_report.blocking == 1
    location = blocking[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "gap.json"
    assert location["region"]["startLine"] == 10
    assert blocking[0]["ruleId"] == "mfa-not-enforced"
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["mfa-not-enforced"]["help"]["text"]
    assert run["tool"]["driver"]["rules"][blocking[0]["ruleIndex"]]["id"] == "mfa-not-enforced"


def test_sarif_validates_against_the_official_schema(
    gap_report: Any, tmp_path: Path, engine: PolicyEngine
) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (shared/ beside the repo)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    broken = write(tmp_path, "broken.json", "{")
    with_error = check_policy_files([tmp_path / "gap.json", broken], engine)
    for report in (gap_report, with_error):
        text = render_check(report, CheckFormat.SARIF, base=tmp_path)
        jsonschema.validate(json.loads(text), schema)
    assert with_error.exit_code == ExitCode.USAGE_ERROR


def test_junit_counts_the_gaps(gap_report: Any, tmp_path: Path, engine: PolicyEngine) -> None:
    clean = write(tmp_path, "aws.json", AWS_SELF_MANAGE_CREDENTIALS)
    broken = write(tmp_path, "broken.json", '"s"')
    report = check_policy_files([tmp_path / "gap.json", clean, broken], engine)
    xml = render_check(report, CheckFormat.JUNIT).encode("utf-8")
    root = ET.fromstring(xml)  # noqa: S314 - our own output, not untrusted input
    assert root.tag == "testsuites"
    assert int(root.get("failures", "-1")) == report.blocking == 1
    assert int(root.get("errors", "-1")) == 1
    failures = root.findall(".//failure")
    assert len(failures) == 1
    assert failures[0].get("type") == "mfa-not-enforced"
    assert "line 10" in (failures[0].text or "")
    assert [suite.get("name") for suite in root.findall("testsuite")] == [
        str(tmp_path / "gap.json"),
        str(clean),
        str(broken),
    ]
    assert int(root.get("tests", "0")) == sum(
        int(suite.get("tests", "0")) for suite in root.findall("testsuite")
    )


def test_json_output_and_exit_code_agree(gap_report: Any) -> None:
    document = check_json(gap_report)
    assert document["summary"]["exit_code"] == ExitCode.FINDINGS == gap_report.exit_code
    assert [p["line"] for p in document["problems"] if p["blocking"]] == [10]
    assert json.loads(render_check(gap_report, CheckFormat.JSON)) == document
