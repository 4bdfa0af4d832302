"""Organization-run scale figures against a real ``moto_server`` subprocess (not a timed test).

An organization of N member accounts (default 50) of U users each (default 200) is created in a
fresh ``moto_server``; then the whole org run (discover → assume role → collect → analyze → write
reports, per account) is timed at each worker count (default 1, 4 and 8), with the speed-up over
one worker, and so is writing the organization summary (``all-findings.csv`` from memory). The
management account is excluded so exactly N accounts are audited.

Users per account: every 10th is in group Admins (AdministratorAccess), every 3rd has an enabled
virtual MFA device, every 4th a console password; the rest are in a non-privileged group.

``--latency-ms 0,100`` repeats the runs with that much added to every AWS call the audit makes
(a sleep in botocore's send path, benchmark-only): moto_server answers in about a millisecond on
loopback, while real IAM and STS calls take tens of milliseconds, which is what workers overlap.

Run: ``python benchmarks/bench_org.py [--accounts 50 --users 200 --workers 1,4,8
--latency-ms 0]``. Each run must audit every account with identical finding counts, or the
script fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import botocore.endpoint
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from auditor.config import AuditorConfig, OrganizationSettings  # noqa: E402
from auditor.org import (  # noqa: E402
    AccountStatus,
    audit_accounts,
    discover_accounts,
    write_org_summary,
)
from tests.support.moto_server import dummy_aws_environment, moto_server  # noqa: E402
from tests.support.seeding import member_session, seed_users  # noqa: E402

WRITE_CONFIG = Config(retries={"mode": "standard", "max_attempts": 8}, max_pool_connections=16)


def base_session() -> boto3.Session:
    return boto3.Session(region_name="us-east-1")


def create_org(endpoint: str, accounts: int) -> tuple[str, list[str]]:
    client = base_session().client("organizations", endpoint_url=endpoint, config=WRITE_CONFIG)
    management = client.create_organization(FeatureSet="ALL")["Organization"]["MasterAccountId"]
    ids = [
        client.create_account(AccountName=f"member-{n:03d}", Email=f"m{n}@example.com")[
            "CreateAccountStatus"
        ]["AccountId"]
        for n in range(accounts)
    ]
    return str(management), [str(i) for i in ids]


def seed_member(endpoint: str, account_id: str, users: int) -> int:
    """Seed one member account through its own role; returns the number of calls made."""
    session = member_session(account_id, endpoint_url=endpoint)
    return seed_users(endpoint, users, workers=1, session=session).calls


def add_latency(seconds: float) -> None:
    """Sleep before every HTTP request botocore sends (emulated network round trip)."""
    send = _ORIGINAL_SEND

    def delayed(self: Any, request: Any) -> Any:
        if seconds:
            time.sleep(seconds)
        return send(self, request)

    botocore.endpoint.Endpoint._send = delayed  # type: ignore[method-assign]


_ORIGINAL_SEND = botocore.endpoint.Endpoint._send


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--workers", default="1,4,8", help="comma-separated worker counts")
    parser.add_argument("--seed-workers", type=int, default=8)
    parser.add_argument("--latency-ms", default="0", help="comma-separated added latencies")
    args = parser.parse_args()
    worker_counts = [int(w) for w in args.workers.split(",")]
    latencies = [float(ms) for ms in args.latency_ms.split(",")]
    os.environ.clear()
    os.environ.update(dummy_aws_environment())
    print(f"{os.cpu_count()} CPU(s); {args.accounts} accounts x {args.users} users")
    with moto_server() as endpoint, tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        management, ids = create_org(endpoint, args.accounts)
        created = time.perf_counter() - started
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.seed_workers) as pool:
            calls = sum(pool.map(lambda a: seed_member(endpoint, a, args.users), ids))
        seeded = time.perf_counter() - started
        print(f"organization created in {created:.1f} s; seeded {calls} calls in {seeded:.1f} s")

        session = base_session()
        config = AuditorConfig()
        targets = discover_accounts(
            session, OrganizationSettings(), exclude=[management], endpoint_url=endpoint
        )
        assert len(targets) == args.accounts, len(targets)
        reference: dict[str, int] | None = None
        run = 0
        for latency in latencies:
            add_latency(latency / 1000)
            walls: dict[int, float] = {}
            for workers in worker_counts:
                now = datetime(2026, 11, 27, tzinfo=timezone.utc) + timedelta(minutes=run)
                run += 1
                started = time.perf_counter()
                result = audit_accounts(
                    session,
                    targets,
                    config,
                    reports_root=Path(scratch) / "reports",
                    max_workers=workers,
                    now=now,
                    endpoint_url=endpoint,
                )
                walls[workers] = time.perf_counter() - started
                failed = [o for o in result.outcomes if o.status is not AccountStatus.OK]
                if failed:
                    raise SystemExit(f"{len(failed)} account(s) failed: {failed[0].reason}")
                counts = {o.account_id: o.open_findings for o in result.outcomes}
                if reference is not None and counts != reference:
                    raise SystemExit("finding counts differ between runs")
                reference = counts
                mean = sum(o.duration_seconds for o in result.outcomes) / len(result.outcomes)
                started = time.perf_counter()
                summary = Path(scratch) / "organization" / f"run-{run}"
                write_org_summary(result, summary, generated_at=now)
                written = time.perf_counter() - started
                print(
                    f"latency={latency:>4.0f} ms workers={workers:>2}: "
                    f"wall {walls[workers]:7.1f} s, "
                    f"{args.accounts / walls[workers]:.2f} accounts/s, "
                    f"mean per-account {mean:.2f} s, open findings {result.open_findings}, "
                    f"summary written in {written:.2f} s"
                )
            baseline = walls.get(1)
            if baseline:
                speedups = ", ".join(f"{w} workers {baseline / t:.2f}x" for w, t in walls.items())
                print(f"latency={latency:.0f} ms speed-up over 1 worker: {speedups}")


if __name__ == "__main__":
    main()
