"""The sign-in options through the real CLI: offline ``report --cloudtrail`` over gzip files in
CloudTrail's S3 layout (events from AWS's documented examples, ``tests/signin/events.py``), and
the usage errors of the sign-in options (exit 2, one line)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor import cli
from auditor.exit_codes import ExitCode
from tests.signin.events import console_login, ic_signin

runner = CliRunner()
ASSETS = Path(__file__).resolve().parents[1] / "assets"
DEMO = ASSETS / "demo_snapshot.json"
ACCOUNT = "123456789012"


def trail(folder: Path, records: list[dict[str, object]]) -> Path:
    day = folder / "AWSLogs" / ACCOUNT / "CloudTrail" / "us-east-1" / "2026" / "11" / "20"
    day.mkdir(parents=True)
    path = day / f"{ACCOUNT}_CloudTrail_us-east-1_20261120T0000Z_x.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        json.dump({"Records": records}, out)
    return path


def test_report_with_cloudtrail_lists_who_signed_in_without_mfa(tmp_path: Path) -> None:
    trail(
        tmp_path / "logs",
        [
            console_login("dana.whitfield", time="2026-11-20T08:00:00Z", ip="198.51.100.4"),
            console_login("maria.garcia", mfa=True, time="2026-11-20T09:00:00Z"),
            *ic_signin(("PASSWORD", "TOTP"), time="2026-11-20T10:00:00Z"),
        ],
    )
    out = tmp_path / "out"
    result = runner.invoke(
        cli.app, ["report", str(DEMO), "--cloudtrail", str(tmp_path / "logs"), "--out", str(out)]
    )
    assert result.exit_code in (ExitCode.FINDINGS, ExitCode.INCOMPLETE), result.output
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    signed = [f for f in findings if f["rule_id"] == "console_signin_without_mfa"]
    assert [f["principal_name"] for f in signed] == ["dana.whitfield"]
    assert signed[0]["evidence"]["source_addresses"] == "198.51.100.4"
    assert not [f for f in findings if f["rule_id"] == "identity_center_signin_without_mfa"]


def test_report_without_cloudtrail_says_sign_ins_were_not_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(cli.app, ["report", str(DEMO), "--out", str(out)])
    assert "Sign-in evidence: not read" in (out / "report.html").read_text(encoding="utf-8")


def test_truncated_log_file_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    path = trail(tmp_path / "logs", [console_login()] * 40)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20])
    result = runner.invoke(cli.app, ["report", str(DEMO), "--cloudtrail", str(path)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert str(path) in result.output
    assert "Traceback" not in result.output


def test_sign_in_option_usage_errors() -> None:
    athena = runner.invoke(cli.app, ["scan", "--cloudtrail-athena", "db.trail"])
    assert athena.exit_code == ExitCode.USAGE_ERROR
    assert "use it with --org" in athena.output
    long = runner.invoke(cli.app, ["scan", "--signin-days", "120"])
    assert long.exit_code == ExitCode.USAGE_ERROR
    assert "LookupEvents keeps 90 days" in long.output
    off = runner.invoke(cli.app, ["report", str(DEMO), "--cloudtrail", ".", "--signin-days", "0"])
    assert off.exit_code == ExitCode.USAGE_ERROR


def test_terminal_progress_bar_counts_regions_done(capsys: pytest.CaptureFixture[str]) -> None:
    from auditor.cli.signin import _Bar

    bar = _Bar()
    bar("us-east-1: ConsoleLogin page 1, 50 events")
    bar("eu-north-1: ConsoleLogin page 1, 3 events")
    bar("us-east-1: done")
    bar("eu-north-1: done")
    err = capsys.readouterr().err
    assert "\r[##########----------] 1/2 regions · us-east-1: done" in err
    assert "[####################] 2/2 regions" in err
    assert err.endswith("\n")
