"""IAM Identity Center collection at scale against ``moto_server``: the added calls and seconds.

Usage: ``python benchmarks/bench_identity_center.py [--users 1000] [--sets 50] [--accounts 20]
[--groups 20] [--workers 8]``

Seeds an instance with ``--users`` identity-store users spread over ``--groups`` groups, ``--sets``
permission sets (one AWS-managed policy each) each assigned to one group in every one of
``--accounts`` accounts, then reads it the way ``collect_snapshot`` does
(``collect_identity_center``) and prints the calls per operation against the README's formula:
1 + ⌈U/100⌉ + ⌈G/100⌉ + G + ⌈P/100⌉ + 6·P + P·A. The server is the shimmed one
(``tests.support.moto_ic_shim``: a boundary read answered as AWS does for a set without one, and
provisioning to the assigned accounts, which moto ignores). moto answers in milliseconds and
ignores ``MaxResults`` on some listings, so against AWS expect more pages and Identity Center's
throttling (botocore's adaptive retries absorb it).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

from auditor.collector.identity_center import collect_identity_center  # noqa: E402
from auditor.config import CollectorSettings  # noqa: E402
from tests.support.call_counter import count_calls  # noqa: E402
from tests.support.moto_server import dummy_aws_environment, moto_server  # noqa: E402

POLICIES = (
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
)


def _client(service: str, url: str) -> Any:
    config = Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=32)
    return boto3.Session(region_name="us-east-1").client(service, endpoint_url=url, config=config)


def seed(url: str, users: int, groups: int, sets: int, accounts: int, workers: int) -> float:
    started = time.perf_counter()
    sso, store = _client("sso-admin", url), _client("identitystore", url)
    instance = sso.list_instances()["Instances"][0]
    arn, store_id = instance["InstanceArn"], instance["IdentityStoreId"]
    group_ids = [
        store.create_group(IdentityStoreId=store_id, DisplayName=f"group-{g:03d}")["GroupId"]
        for g in range(groups)
    ]

    def user(index: int) -> None:
        name = f"user-{index:05d}"
        user_id = store.create_user(
            IdentityStoreId=store_id,
            UserName=name,
            DisplayName=name,
            Name={"GivenName": name, "FamilyName": "Bench"},
        )["UserId"]
        store.create_group_membership(
            IdentityStoreId=store_id,
            GroupId=group_ids[index % groups],
            MemberId={"UserId": user_id},
        )

    def permission_set(index: int) -> None:
        ps = sso.create_permission_set(InstanceArn=arn, Name=f"set-{index:03d}")["PermissionSet"]
        ps_arn = ps["PermissionSetArn"]
        sso.attach_managed_policy_to_permission_set(
            InstanceArn=arn, PermissionSetArn=ps_arn, ManagedPolicyArn=POLICIES[index % 2]
        )
        for account in range(accounts):
            sso.create_account_assignment(
                InstanceArn=arn,
                TargetId=f"{100000000000 + account}",
                TargetType="AWS_ACCOUNT",
                PermissionSetArn=ps_arn,
                PrincipalType="GROUP",
                PrincipalId=group_ids[index % groups],
            )

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(user, range(users)))
        list(pool.map(permission_set, range(sets)))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--sets", type=int, default=50)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    os.environ.update(dummy_aws_environment())
    with moto_server(identity_center_shim=True) as url:
        seconds = seed(url, args.users, args.groups, args.sets, args.accounts, args.workers)
        print(f"seeded {args.users} users, {args.groups} groups, {args.sets} sets x "
              f"{args.accounts} accounts in {seconds:.1f} s (moto, not us)")  # fmt: skip
        session = boto3.Session(region_name="us-east-1")
        counter = count_calls(session)
        settings = CollectorSettings(identity_center_workers=args.workers)
        started = time.perf_counter()
        data, gaps = collect_identity_center(
            session, settings, endpoint_url=url, say=lambda _: None
        )
        elapsed = time.perf_counter() - started
    u, g, p, a = args.users, args.groups, args.sets, args.accounts
    formula = 1 + math.ceil(u / 100) + math.ceil(g / 100) + g + math.ceil(p / 100) + 6 * p + p * a
    print(f"status {data.status.value}: {len(data.users)} users, {len(data.groups)} groups, "
          f"{len(data.permission_sets)} sets, {len(data.assignments)} assignments, "
          f"{len(gaps)} gaps")  # fmt: skip
    for operation, count in sorted(counter.by_operation().items()):
        print(f"  {operation:60s} {count:6d}")
    print(f"identity center calls {counter.total} (README formula with pages of 100: {formula})")
    print(f"identity center seconds {elapsed:.2f} with {args.workers} workers")


if __name__ == "__main__":
    main()
