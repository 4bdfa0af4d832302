"""An embedded moto server for ``--demo``, and a boto3 session that can only talk to it.

The demo runs the real collector over real HTTP (not moto's in-process mock), so what the demo
shows is what the collector does against AWS: same botocore stack, same pagination, same guard.
moto is an optional extra; importing it lazily keeps ``mfa-auditor`` usable without it.
"""

from __future__ import annotations

import logging
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import boto3
import botocore.session

from auditor.demo.model import DemoError

DEMO_REGION = "us-east-1"
MANAGED_POLICIES_ENV = "MOTO_IAM_LOAD_MANAGED_POLICIES"
_DUMMY_KEY = "demo-access-key-id"  # moto accepts any credentials; nothing real is ever used
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
"""The only hosts the demo talks to (and the only ones ``seed_account`` writes through)."""


@contextmanager
def embedded_moto() -> Iterator[str]:
    """Start moto on 127.0.0.1 and a free port; yield its URL; stop it and restore the env.

    ``MOTO_IAM_LOAD_MANAGED_POLICIES`` is read when moto builds an account's IAM backend, so it
    is set before moto is imported and the backends are reset once the server is up: without it
    AdministratorAccess and the other AWS-managed policies would not exist.
    """
    saved_env = os.environ.get(MANAGED_POLICIES_ENV)
    werkzeug_logger = logging.getLogger("werkzeug")
    saved_level = werkzeug_logger.level
    os.environ[MANAGED_POLICIES_ENV] = "true"
    # werkzeug logs every request to stderr unless its logger has a level, and logs a traceback
    # for every API moto has not implemented (ListOrganizationsFeatures, LookupEvents): the
    # collector already records those as gaps, and only the CLI prints.
    werkzeug_logger.setLevel(logging.CRITICAL)
    try:
        try:
            from moto.server import ThreadedMotoServer
        except ImportError as error:
            raise DemoError(
                f"the demo needs moto's server ({error.name or error} is not installed)",
                hint="pip install 'mfa-auditor[demo]'",
            ) from None
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            endpoint_url = f"http://{host}:{port}"
            _reset(endpoint_url)
            yield endpoint_url
        finally:
            server.stop()
            # werkzeug closes the socket when its loop ends; closing it here as well keeps the
            # port's release independent of that detail (socket close is idempotent).
            inner = getattr(server, "_server", None)
            if inner is not None:
                inner.server_close()
    finally:
        werkzeug_logger.setLevel(saved_level)
        if saved_env is None:
            os.environ.pop(MANAGED_POLICIES_ENV, None)
        else:
            os.environ[MANAGED_POLICIES_ENV] = saved_env


def _reset(endpoint_url: str) -> None:
    """Start from empty backends, rebuilt with the managed policies (moto's documented reset)."""
    # The URL is the loopback server started above, never user input.
    request = urllib.request.Request(f"{endpoint_url}/moto-api/reset", method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
    except OSError as error:
        raise DemoError(
            f"the embedded moto server at {endpoint_url} did not answer: {error}"
        ) from None


def demo_session(endpoint_url: str) -> boto3.Session:
    """A session with dummy credentials in us-east-1, isolated from the caller's AWS set-up.

    ``AWS_PROFILE``, ``~/.aws/config`` and ``~/.aws/credentials`` are ignored: a missing profile
    named in the environment must not break the demo, and real credentials must never be loaded
    for it. ``endpoint_url`` must be a loopback URL, so the demo cannot reach real AWS.
    """
    parts = urlsplit(endpoint_url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK_HOSTS:
        raise DemoError(
            f"the demo session only talks to a local emulator, not {endpoint_url!r}",
            hint="use the URL that embedded_moto() yields",
        )
    isolated = botocore.session.Session(
        session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        }
    )
    return boto3.Session(
        botocore_session=isolated,
        aws_access_key_id=_DUMMY_KEY,
        aws_secret_access_key=_DUMMY_KEY,
        region_name=DEMO_REGION,
    )
