"""The installed console script against a real ``moto_server`` subprocess, over HTTP.

This is what a user does: seed an account, then run ``mfa-auditor`` as a separate process with
``--endpoint-url``. moto's credential report has no ``<root_account>`` row (issue 2 §6), so
without the demo's root supplement the audit is incomplete and must exit 4, never 0.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.demo import load_demo_data, seed_account
from tests.support.moto_server import dummy_aws_environment
from tests.support.seeding import seeding_client

pytestmark = pytest.mark.e2e


def _console_script() -> list[str]:
    found = shutil.which("mfa-auditor", path=str(Path(sys.executable).parent))
    assert found, "the mfa-auditor console script is not installed (pip install -e '.[test]')"
    return [found]


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_console_script(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def seeded_endpoint(moto_endpoint: str) -> str:
    seed_account(seeding_client(moto_endpoint), load_demo_data())
    return moto_endpoint


def _findings(folder: Path) -> list[dict[str, object]]:
    data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    findings = data["findings"]
    assert isinstance(findings, list)
    return findings


def test_scan_against_moto_server_is_incomplete_without_root_row(
    seeded_endpoint: str, tmp_path: Path
) -> None:
    out = tmp_path / "scan"
    result = _run(
        "scan", "--endpoint-url", seeded_endpoint, "--out", str(out),
        env=dummy_aws_environment(),
    )  # fmt: skip
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    assert "the audit is incomplete" in result.stderr
    printed = result.stdout.split()
    for name in ("report.html", "findings.csv", "users.csv", "groups.csv", "findings.json"):
        assert str(out / name) in printed
        assert (out / name).stat().st_size > 0
    findings = _findings(out)
    root_rules = {f["rule_id"]: f["status"] for f in findings if f["principal_type"] == "account"}
    assert root_rules.get("root_no_mfa") == "unknown"  # incomplete data, never "root is fine"
    opened = {(f["rule_id"], f["principal_name"]) for f in findings if f["status"] == "open"}
    # The sample company's plain admin without MFA, found through the real collector over HTTP.
    assert any(rule == "privileged_member_no_mfa" for rule, _ in opened)


def test_collect_then_offline_report_matches_scan(seeded_endpoint: str, tmp_path: Path) -> None:
    snapshot = tmp_path / "snap.json"
    collected = _run(
        "collect", "--endpoint-url", seeded_endpoint, "--out", str(snapshot), "--quiet",
        env=dummy_aws_environment(),
    )  # fmt: skip
    assert collected.returncode == 4, collected.stderr  # the missing root row, said plainly
    assert "incomplete data: root_credentials" in collected.stderr

    offline_env = dummy_aws_environment()
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        offline_env.pop(key)  # the offline report needs no credentials at all
    offline = _run("report", str(snapshot), "--out", str(tmp_path / "offline"), env=offline_env)
    scanned = _run(
        "scan", "--endpoint-url", seeded_endpoint, "--out", str(tmp_path / "scan"), "--quiet",
        env=dummy_aws_environment(),
    )  # fmt: skip
    assert offline.returncode == scanned.returncode == 4

    def keys(folder: Path) -> set[tuple[object, ...]]:
        return {
            (f["rule_id"], f["principal_arn"], f["group_name"], f["status"])
            for f in _findings(folder)
        }

    assert keys(tmp_path / "offline") == keys(tmp_path / "scan")


def test_python_dash_m_works(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "--version"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stdout.strip() == "0.1.0"
