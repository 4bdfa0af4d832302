"""Seeding refuses what it must: a missing managed policy, another account, a real endpoint.

These run without the module-wide mock of ``test_demo_seed.py``: the guard looks at whether
moto's mock is active, so each test starts its own mock, or none.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest
from moto import mock_aws

from auditor.demo import DemoAccount, DemoError, seed_account
from auditor.demo.seed import totp_pair


def iam_client() -> Any:
    return boto3.client(
        "iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_missing_managed_policies_give_a_hint(
    demo_data: DemoAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)
    with mock_aws(), pytest.raises(DemoError) as raised:
        seed_account(iam_client(), demo_data)
    assert "AdministratorAccess" in str(raised.value)
    assert "MOTO_IAM_LOAD_MANAGED_POLICIES=true" in str(raised.value.hint)


def test_another_account_id_is_refused(
    demo_data: DemoAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused at the first entity created, before anything is attached to it."""
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)  # not needed: faster
    other = dataclasses.replace(demo_data, account_id="210987654321", policies=())
    with mock_aws(), pytest.raises(DemoError, match=r"account\.id is 210987654321"):
        seed_account(iam_client(), other)


def test_refuses_to_write_to_anything_but_an_emulator(demo_data: DemoAccount) -> None:
    """The only writer in the project: without moto's mock or a loopback URL, nothing is sent."""
    client = iam_client()
    sent: list[str] = []
    client.meta.events.register("before-send", lambda **kwargs: sent.append("sent"))
    with pytest.raises(DemoError, match="refusing to seed"):
        seed_account(client, demo_data)
    assert sent == []


def test_totp_pair_matches_rfc_6238_test_vector() -> None:
    """RFC 6238 appendix B: SHA-1 secret "12345678901234567890", T=59 s gives 94287082."""
    seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of the RFC's secret
    previous, current = totp_pair(seed, now=59 + 30)
    assert previous == "287082"  # the RFC's 8-digit code, truncated to IAM's six digits
    assert current != previous
