"""``mfa-auditor rules`` through typer's runner: the registry as people and tools read it."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from auditor.analyzer import RULES
from auditor.cli.rules import register


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def version() -> None:  # a second command, so typer keeps "rules" as a subcommand
        """Print nothing."""

    return app


def test_rules_lists_every_rule_with_severity_and_mapping() -> None:
    result = CliRunner().invoke(_app(), ["rules"])
    assert result.exit_code == 0, result.output
    for spec in RULES:
        assert f"{spec.id}  [{spec.severity.value}]  {spec.title}" in result.output
    assert "CIS AWS Foundations Benchmark 5.0.0 1.9" in result.output
    assert "AWS Security Hub CSPM consolidated controls IAM.9" in result.output
    assert "maps to: nothing" in result.output  # rules without a control say so


def test_rules_json_is_the_full_metadata() -> None:
    result = CliRunner().invoke(_app(), ["rules", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [item["id"] for item in data] == [spec.id for spec in RULES]
    root = next(item for item in data if item["id"] == "root_no_mfa")
    assert root["severity"] == "critical"
    assert root["depends_on"] == ["credential_report", "root_credentials"]
    keys = {ref["key"] for ref in root["references"]}
    assert "CIS AWS Foundations Benchmark 3.0.0 1.5" in keys
    group_rule = next(i for i in data if i["id"] == "privileged_group_no_mfa_condition")
    policy = json.loads(group_rule["remediation_policy"])
    assert policy["Statement"][0]["Condition"] == {
        "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}
    }


def test_rules_help_describes_the_command() -> None:
    result = CliRunner().invoke(_app(), ["rules", "--help"])
    assert result.exit_code == 0
    assert "--json" in result.output
    assert "List every rule" in result.output
