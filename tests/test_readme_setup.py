"""The README's two set-up lines work pasted into a shell on a Python that refuses global pip.

Debian's python3 refuses ``pip install`` outside a virtualenv (PEP 668,
``externally-managed-environment``): that is how the old first line broke. The stand-in for such
a machine is a virtualenv made ``--without-pip`` (so ``python3 -m pip`` fails) with an
``EXTERNALLY-MANAGED`` marker, first on ``PATH`` with ``pip``/``pip3`` that refuse as Debian's
do. The lines are read from the README (``tests/support/readme_setup.py``, which ``.ci/run``
uses too) and run in a fresh ``git clone`` of HEAD, so only committed files count.

It installs packages (from pip's warm cache, about two minutes), so it is opt-in:
``MFA_AUDITOR_SETUP_TEST=1``, which ``.ci/run`` sets. Inside the clone, line 2's ``pytest`` runs
only ``tests/test_docs.py`` (``PYTEST_ADDOPTS``), so the suite does not run itself twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support.readme_setup import README, setup_lines

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    os.environ.get("MFA_AUDITOR_SETUP_TEST") != "1" or os.environ.get("MFA_AUDITOR_IN_CLONE"),
    reason="installs packages into fresh virtualenvs; set MFA_AUDITOR_SETUP_TEST=1 (.ci/run does)",
)
REFUSE = """#!/bin/sh
echo "error: externally-managed-environment (stand-in for Debian's PEP 668 python3)" >&2
exit 1
"""


def _externally_managed_python(where: Path) -> Path:
    """A bin folder whose python3 has no pip and whose pip refuses, like Debian's."""
    base = Path(getattr(sys, "_base_executable", sys.executable))
    subprocess.run([str(base), "-m", "venv", "--without-pip", str(where)], check=True)
    query = "import sysconfig; print(sysconfig.get_path('stdlib'))"
    stdlib = subprocess.run(
        [str(where / "bin" / "python3"), "-c", query], capture_output=True, text=True, check=True
    ).stdout.strip()
    marker = where / "lib" / Path(stdlib).name / "EXTERNALLY-MANAGED"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("[externally-managed]\nError=use a virtual environment\n", encoding="utf-8")
    shims = where / "shims"
    shims.mkdir()
    (shims / "python3").symlink_to(where / "bin" / "python3")
    for name in ("pip", "pip3"):
        (shims / name).write_text(REFUSE, encoding="utf-8")
        (shims / name).chmod(0o755)
    return shims


def _environment(shims: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    venv_bin = str(Path(sys.executable).parent)
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != venv_bin]
    env["PATH"] = os.pathsep.join([str(shims), *path])
    env["MFA_AUDITOR_IN_CLONE"] = "1"
    env["PYTEST_ADDOPTS"] = "tests/test_docs.py -q -p no:cacheprovider"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def test_readme_setup_lines_work_on_an_externally_managed_python(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    first, second = setup_lines(README.read_text(encoding="utf-8"))
    clone = tmp_path / "clone"
    subprocess.run([git, "clone", "--quiet", str(ROOT), str(clone)], check=True)
    shims = _externally_managed_python(tmp_path / "python")
    env = _environment(shims)

    refused = subprocess.run(
        ["bash", "-c", "pip install boto3"], cwd=clone, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0  # the stand-in refuses global pip, as Debian's does
    no_pip = subprocess.run(["python3", "-m", "pip", "--version"], cwd=clone, env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert no_pip.returncode != 0

    demo = subprocess.run(["bash", "-c", first], cwd=clone, env=env, capture_output=True, text=True)
    assert demo.returncode == 3, demo.stderr[-3000:]  # scan --demo finds the demo's gaps
    assert "report.html" in demo.stdout
    tests = subprocess.run(
        ["bash", "-c", second], cwd=clone, env=env, capture_output=True, text=True
    )
    assert tests.returncode == 0, (tests.stdout + tests.stderr)[-3000:]
    assert " passed" in tests.stdout
    assert sysconfig.get_path("stdlib")  # the host Python is untouched by the clone's venv
