"""Collection at scale against ``moto_server``: API calls, seconds and peak memory.

Usage: ``python benchmarks/bench_collect.py [--sizes 1000 10000] [--workers 8] [--latency-ms 50]``

For each size a fresh ``moto_server`` subprocess is started and seeded in parallel (seeding time
is reported separately: it measures moto, not us). The collection then runs twice: once plain for
the wall-clock time, once under ``tracemalloc`` for the peak of Python allocations (tracing slows
Python down, so its time is not the one reported). moto never paginates and answers instantly,
so against AWS expect more pages (1,000 items each) and a credential-report wait of seconds.
``--latency-ms`` adds that much delay before every request the collector sends (a botocore
``before-send`` hook), to see how the per-user ``iam:ListMFADevices`` calls (column
``mfa_calls``) weigh behind a real network: they run on ``collector.mfa_device_workers`` threads.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402

from auditor.collector import collect_snapshot  # noqa: E402
from auditor.config import CollectorSettings  # noqa: E402
from auditor.models import Snapshot  # noqa: E402
from tests.support.call_counter import CallCounter, count_calls  # noqa: E402
from tests.support.moto_server import dummy_aws_environment, moto_server  # noqa: E402
from tests.support.seeding import seed_users  # noqa: E402

PAGINATED = (
    "iam:GetAccountAuthorizationDetails",
    "iam:ListVirtualMFADevices",
    "iam:ListAccountAliases",
)
SETTINGS = CollectorSettings(poll_initial_delay_seconds=0.2, poll_timeout_seconds=300)


def _collect(endpoint_url: str, latency: float = 0.0) -> tuple[Snapshot, CallCounter, float]:
    session = boto3.Session(region_name="us-east-1")
    counter = count_calls(session)
    if latency:
        session.events.register("before-send", lambda **_: time.sleep(latency))
    started = time.perf_counter()
    snapshot = collect_snapshot(session, SETTINGS, endpoint_url=endpoint_url)
    return snapshot, counter, time.perf_counter() - started


def run(size: int, workers: int, latency: float) -> dict[str, float | int | str]:
    with moto_server(startup_timeout=60) as url:
        seeded = seed_users(url, size, workers=workers)
        snapshot, counter, seconds = _collect(url, latency)
        if {user.name for user in snapshot.users} != seeded.user_names:
            raise SystemExit(f"{size}: the collection missed users")
        tracemalloc.start()
        _collect(url)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    calls = counter.by_operation()
    return {
        "users": size,
        "seed_calls": seeded.calls,
        "seed_s": round(seeded.seconds, 1),
        "api_calls": counter.total,
        "pages": sum(calls[operation] for operation in PAGINATED),
        "mfa_calls": calls["iam:ListMFADevices"],
        "latency_ms": round(latency * 1000),
        "collect_s": round(seconds, 2),
        "peak_mib": round(peak / 2**20, 1),
        "gaps": ",".join(gap.source for gap in snapshot.gaps) or "-",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=8, help="seeding threads")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay added before each collector request"
    )
    args = parser.parse_args()
    os.environ.update(dummy_aws_environment())
    rows = [run(size, args.workers, args.latency_ms / 1000) for size in args.sizes]
    columns = list(rows[0])
    print("  ".join(f"{c:>11}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]!s:>11}" for c in columns))


if __name__ == "__main__":
    main()
