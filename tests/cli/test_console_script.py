"""The installed console script as a real process: click's usage errors in one line with a hint,
and colour only on a terminal and never with ``NO_COLOR`` (no-color.org)."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.exit_codes import ExitCode

SCRIPT = shutil.which("mfa-auditor", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(SCRIPT is None, reason="the console script is not installed")
ESCAPE = b"\x1b["


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert SCRIPT is not None
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, check=False, timeout=60, env=env
    )


def test_usage_errors_are_one_line_with_a_hint() -> None:
    for args in (["scan", "--bogus"], ["scan", "--fail-on", "loud"], ["nonsense"]):
        result = _run(*args)
        assert result.returncode == ExitCode.USAGE_ERROR
        (line,) = result.stderr.splitlines()
        assert line.startswith("Error: ")
        assert "Hint: see `mfa-auditor" in line
        assert result.stdout == ""


def _on_a_terminal(env: dict[str, str]) -> bytes:
    """``mfa-auditor --help`` with stdout and stderr on a pseudo-terminal; what it printed."""
    assert SCRIPT is not None
    controller, terminal = pty.openpty()
    process = subprocess.Popen([SCRIPT, "--help"], stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks)


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    assert ESCAPE in _on_a_terminal(env)  # the check can see colour when there is some
    assert ESCAPE not in _on_a_terminal({**env, "NO_COLOR": "1"})
    piped = subprocess.run(
        [str(SCRIPT), "--help"], capture_output=True, check=False, timeout=60, env=env
    )
    assert ESCAPE not in piped.stdout + piped.stderr
