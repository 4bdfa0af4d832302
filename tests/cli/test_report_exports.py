"""`mfa-auditor report --aws-cli-export …` end to end through the CLI: three export files make a
complete audit; without the device list the audit is honestly incomplete (exit 4)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from auditor import cli
from auditor.exit_codes import ExitCode
from tests.collector.test_cli_export_import import devices_data, export_data, write
from tests.support.credential_rows import report_csv, report_row

runner = CliRunner()


def _exports(tmp_path: Path) -> tuple[Path, Path, Path]:
    details = write(tmp_path / "auth.json", json.dumps(export_data()))
    users = [u["UserName"] for u in export_data()["UserDetailList"]]
    rows = [report_row("<root_account>"), *(report_row(name) for name in users)]
    credential_report = write(tmp_path / "report.csv", report_csv(*rows))
    devices = write(tmp_path / "mfa.json", json.dumps(devices_data()))
    return details, credential_report, devices


def test_three_export_files_make_a_complete_audit(tmp_path: Path) -> None:
    details, credential_report, devices = _exports(tmp_path)
    out = tmp_path / "out"
    args = ["report", "--aws-cli-export", str(details), "--credential-report",
            str(credential_report), "--virtual-mfa-devices", str(devices),
            "--out", str(out)]  # fmt: skip
    result = runner.invoke(cli.app, args)
    assert result.exit_code in (ExitCode.CLEAN, ExitCode.FINDINGS), result.output
    run = json.loads((out / "findings.json").read_text(encoding="utf-8"))["run"]
    assert run["complete"] is True
    assert run["source"] == "aws-cli-export"


def test_without_the_device_list_the_audit_is_incomplete(tmp_path: Path) -> None:
    details, credential_report, _ = _exports(tmp_path)
    out = tmp_path / "out"
    args = ["report", "--aws-cli-export", str(details), "--credential-report",
            str(credential_report), "--out", str(out)]  # fmt: skip
    result = runner.invoke(cli.app, args)
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    gaps = json.loads((out / "findings.json").read_text(encoding="utf-8"))["run"]["gaps"]
    assert "virtual_mfa_devices" in {g["source"] for g in gaps}
