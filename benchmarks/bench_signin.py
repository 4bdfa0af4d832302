"""Offline sign-in reading at scale: seconds and peak memory over CloudTrail's S3 layout.

Usage: ``python benchmarks/bench_signin.py [--sizes 100000 1000000] [--per-file 2000]``

For each size, ``.json.gz`` delivery files (``AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/``)
are generated under a temporary folder in /tmp (never the repository): 2 % sign-in events (console
sign-ins of 500 IAM users, root, role sessions, and Identity Center workflows of 200 users), the
rest ordinary management events, as in an organization trail. Each size is then analysed in a
fresh child process so its peak resident memory (``ru_maxrss``) is its own: flat memory means the
peak does not grow with the number of records (only sign-in totals are kept).

It also prints the LookupEvents call count as a formula of events and regions (the live path).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "us-east-2", "eu-west-1", "eu-north-1", "ap-southeast-2")
END = datetime(2026, 11, 30, tzinfo=timezone.utc)
SOURCES = ("ec2", "s3", "iam", "sts", "kms", "lambda", "dynamodb", "logs")


def _other_templates() -> list[str]:
    """Ordinary management events as JSON with three slots (time, region, ids), so generating
    a million of them measures the reader, not ``json.dumps``."""
    templates = []
    for source in SOURCES:
        record = {
            "eventVersion": "1.08",
            "userIdentity": {
                "type": "AssumedRole",
                "principalId": "AROAEXAMPLE:worker",
                "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/app/worker",
                "accountId": ACCOUNT,
            },
            "eventTime": "@T",
            "eventSource": f"{source}.amazonaws.com",
            "eventName": "Describe" + source.title(),
            "awsRegion": "@R",
            "sourceIPAddress": "10.0.0.1",
            "userAgent": "aws-sdk-go/1.44",
            "requestParameters": {"maxResults": 100, "filterSet": {"items": [{"name": "tag:env"}]}},
            "responseElements": None,
            "requestID": "@I",
            "eventID": "@I",
            "readOnly": True,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ACCOUNT,
        }
        text = json.dumps(record, separators=(",", ":"))
        templates.append(
            text.replace('"@T"', '"{t}"').replace('"@R"', '"{r}"').replace('"@I"', '"{i}"')
        )
    return templates


def _signins(rng: random.Random, when: str, region: str, index: int) -> list[dict[str, object]]:
    from tests.signin.events import console_login, ic_signin

    roll = rng.random()
    if roll < 0.6:
        return [
            console_login(
                f"user{rng.randrange(500)}",
                mfa=rng.random() < 0.7,
                success=rng.random() < 0.95,
                time=when,
                region=region,
                ip=f"192.0.2.{rng.randrange(256)}",
            )
        ]
    if roll < 0.65:
        return [console_login(identity_type="Root", mfa=True, time=when, region="us-east-1")]
    if roll < 0.8:
        return [console_login(f"s{index}", identity_type="AssumedRole", time=when, region=region)]
    factors = rng.choice([("PASSWORD",), ("PASSWORD", "TOTP"), ("WEBAUTHN",), ("EXTERNAL_IDP",)])
    user = rng.randrange(200)
    return ic_signin(
        factors,
        workflow=f"wf-{index}",
        user_id=f"u-{user}",
        user_name=f"ic{user}",
        time=when,
        region="eu-west-1",
    )


def generate(folder: Path, records: int, per_file: int) -> int:
    """Write ``records`` records in delivery files; returns the bytes written (compressed)."""
    rng = random.Random(12)
    templates = _other_templates()
    written = 0
    made = 0
    index = 0
    while made < records:
        region = REGIONS[index % len(REGIONS)]
        day = END - timedelta(days=(index % 85) + 1)
        target = folder / "AWSLogs" / ACCOUNT / "CloudTrail" / region / f"{day:%Y/%m/%d}"
        target.mkdir(parents=True, exist_ok=True)
        batch: list[str] = []
        while len(batch) < per_file and made + len(batch) < records:
            when = (day + timedelta(seconds=rng.randrange(86_400))).strftime("%Y-%m-%dT%H:%M:%SZ")
            if rng.random() < 0.02:
                batch.extend(
                    json.dumps(r, separators=(",", ":"))
                    for r in _signins(rng, when, region, made + len(batch))
                )
            else:
                template = templates[rng.randrange(len(templates))]
                ident = f"{rng.getrandbits(64):016x}"
                batch.append(
                    template.replace("@T", when).replace("@R", region).replace("@I", ident)
                )
        path = target / f"{ACCOUNT}_CloudTrail_{region}_{day:%Y%m%d}T0000Z_{index:06d}.json.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
            out.write('{"Records":[' + ",".join(batch) + "]}")
        written += path.stat().st_size
        made += len(batch)
        index += 1
    return written


def analyse(folder: str) -> None:
    """Child process: read every file, print one JSON line of figures."""
    from auditor.signin.files import read_cloudtrail

    started = time.perf_counter()
    evidence = read_cloudtrail([Path(folder)], account_id=ACCOUNT, window_end=END, days=90)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    coverage = evidence.coverage
    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "peak_mib": round(peak_mib, 1),
                "records": coverage.records_read,
                "files": coverage.files_read,
                "signin_events": coverage.signin_events,
                "principals": len(evidence.principals),
            }
        )
    )


def lookup_formula() -> None:
    print(
        "LookupEvents calls = Σ over regions r, Σ over the 3 event names e (ConsoleLogin,\n"
        "  CredentialVerification, UserAuthentication) of max(1, ⌈events(r, e) / 50⌉)\n"
        "  + throttled retries + ⌈enabled regions / 50⌉ ListRegions calls;\n"
        "  time ≈ max over regions of calls(r) / 2 s (2 requests/s per region, in parallel)."
    )
    for regions, events in ((5, 0), (5, 1_000), (17, 10_000)):
        per_lookup = -(-events // (regions * 3))  # events per (region, event name), rounded up
        calls = regions * 3 * max(1, -(-per_lookup // 50))
        print(
            f"  e.g. {regions} regions, {events:,} sign-in events spread evenly: "
            f"{calls} calls, ≈ {calls / regions / 2:.0f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--per-file", type=int, default=2000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        analyse(args.child)
        return
    for size in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix="bench-signin-", dir="/tmp"))
        try:
            started = time.perf_counter()
            compressed = generate(folder, size, args.per_file)
            made = time.perf_counter() - started
            child = subprocess.run(
                [sys.executable, __file__, "--child", str(folder)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"{size:>9,} records in {figures['files']} files ({compressed / 2**20:.1f} MiB "
                f"gzip, generated in {made:.0f} s): analysed in {figures['seconds']} s, "
                f"peak {figures['peak_mib']} MiB RSS, {figures['signin_events']:,} sign-in "
                f"events, {figures['principals']} principals"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    lookup_formula()


if __name__ == "__main__":
    main()
