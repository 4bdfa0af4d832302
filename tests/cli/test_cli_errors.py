"""The CLI's contract: every command has help; errors are one line with the right exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor import cli
from auditor.cli import audit as cli_audit
from auditor.errors import AccessDeniedError
from auditor.exit_codes import ExitCode

runner = CliRunner()


def test_every_command_has_help() -> None:
    commands = cli.app.registered_commands
    assert {c.name or c.callback.__name__ for c in commands if c.callback} >= {
        "scan",
        "collect",
        "report",
        "permissions",
    }
    for command in commands:
        assert command.callback is not None
        assert command.callback.__doc__, f"{command.callback.__name__} has no help text"
        name = command.name or command.callback.__name__.replace("_", "-")
        result = runner.invoke(cli.app, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_report_needs_exactly_one_input(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["report"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "Error: give a snapshot file, or --aws-cli-export FILE" in result.output


def test_credential_report_goes_with_export(tmp_path: Path) -> None:
    snap = tmp_path / "s.json"
    snap.write_text("{}", encoding="utf-8")
    result = runner.invoke(cli.app, ["report", str(snap), "--credential-report", str(snap)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "--virtual-mfa-devices, --account-id and --identity-center-export go with" in (
        result.output
    )


def test_malformed_snapshot_is_usage_error_naming_file(tmp_path: Path) -> None:
    snap = tmp_path / "snap.json"
    snap.write_text('{"schema_version": 1}', encoding="utf-8")
    result = runner.invoke(cli.app, ["report", str(snap)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert f"{snap}: invalid snapshot at $: missing field" in result.output
    assert "Traceback" not in result.output


def test_bad_config_names_key(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("fail_on: sometimes\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["scan", "--config", str(config)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert f"{config}: fail_on: 'sometimes' is not one of" in result.output


def test_bad_fail_on_option_is_usage_error() -> None:
    result = runner.invoke(cli.app, ["scan", "--fail-on", "severe"])
    assert result.exit_code == ExitCode.USAGE_ERROR


def test_demo_and_org_conflict() -> None:
    result = runner.invoke(cli.app, ["scan", "--demo", "--org"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "--demo cannot be combined with --org" in result.output


def test_org_only_options_need_org() -> None:
    result = runner.invoke(cli.app, ["scan", "--role-name", "X"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "need --org" in result.output


def test_audit_member_roots_needs_org_and_its_permission_is_printed_on_request() -> None:
    result = runner.invoke(cli.app, ["scan", "--audit-member-roots"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "--audit-member-roots need --org" in result.output
    plain = runner.invoke(cli.app, ["permissions"])
    assert "sts:AssumeRoot" not in plain.output
    extended = runner.invoke(cli.app, ["permissions", "--audit-member-roots"])
    assert extended.exit_code == 0
    assert "sts:AssumeRoot" in extended.output
    assert "IAMAuditRootUserCredentials" in extended.output


def test_library_error_becomes_message_and_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*_args: object, **_kwargs: object) -> None:
        raise AccessDeniedError(
            "access denied to iam:GetAccountAuthorizationDetails",
            hint="grant the policy printed by `mfa-auditor permissions`",
        )

    monkeypatch.setattr(cli_audit, "collect_live", denied)
    result = runner.invoke(cli.app, ["scan", "--quiet"])
    assert result.exit_code == ExitCode.TOOL_ERROR
    assert result.output.splitlines() == [
        "Error: access denied to iam:GetAccountAuthorizationDetails. "
        "Hint: grant the policy printed by `mfa-auditor permissions`",
    ]


def test_unexpected_exception_is_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret-ish detail")

    monkeypatch.setattr(cli_audit, "collect_live", boom)
    monkeypatch.delenv("MFA_AUDITOR_DEBUG", raising=False)
    result = runner.invoke(cli.app, ["scan", "--quiet"])
    assert result.exit_code == ExitCode.TOOL_ERROR
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: internal error (RuntimeError: secret-ish detail)")
    assert len(result.output.strip().splitlines()) == 1


def test_single_account_options_are_refused_with_org() -> None:
    result = runner.invoke(cli.app, ["scan", "--org", "--no-bom"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "apply to one account, not --org" in result.output


def test_demo_without_the_demo_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "moto", None)  # makes `import moto` raise ImportError
    result = runner.invoke(cli.app, ["scan", "--demo", "--quiet"])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "Error: the demo needs the 'demo' extra" in result.output
    assert "pip install 'mfa-auditor[demo]'" in result.output


@pytest.mark.parametrize("command", ["scan", "collect"])
def test_demo_refuses_aws_connection_options(command: str, tmp_path: Path) -> None:
    args = [command, "--demo", "--profile", "prod"]
    if command == "collect":
        args += ["--out", str(tmp_path / "s.json")]
    result = runner.invoke(cli.app, args)
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "--demo runs its own emulated AWS" in result.output


def test_version_flag() -> None:
    from auditor import __version__

    result = runner.invoke(cli.app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == __version__


def test_internal_error_shows_only_the_first_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("first line\n<html>second line with a response body</html>")

    monkeypatch.setattr(cli_audit, "collect_live", boom)
    monkeypatch.delenv("MFA_AUDITOR_DEBUG", raising=False)
    result = runner.invoke(cli.app, ["scan", "--quiet"])
    assert result.exit_code == ExitCode.TOOL_ERROR
    assert "second line" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("source", "expected"),
    [("password_policy", ExitCode.CLEAN), ("credential_report", ExitCode.INCOMPLETE)],
)
def test_collect_exit_code_follows_the_same_gap_policy_as_the_audit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, expected: int
) -> None:
    """A context-only gap is reported but does not make the collection incomplete (README,
    "Exit codes"); a gap a verdict depends on does."""
    from datetime import datetime, timezone

    from auditor.models import CollectionGap, Snapshot

    snapshot = Snapshot(
        schema_version=1, tool_version="0", source="aws", account_id="123456789012",
        account_alias=None, caller_arn=None,
        collected_at=datetime(2026, 11, 27, tzinfo=timezone.utc),
        credential_report=None, users=(), groups=(), roles=(), policies=(),
        virtual_mfa_devices=(), account_summary=None, password_policy=None,
        gaps=(CollectionGap(source, "AccessDenied"),),
    )  # fmt: skip
    monkeypatch.setattr(cli_audit, "collect_live", lambda *_a, **_k: snapshot)
    result = runner.invoke(cli.app, ["collect", "--out", str(tmp_path / "s.json")])
    assert result.exit_code == expected, result.output
    assert f"Warning: incomplete data: {source}: AccessDenied" in result.output
