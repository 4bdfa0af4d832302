"""Seed many IAM users into a moto endpoint, in parallel, for the e2e test and the benchmark.

These clients are deliberately *not* guarded: seeding writes, the collector must not.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from tests.support.moto_server import DUMMY_CREDENTIALS

ADMIN_GROUP = "Admins"
ADMIN_POLICY_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
MEMBER_ROLE = "OrganizationAccountAccessRole"


@dataclass(frozen=True)
class SeededAccount:
    user_names: frozenset[str]
    admin_names: frozenset[str]
    mfa_names: frozenset[str]
    console_names: frozenset[str]
    seconds: float
    calls: int


def seeding_client(endpoint_url: str, session: boto3.Session | None = None) -> Any:
    """An IAM client in ``session``'s account (default: the dummy credentials' account)."""
    if session is None:
        session = boto3.Session(
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        )
    return session.client(
        "iam",
        endpoint_url=endpoint_url,
        config=Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=32),
    )


def member_session(
    account_id: str, role: str = MEMBER_ROLE, endpoint_url: str | None = None
) -> boto3.Session:
    """A session in a member account through ``role``, to seed it (Organizations creates the
    role in every account it creates)."""
    credentials = boto3.client("sts", endpoint_url=endpoint_url).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{role}", RoleSessionName="seed"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="us-east-1",
    )


def user_name(index: int) -> str:
    return f"user-{index:05d}"


def seed_users(
    endpoint_url: str,
    count: int,
    *,
    admin_every: int = 10,
    mfa_every: int = 3,
    console_every: int = 4,
    workers: int = 8,
    session: boto3.Session | None = None,
) -> SeededAccount:
    """``count`` users; every ``admin_every``-th joins Admins (AdministratorAccess), every
    ``mfa_every``-th gets an enabled virtual MFA device, every ``console_every``-th a password.
    ``session`` picks the account (see ``seeding_client``)."""
    started = time.perf_counter()
    setup = seeding_client(endpoint_url, session)
    setup.create_group(GroupName=ADMIN_GROUP)
    setup.attach_group_policy(GroupName=ADMIN_GROUP, PolicyArn=ADMIN_POLICY_ARN)
    setup.create_group(GroupName="Developers")
    setup.put_group_policy(
        GroupName="Developers",
        PolicyName="dev",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
            }
        ),
    )
    indexes = list(range(count))
    chunks = [indexes[start::workers] for start in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        calls = sum(
            pool.map(
                lambda chunk: _seed_chunk(
                    seeding_client(endpoint_url, session),
                    chunk,
                    admin_every,
                    mfa_every,
                    console_every,
                ),
                chunks,
            )
        )
    return SeededAccount(
        user_names=frozenset(user_name(i) for i in indexes),
        admin_names=frozenset(user_name(i) for i in indexes if i % admin_every == 0),
        mfa_names=frozenset(user_name(i) for i in indexes if i % mfa_every == 0),
        console_names=frozenset(user_name(i) for i in indexes if i % console_every == 0),
        seconds=time.perf_counter() - started,
        calls=calls + 4,
    )


def _seed_chunk(
    iam: Any, chunk: list[int], admin_every: int, mfa_every: int, console_every: int
) -> int:
    calls = 0
    for index in chunk:
        name = user_name(index)
        iam.create_user(UserName=name)
        calls += 1
        if index % admin_every == 0:
            iam.add_user_to_group(GroupName=ADMIN_GROUP, UserName=name)
            calls += 1
        else:
            iam.add_user_to_group(GroupName="Developers", UserName=name)
            calls += 1
        if index % mfa_every == 0:
            serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"][
                "SerialNumber"
            ]
            iam.enable_mfa_device(
                UserName=name,
                SerialNumber=serial,
                AuthenticationCode1="123456",
                AuthenticationCode2="654321",
            )
            calls += 2
        if index % console_every == 0:
            iam.create_login_profile(UserName=name, Password="Seeded-Passw0rd!")
            calls += 1
    return calls
