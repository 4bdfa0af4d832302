"""embedded_moto() starts moto on loopback, answers over HTTP, stops, and leaves no trace."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

from auditor.demo import DemoError, demo_session, embedded_moto
from auditor.demo.server import MANAGED_POLICIES_ENV

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def port_is_free(port: int) -> bool:
    """Can a new server listen there? (SO_REUSEADDR, as servers do: closed connections may
    linger in TIME_WAIT on the port for a minute without holding it.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_answers_over_http_then_stops(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(MANAGED_POLICIES_ENV, raising=False)
    with embedded_moto() as endpoint_url:
        parts = urlsplit(endpoint_url)
        assert (parts.scheme, parts.hostname) == ("http", "127.0.0.1")
        assert parts.port is not None
        assert not port_is_free(parts.port)
        assert os.environ[MANAGED_POLICIES_ENV] == "true"
        iam = demo_session(endpoint_url).client("iam", endpoint_url=endpoint_url)
        assert iam.list_users()["Users"] == []  # reset: a fresh account each time
        # AWS-managed policies exist only if the variable was set before moto built IAM.
        assert iam.get_policy(PolicyArn=ADMIN)["Policy"]["PolicyName"] == "AdministratorAccess"
        # Seeding over HTTP is exercised by test_demo_end_to_end.py, the CLI's exact path.
    assert MANAGED_POLICIES_ENV not in os.environ
    assert port_is_free(parts.port)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", parts.port), timeout=2)
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")  # only the CLI prints


def test_stops_and_restores_the_environment_after_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(MANAGED_POLICIES_ENV, "false")
    ports: list[int | None] = []

    def fail_inside() -> None:
        with embedded_moto() as endpoint_url:
            ports.append(urlsplit(endpoint_url).port)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_inside()
    assert os.environ[MANAGED_POLICIES_ENV] == "false"
    (port,) = ports
    assert port is not None
    assert port_is_free(port)


def test_session_uses_dummy_credentials_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A missing profile named in AWS_PROFILE, or real keys in the env, must not leak in."""
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEYFROMENV000")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    session = demo_session("http://127.0.0.1:5999")
    credentials = session.get_credentials()
    assert credentials is not None
    assert credentials.access_key != "AKIAREALKEYFROMENV000"
    assert session.region_name == "us-east-1"
    client = session.client("iam", endpoint_url="http://127.0.0.1:5999")
    assert client.meta.endpoint_url == "http://127.0.0.1:5999"


@pytest.mark.parametrize(
    "endpoint_url",
    ["https://iam.amazonaws.com", "http://moto.example.com:5000", "file:///tmp/x", "127.0.0.1"],
)
def test_session_refuses_anything_but_a_loopback_emulator(endpoint_url: str) -> None:
    with pytest.raises(DemoError, match="local emulator"):
        demo_session(endpoint_url)
