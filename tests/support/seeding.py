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


@dataclass(frozen=True)
class SeededAccount:
    user_names: frozenset[str]
    admin_names: frozenset[str]
    mfa_names: frozenset[str]
    console_names: frozenset[str]
    seconds: float
    calls: int


def seeding_client(endpoint_url: str) -> Any:
    return boto3.Session(
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    ).client(
        "iam",
        endpoint_url=endpoint_url,
        config=Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=32),
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
) -> SeededAccount:
    """``count`` users; every ``admin_every``-th joins Admins (AdministratorAccess), every
    ``mfa_every``-th gets an enabled virtual MFA device, every ``console_every``-th a password."""
    started = time.perf_counter()
    setup = seeding_client(endpoint_url)
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
                    endpoint_url, chunk, admin_every, mfa_every, console_every
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
    endpoint_url: str, chunk: list[int], admin_every: int, mfa_every: int, console_every: int
) -> int:
    iam = seeding_client(endpoint_url)
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
