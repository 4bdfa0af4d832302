"""Run ``moto_server`` as a real subprocess on a free loopback port, for tests and benchmarks.

The collector is then exercised exactly as against AWS: over HTTP, through botocore's full stack
(signing, retries, the read-only guard's ``before-sign`` hook), from a separate process. The
server always dies with the context, even when the test fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
"""Dummy credentials; with them botocore signs requests, so nothing real can be used."""

ISOLATION = {
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
"""Keep the developer's own AWS config, credentials and instance metadata out of every test."""
UNSET_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_SECURITY_TOKEN",
)


def dummy_aws_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with dummy credentials and no profile."""
    env = dict(os.environ if base is None else base)
    for name in UNSET_VARIABLES:
        env.pop(name, None)
    env.update(DUMMY_CREDENTIALS)
    env.update(ISOLATION)
    return env


def free_loopback_port() -> int:
    """A port the kernel just handed out on 127.0.0.1 (bind to port 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command(port: int, identity_center_shim: bool = False) -> list[str]:
    if identity_center_shim:
        return [
            sys.executable,
            "-m",
            "tests.support.moto_ic_shim",
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
        ]
    script = Path(sys.executable).with_name("moto_server")
    if script.exists():
        program = [str(script)]
    elif shutil.which("moto_server"):
        program = [str(shutil.which("moto_server"))]
    else:
        program = [sys.executable, "-m", "moto.server"]
    return [*program, "-H", "127.0.0.1", "-p", str(port)]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):  # noqa: S310 - loopback URL
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except OSError:
        return False


@contextlib.contextmanager
def moto_server(
    *, startup_timeout: float = 30.0, attempts: int = 3, identity_center_shim: bool = False
) -> Iterator[str]:
    """Yield the endpoint URL of a fresh ``moto_server``; kill it on exit.

    ``identity_center_shim`` answers ``GetPermissionsBoundaryForPermissionSet`` as AWS does for
    a set without a boundary (see ``tests.support.moto_ic_shim``; moto answers 500).

    The port probe and the server's bind race with other processes, so a server that exits
    during start-up is retried on a new port.
    """
    env = dummy_aws_environment()
    env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    if identity_center_shim:
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (root, env.get("PYTHONPATH"))))
    last_log = ""
    for _ in range(attempts):
        port = free_loopback_port()
        url = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryFile(mode="w+") as log:
            process = subprocess.Popen(
                _command(port, identity_center_shim), env=env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                deadline = time.monotonic() + startup_timeout
                while process.poll() is None and time.monotonic() < deadline:
                    if _answers(url):
                        yield url
                        return
                    time.sleep(0.1)
                log.seek(0)
                last_log = log.read()[-2000:]
            finally:
                _stop(process)
    raise RuntimeError(f"moto_server did not start after {attempts} attempts:\n{last_log}")


def _stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
