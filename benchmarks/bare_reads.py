"""The baseline for ``bench_scan.py``: a bare boto3 script making exactly the scan's read calls.

Usage: ``python benchmarks/bare_reads.py ENDPOINT_URL CALLS.json``. ``CALLS.json`` is the list
of ``[service, operation, parameters]`` that ``bench_scan.py`` recorded from a real scan (same
operations, same pagination markers, same order), so the difference between the two timings is
what mfa-auditor adds on top of the AWS calls: its imports, analysis and reports. Nothing but
boto3 is imported, on purpose.
"""

from __future__ import annotations

import contextlib
import json
import sys

import boto3
from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError


def main() -> None:
    endpoint_url, calls_file = sys.argv[1], sys.argv[2]
    with open(calls_file, encoding="utf-8") as handle:
        calls = json.load(handle)
    session = boto3.Session(region_name="us-east-1")
    clients = {}
    for service, operation, params in calls:
        if service not in clients:
            clients[service] = session.client(service, endpoint_url=endpoint_url)
        # NoSuchEntity for an account without a password policy is an answer too, and an API
        # moto lacks answers 500 (the collector records a gap; the cost of asking is the same).
        with contextlib.suppress(ClientError, BotoCoreError, ResponseParserError):
            getattr(clients[service], xform_name(operation))(**params)


if __name__ == "__main__":
    main()
