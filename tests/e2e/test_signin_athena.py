"""The organization path: one Athena query over the organization trail, against ``moto_server``.

moto does not run SQL: its GetQueryResults returns rows queued through
``POST /moto-api/static/athena/query-results`` (moto's Athena backend docs). The rows below are
what AWS's CloudTrail table returns for the documented sign-in events (CloudTrail User Guide,
"AWS Management Console sign-in events"; Identity Center User Guide, "Understanding IAM Identity
Center sign-in events"): struct fields as columns, JSON columns as strings. Paging over several
``GetQueryResults`` pages, which moto does not do, is played back with ``Stubber``.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from auditor.collector.guard import ALLOWED_OPERATIONS, ATHENA_OPERATIONS
from auditor.collector.session import make_client
from auditor.collector.signin_athena import COLUMNS, query_text, read_signins_athena
from auditor.config import CollectorSettings
from auditor.errors import UsageError
from auditor.signin.records import SigninKind
from tests.signin.events import console_login, ic_signin

NOW = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
MEMBER = "111111111111"
OTHER = "222222222222"


def as_row(record: dict[str, Any]) -> dict[str, Any]:
    """A CloudTrail record as one Athena result row of ``COLUMNS``."""
    identity = record["userIdentity"]
    values: list[Any] = []
    for column, _ in COLUMNS:
        if column.startswith("useridentity."):
            node: Any = identity
            for part in column.split(".")[1:]:
                key = {"type": "type", "arn": "arn", "accountid": "accountId"}.get(part, part)
                key = {
                    "username": "userName",
                    "principalid": "principalId",
                    "sessioncontext": "sessionContext",
                    "sessionissuer": "sessionIssuer",
                    "onbehalfof": "onBehalfOf",
                    "userid": "userId",
                    "identitystorearn": "identityStoreArn",
                }.get(key, key)
                node = node.get(key) if isinstance(node, dict) else None
            values.append(node)
        else:
            key = next(k for c, k in COLUMNS if c == column)
            value = record.get(key)
            values.append(json.dumps(value) if isinstance(value, dict) else value)
    return {"Data": [{} if v is None else {"VarCharValue": str(v)} for v in values]}


HEADER = {"Data": [{"VarCharValue": column.rsplit(".", 1)[-1]} for column, _ in COLUMNS]}


def organization_rows() -> list[dict[str, Any]]:
    records = [
        console_login("dana", account=MEMBER),
        console_login("dana", account=MEMBER, mfa=True, time="2026-11-21T08:00:00Z"),
        console_login(identity_type="Root", account=OTHER),
        console_login("jdoe", identity_type="AssumedRole", account=OTHER),
        *ic_signin(("PASSWORD",), account=MEMBER),
    ]
    return [HEADER, *(as_row(r) for r in records if r["eventName"] != "CredentialChallenge")]


def test_one_query_over_moto_server_splits_the_organization_by_account(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t"}.items():
        monkeypatch.setenv(name, value)
    body = json.dumps({"results": [{"rows": organization_rows(), "column_info": []}]}).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback moto_server
        f"{moto_endpoint}/moto-api/static/athena/query-results",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback moto_server
        assert answer.status == 201
    session = boto3.Session(region_name="us-east-1")
    result = read_signins_athena(
        session,
        CollectorSettings(),
        table="cloudtrail_logs.org_trail",
        workgroup="primary",
        now=NOW,
        days=90,
        endpoint_url=moto_endpoint,
        sleep=lambda _s: None,
    )
    assert result.failure is None
    member, gaps = result.for_account(MEMBER)
    assert gaps == ()
    dana = member.find(SigninKind.IAM_USER, "dana")
    assert dana is not None
    assert (dana.without_mfa, dana.with_mfa) == (1, 1)
    ic_user = member.find(SigninKind.IDENTITY_CENTER, "dana")
    assert ic_user is not None
    assert ic_user.without_mfa == 1
    other, _ = result.for_account(OTHER)
    assert other.find(SigninKind.ROOT, "<root_account>") is not None
    assert other.find(SigninKind.IAM_USER, "jdoe") is None
    assert member.coverage.source == "athena"


def test_results_are_paged_and_the_header_skipped() -> None:
    session = boto3.Session(
        region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    client = make_client(
        session, "athena", CollectorSettings(), None, allowed=ALLOWED_OPERATIONS | ATHENA_OPERATIONS
    )
    rows = organization_rows()
    with Stubber(client.client) as stub:
        stub.add_response(
            "start_query_execution",
            {"QueryExecutionId": "q1"},
            {"QueryString": ANY, "WorkGroup": "audit"},
        )
        stub.add_response(
            "get_query_execution", {"QueryExecution": {"Status": {"State": "RUNNING"}}}
        )
        stub.add_response(
            "get_query_execution", {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}}
        )
        stub.add_response(
            "get_query_results",
            {"ResultSet": {"Rows": rows[:3]}, "NextToken": "p2"},
            {"QueryExecutionId": "q1", "MaxResults": 1000},
        )
        stub.add_response(
            "get_query_results",
            {"ResultSet": {"Rows": rows[3:]}},
            {"QueryExecutionId": "q1", "MaxResults": 1000, "NextToken": "p2"},
        )
        result = read_signins_athena(
            session,
            CollectorSettings(),
            table="db.trail",
            workgroup="audit",
            now=NOW,
            days=90,
            client=client,
            sleep=lambda _s: None,
        )
        stub.assert_no_pending_responses()
    assert result.calls == 5
    member, _ = result.for_account(MEMBER)
    assert member.coverage.records_read == len(rows) - 1


def test_a_failed_query_is_a_gap_for_every_account() -> None:
    session = boto3.Session(
        region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    client = make_client(
        session, "athena", CollectorSettings(), None, allowed=ALLOWED_OPERATIONS | ATHENA_OPERATIONS
    )
    with Stubber(client.client) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q1"})
        stub.add_response(
            "get_query_execution",
            {
                "QueryExecution": {
                    "Status": {"State": "FAILED", "StateChangeReason": "Table not found"}
                }
            },
        )
        result = read_signins_athena(
            session,
            CollectorSettings(),
            table="db.trail",
            workgroup="w",
            now=NOW,
            days=90,
            client=client,
            sleep=lambda _s: None,
        )
    evidence, gaps = result.for_account(MEMBER)
    assert "Table not found" in gaps[0].reason
    assert not evidence.complete


def test_the_table_name_is_validated_before_it_reaches_sql() -> None:
    with pytest.raises(UsageError, match=r"DATABASE\.TABLE"):
        query_text("db.t; DROP TABLE x", NOW, NOW)
    sql = query_text("cloudtrail_logs.org_trail", datetime(2026, 9, 1, tzinfo=timezone.utc), NOW)
    assert "eventtime >= '2026-09-01T00:00:00Z' AND eventtime <= '2026-11-30T12:00:00Z'" in sql
    assert "eventname IN ('ConsoleLogin', 'CredentialVerification', 'UserAuthentication')" in sql
