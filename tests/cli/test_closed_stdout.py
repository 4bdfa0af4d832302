"""A reader that closes the pipe early (`| head -1`, `| true`) must not change the exit code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path


def _script() -> str:
    found = shutil.which("mfa-auditor", path=str(Path(sys.executable).parent))
    assert found, "the mfa-auditor console script is not installed"
    return found


def test_closed_stdout_keeps_the_exit_code(tmp_path: Path) -> None:
    policy = tmp_path / "admin.json"
    policy.write_text(
        json.dumps({"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
        encoding="utf-8",
    )  # fmt: skip
    process = subprocess.Popen(
        [_script(), "check-policy", str(policy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before the tool writes its first line
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 3, stderr  # a privileged action without MFA: findings
    assert "internal error" not in stderr
    assert "Traceback" not in stderr
