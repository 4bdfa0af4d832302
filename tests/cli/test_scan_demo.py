"""`mfa-auditor scan --demo`, the README's first command, through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from auditor import cli
from auditor.exit_codes import ExitCode


def test_scan_demo_writes_reports_and_exits_3(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli.app, ["scan", "--demo", "--out", str(out)])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    for name in ("report.html", "findings.csv", "users.csv", "groups.csv", "findings.json"):
        assert f"{out / name}" in result.output
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["run"]["complete"] is True  # root's row is supplied by the demo, and said so
    assert any("supplied by the demo data file" in note for note in data["run"]["notes"])
    rules = {f["rule_id"] for f in data["findings"]}
    # The demo's data file carries an expired exemption: the demo must show it reopening.
    assert "exemption_expired" in rules
    assert "root_no_hardware_mfa" in rules
