"""``mfa-auditor explain --snapshot FILE --principal NAME [--json]`` through typer's runner, on a
saved snapshot of a small account with a role chain (the JSON shape is the README's)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from auditor.cli.policy import register
from auditor.models import InlinePolicy
from auditor.snapshot_io import save_snapshot

from .conftest import ACCOUNT, ADMIN_ARN, doc, role, row, snapshot, trust, user

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    application = typer.Typer()
    register(application)
    return application


@pytest.fixture
def snapshot_file(tmp_path: Path) -> str:
    hop = doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    deploy = role("Deploy", trust(f"arn:aws:iam::{ACCOUNT}:user/dana"))
    deploy = replace(deploy, inline_policies=(InlinePolicy("hop", hop),))
    admin = role("Admin", trust(f"arn:aws:iam::{ACCOUNT}:role/Deploy"), attached=[ADMIN_ARN])
    snap = snapshot(users=[user("dana")], rows=[row("dana")], roles=[deploy, admin])
    path = tmp_path / "snap.json"
    save_snapshot(snap, path)
    return str(path)


def test_text_names_the_chain_and_its_gates(app: typer.Typer, snapshot_file: str) -> None:
    result = runner.invoke(app, ["explain", "--snapshot", snapshot_file, "--principal", "dana"])
    assert result.exit_code == 0, result.output
    assert "user dana → role Deploy → role Admin: every action (*); no MFA on any hop" in (
        result.stdout
    )
    assert "role:Deploy [assume_role, not_enforced]" in result.stdout


def test_json_shape(app: typer.Typer, snapshot_file: str) -> None:
    args = ["explain", "--snapshot", snapshot_file, "--principal", "role:Admin", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["principal"] == {
        "type": "role",
        "name": "Admin",
        "arn": f"arn:aws:iam::{ACCOUNT}:role/Admin",
    }
    assert data["reach"] == "admin"
    assert data["paths"][0]["hops"] == ["role:Admin"]
    assert {"source": "role:Deploy", "kind": "assume_role"}.items() <= data["edges_in"][0].items()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--principal", "nobody"], "no user, role or root named 'nobody'"),
        (["--principal", "dana", "--action", "iam:PassRole"], "explain a policy"),
        ([], "--snapshot and --principal go together"),
    ],
)
def test_errors_are_one_line_exit_2(
    app: typer.Typer, snapshot_file: str, extra: list[str], message: str
) -> None:
    result = runner.invoke(app, ["explain", "--snapshot", snapshot_file, *extra])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
