"""CLI conventions security teams expect (AWS CLI / Prowler habits), one test per defect found
when the tool was tried as a new user would: formats, stdout JSON, -q/-v, -V, --fail-on none,
--log-level, completion, help placeholders, one-line errors, feature permissions."""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor import cli
from auditor.cli import audit as cli_audit
from auditor.cli import reporting as cli_reporting
from auditor.collector.guard import ALLOWED_OPERATIONS
from auditor.collector.permissions import FEATURE_ACTIONS, Feature
from auditor.collector.security_hub import SECURITY_HUB_ALLOWED, FailedImport, ImportResult
from auditor.exit_codes import ExitCode
from auditor.org.guard import ORG_OPERATIONS
from auditor.snapshot_io import load_snapshot
from tests.collector.test_cli_export_import import devices_data, export_data, write
from tests.support.credential_rows import report_csv, report_row

runner = CliRunner()
ASSET = Path(__file__).resolve().parents[1] / "assets" / "demo_snapshot.json"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ")


def test_format_json_to_stdout_writes_only_the_findings_json(tmp_path: Path) -> None:
    result = runner.invoke(
        cli.app, ["report", str(ASSET), "--format", "json", "--out", "-"], catch_exceptions=False
    )
    assert result.exit_code == ExitCode.FINDINGS, result.stderr
    document = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert document["schema_version"] == 1
    assert document["findings"]
    assert not Path("-").exists()
    assert "open finding(s)" in result.stderr  # the summary stays on stderr


def test_out_dash_with_another_format_is_refused_before_work() -> None:
    result = runner.invoke(cli.app, ["report", str(ASSET), "--out", "-"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "--out - writes the findings JSON to stdout" in result.stderr
    assert result.stdout == ""


def test_format_list_writes_the_chosen_files(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["report", str(ASSET), "--format", "ocsf,asff", "--out", str(out)]
    result = runner.invoke(cli.app, args)
    assert result.exit_code == ExitCode.FINDINGS, result.output
    written = ["findings.ocsf.json", "findings.asff.json", "snapshot.json"]
    assert sorted(p.name for p in out.iterdir()) == sorted(written)
    assert result.stdout.split() == [str(out / name) for name in written]
    bad = runner.invoke(cli.app, ["report", str(ASSET), "--format", "html,pdf"])
    assert bad.exit_code == ExitCode.USAGE_ERROR
    assert "'pdf' is not a report format" in bad.stderr


def test_collect_into_an_existing_folder_fails_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("collected although --out is a folder")

    monkeypatch.setattr(cli_audit, "collect_live", never)
    result = runner.invoke(cli.app, ["collect", "--out", str(tmp_path)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: --out {tmp_path} is a folder")
    assert "Hint: give a file name" in line


def test_check_policy_on_a_json_string_says_it_is_not_a_policy(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('"s"', encoding="utf-8")
    result = runner.invoke(cli.app, ["check-policy", str(path)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert f"Error: {path} holds a JSON string, not a policy object" in result.stderr
    assert "not valid JSON" not in result.stderr


ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
ADMIN_WITH_MFA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        }
    ],
}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_check_policy_exits_3_on_a_gap_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "admin.json"
    path.write_text(json.dumps(ADMIN), encoding="utf-8")
    result = runner.invoke(cli.app, ["check-policy", "--format", fmt, str(path)])
    assert result.exit_code == ExitCode.FINDINGS
    if fmt in ("json", "sarif"):
        json.loads(result.stdout)


def test_explain_exit_code_is_its_verdict(tmp_path: Path) -> None:
    """IAM User Guide, "AWS global condition context keys": aws:MultiFactorAuthPresent with Bool
    true requires MFA; without a condition the action is allowed without MFA (exit 3)."""
    plain, guarded = tmp_path / "plain.json", tmp_path / "mfa.json"
    plain.write_text(json.dumps(ADMIN), encoding="utf-8")
    guarded.write_text(json.dumps(ADMIN_WITH_MFA), encoding="utf-8")
    allowed = runner.invoke(cli.app, ["explain", "-p", str(plain), "-a", "iam:CreateUser"])
    assert allowed.exit_code == ExitCode.FINDINGS, allowed.output
    required = runner.invoke(cli.app, ["explain", "-p", str(guarded), "-a", "iam:CreateUser"])
    assert required.exit_code == ExitCode.CLEAN, required.output


def test_aws_cli_credential_report_json_is_decoded(tmp_path: Path) -> None:
    """IAM API Reference, "GetCredentialReport": Content is the base64-encoded CSV."""
    details = write(tmp_path / "auth.json", json.dumps(export_data()))
    users = [u["UserName"] for u in export_data()["UserDetailList"]]
    csv = report_csv(report_row("<root_account>"), *(report_row(name) for name in users))
    cli_output = {
        "Content": base64.b64encode(csv.encode("utf-8")).decode("ascii"),
        "ReportFormat": "text/csv",
        "GeneratedTime": "2026-11-20T10:00:00Z",
    }
    report = write(tmp_path / "report.json", json.dumps(cli_output))
    devices = write(tmp_path / "mfa.json", json.dumps(devices_data()))
    out = tmp_path / "out"
    args = ["report", "--aws-cli-export", str(details), "--credential-report", str(report),
            "--virtual-mfa-devices", str(devices), "--out", str(out)]  # fmt: skip
    result = runner.invoke(cli.app, args)
    assert result.exit_code in (ExitCode.CLEAN, ExitCode.FINDINGS), result.output
    run = json.loads((out / "findings.json").read_text(encoding="utf-8"))["run"]
    assert run["complete"] is True
    assert run["credential_report_generated_at"] == "2026-11-20T10:00:00Z"
    broken = write(tmp_path / "bad.json", json.dumps({"ReportFormat": "text/csv"}))
    args[4] = str(broken)
    refused = runner.invoke(cli.app, args)
    assert refused.exit_code == ExitCode.USAGE_ERROR
    assert "not a get-credential-report output" in refused.stderr


def test_every_unknown_config_key_is_reported_at_once(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("exemptoins: []\naws:\n  profle: x\nfail_on: high\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["report", str(ASSET), "--config", str(config)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    (line,) = result.stderr.splitlines()
    assert "exemptoins: unknown key" in line
    assert "aws.profle: unknown key" in line


def test_quiet_prints_nothing_and_the_exit_code_speaks(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["report", str(ASSET), "--out", str(tmp_path), "-q"])
    assert result.exit_code == ExitCode.FINDINGS
    assert (result.stdout, result.stderr) == ("", "")
    failed = runner.invoke(cli.app, ["report", str(tmp_path / "none.json"), "-q"])
    assert failed.exit_code == ExitCode.USAGE_ERROR
    assert failed.stderr.startswith("Error: ")  # errors still print


def test_verbose_progress_lines_carry_timestamps(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["report", str(ASSET), "--out", str(tmp_path), "-v"])
    progress = [line for line in result.stderr.splitlines() if "… " in line]
    assert progress
    assert all(TIMESTAMP.match(line) for line in progress)


def test_version_is_an_option_only() -> None:
    for flag in ("-V", "--version"):
        result = runner.invoke(cli.app, [flag])
        assert result.exit_code == 0
        assert re.fullmatch(r"\d+\.\d+\.\d+\S*\n", result.stdout)
    assert runner.invoke(cli.app, ["version"]).exit_code == ExitCode.USAGE_ERROR


def test_completion_is_offered() -> None:
    result = runner.invoke(cli.app, ["--help"])
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_fail_on_none_never_exits_3(tmp_path: Path) -> None:
    result = runner.invoke(
        cli.app, ["report", str(ASSET), "--out", str(tmp_path), "--fail-on", "none"]
    )
    assert result.exit_code == ExitCode.CLEAN, result.output


def test_log_level_sets_the_logging_threshold(tmp_path: Path) -> None:
    result = runner.invoke(
        cli.app, ["--log-level", "debug", "report", str(ASSET), "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == ExitCode.FINDINGS
    assert logging.getLogger().level == logging.DEBUG
    runner.invoke(cli.app, ["--log-level", "warning", "rules"])
    assert logging.getLogger().level == logging.WARNING
    assert runner.invoke(cli.app, ["--log-level", "loud", "rules"]).exit_code == 2


PLACEHOLDERS = ("<bool>", "<list[", "<str>", "<path>", "{files}")


def test_help_has_no_type_placeholders() -> None:
    names = ["--help"] + [
        f"{c.name or c.callback.__name__.replace('_', '-')}"
        for c in cli.app.registered_commands
        if c.callback is not None
    ]
    for name in names:
        args = [name] if name == "--help" else [name, "--help"]
        result = runner.invoke(cli.app, args, terminal_width=200)
        assert result.exit_code == 0
        found = [p for p in PLACEHOLDERS if p in result.stdout]
        assert not found, f"`{' '.join(args)}` shows {found}"


def test_permissions_per_feature() -> None:
    base = json.loads(runner.invoke(cli.app, ["permissions"]).stdout)
    full = json.loads(
        runner.invoke(
            cli.app,
            ["permissions", "--org", "--identity-center", "--cloudtrail", "--security-hub"],
        ).stdout
    )

    def actions(policy: dict[str, list[dict[str, list[str]]]]) -> set[str]:
        return {a for statement in policy["Statement"] for a in statement["Action"]}

    assert "securityhub:BatchImportFindings" not in actions(base)
    assert "organizations:ListAccounts" not in actions(base)
    # Identity Center and sign-in reads run by default, so the base policy already grants them
    # (the guard allows them on every audit); only org and Security Hub add statements.
    assert actions(full) - actions(base) == {
        a for f in (Feature.ORG, Feature.SECURITY_HUB) for a in FEATURE_ACTIONS[f][1]
    }
    assert set(FEATURE_ACTIONS[Feature.IDENTITY_CENTER][1]) <= actions(base)
    assert set(FEATURE_ACTIONS[Feature.CLOUDTRAIL][1]) <= actions(base)
    assert len(full["Statement"]) == len(base["Statement"]) + 2
    # Where this tool's guards already carry the feature's calls, the table matches them.
    assert set(FEATURE_ACTIONS[Feature.SECURITY_HUB][1]) == SECURITY_HUB_ALLOWED
    assert set(FEATURE_ACTIONS[Feature.ORG][1]) == ORG_OPERATIONS - ALLOWED_OPERATIONS
    assert "sso:ListInstances" in FEATURE_ACTIONS[Feature.IDENTITY_CENTER][1]
    assert "cloudtrail:LookupEvents" in FEATURE_ACTIONS[Feature.CLOUDTRAIL][1]


def test_security_hub_failures_make_the_scan_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = load_snapshot(ASSET)
    monkeypatch.setattr(cli_audit, "collect_live", lambda *_a, **_k: snapshot)
    failed = ImportResult(2, 99, (FailedImport("mfa-auditor/x", "InvalidInput: bad"),))
    monkeypatch.setattr(cli_reporting, "import_to_security_hub", lambda *_a, **_k: failed)
    result = runner.invoke(cli.app, ["scan", "--security-hub", "--format", "json", "--out", "-"])
    assert result.exit_code == ExitCode.TOOL_ERROR
    assert "Error: Security Hub import: mfa-auditor/x: InvalidInput: bad" in result.stderr
    ok = dataclasses.replace(failed, failures=())
    monkeypatch.setattr(cli_reporting, "import_to_security_hub", lambda *_a, **_k: ok)
    result = runner.invoke(cli.app, ["scan", "--security-hub", "--format", "json", "--out", "-"])
    assert result.exit_code == ExitCode.FINDINGS
    refused = runner.invoke(cli.app, ["scan", "--demo", "--security-hub"])
    assert refused.exit_code == ExitCode.USAGE_ERROR
