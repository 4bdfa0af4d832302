"""``--security-hub``: ASFF findings imported into moto_server's Security Hub, over HTTP.

Security Hub updates a finding it already holds with the same ``Id`` and ``ProductArn`` (API
Reference, "BatchImportFindings": "If a finding with the same ID already exists, it is
updated"), so a second identical run must add nothing. Per-finding failures come back in
``FailedFindings`` without an exception; moto does not produce them, so those cases use
botocore's ``Stubber`` with responses shaped as in the API Reference.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from auditor.collector.guard import ALLOWED_OPERATIONS
from auditor.collector.security_hub import (
    BATCH_LIMIT,
    SECURITY_HUB_ALLOWED,
    import_findings,
    security_hub_client,
)
from auditor.config import CollectorSettings
from auditor.errors import ReadOnlyViolation
from auditor.models import AuditResult, FindingStatus
from auditor.reporter.asff import asff_findings
from auditor.reporter.interchange import default_rules
from tests.reporter.conftest import GENERATED, sample
from tests.support.moto_server import DUMMY_CREDENTIALS, moto_server

REGION = DUMMY_CREDENTIALS["AWS_DEFAULT_REGION"]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        yield url


def _many(result: AuditResult, count: int) -> AuditResult:
    """``count`` open findings on distinct users, so the import needs several batches."""
    template = next(f for f in result.findings if f.status is FindingStatus.OPEN)
    findings = tuple(
        dataclasses.replace(
            template,
            principal_name=f"user{i}",
            principal_arn=f"arn:aws:iam::{result.account_id}:user/user{i}",
        )
        for i in range(count)
    )
    return dataclasses.replace(result, findings=result.findings + findings)


def _all_findings(endpoint: str) -> list[dict[str, Any]]:
    reader = boto3.client("securityhub", region_name=REGION, endpoint_url=endpoint)
    found: list[dict[str, Any]] = []
    for page in reader.get_paginator("get_findings").paginate():
        found.extend(page["Findings"])
    return found


@pytest.mark.e2e
def test_import_then_reimport_adds_nothing(endpoint: str, aws_env: None) -> None:
    result = _many(sample(), 150)
    asff = asff_findings(result, generated_at=GENERATED, rules=default_rules(), region=REGION)
    client = security_hub_client(boto3.Session(), CollectorSettings(), endpoint, region=REGION)

    first = import_findings(client, asff)
    assert first.ok, first.failures
    assert (first.batches, first.imported) == (2, len(asff))
    stored = _all_findings(endpoint)
    open_ids = {
        a["Id"] for f, a in zip(result.findings, asff, strict=True) if f.status.value == "open"
    }
    stored_open = {
        s["Id"]
        for s in stored
        if (s["Compliance"]["Status"], s["Workflow"]["Status"]) == ("FAILED", "NEW")
    }
    assert stored_open == open_ids
    assert len(stored) == len(asff)

    later = asff_findings(
        result, generated_at=GENERATED.replace(day=27), rules=default_rules(), region=REGION
    )
    second = import_findings(client, later)
    assert second.ok
    again = _all_findings(endpoint)
    assert len(again) == len(stored)
    assert {s["UpdatedAt"] for s in again} == {later[0]["UpdatedAt"]}


def test_the_client_sends_nothing_but_batch_import(aws_env: None) -> None:
    assert frozenset({"securityhub:BatchImportFindings"}) == SECURITY_HUB_ALLOWED
    assert not SECURITY_HUB_ALLOWED & ALLOWED_OPERATIONS  # the collector's clients cannot write
    client = security_hub_client(boto3.Session(), CollectorSettings(), "http://127.0.0.1:9")
    with pytest.raises(ReadOnlyViolation):
        client.get_findings()
    with pytest.raises(ReadOnlyViolation):
        client.delete_insight(InsightArn="arn:aws:securityhub:us-east-1:1:insight/x")


def _stubbed(aws_env: None) -> tuple[Any, Stubber]:
    client = security_hub_client(boto3.Session(), CollectorSettings(), "http://127.0.0.1:9")
    return client, Stubber(client.client)


def test_partial_failures_and_a_refused_batch_are_reported(aws_env: None) -> None:
    result = _many(sample(), BATCH_LIMIT * 2)
    asff = asff_findings(result, generated_at=GENERATED, rules=default_rules(), region=REGION)
    client, stubber = _stubbed(aws_env)
    failed_id = asff[0]["Id"]
    stubber.add_response(
        "batch_import_findings",
        {
            "FailedCount": 1,
            "SuccessCount": BATCH_LIMIT - 1,
            "FailedFindings": [
                {"Id": failed_id, "ErrorCode": "InvalidInput", "ErrorMessage": "bad Types"}
            ],
        },
    )
    stubber.add_client_error(
        "batch_import_findings", "InvalidAccessException", "Security Hub is not enabled"
    )
    stubber.add_response(
        "batch_import_findings", {"FailedCount": 0, "SuccessCount": len(asff) - 200}
    )
    with stubber:
        outcome = import_findings(client, asff)
    assert outcome.batches == 3
    assert not outcome.ok
    assert outcome.imported == BATCH_LIMIT - 1 + len(asff) - 200
    assert outcome.failures[0].finding_id == failed_id
    assert "InvalidInput: bad Types" in outcome.failures[0].reason
    assert outcome.failures[1].finding_id == ""
    assert "batch 2 (100 findings) refused" in outcome.failures[1].reason
    assert "not enabled" in outcome.failures[1].reason
    assert "2 failure(s)" in outcome.summary()
