"""Organization sign-in evidence from the organization trail, with one Amazon Athena query.

LookupEvents allows 2 requests per second per account per region, so an organization of
hundreds of accounts × 17 regions outgrows it. An organization trail already holds every
account's sign-ins in one S3 bucket; with AWS's CloudTrail table in Athena ("Querying AWS
CloudTrail logs", Athena User Guide) one SELECT over the window and the three event names returns
them all. Results are paged from ``GetQueryResults`` (up to 1,000 rows a page; the first row of
the first page is the header) into the same aggregator the other readers use, so memory holds
the totals, never the rows.

The table name is checked (``database.table``, letters, digits and ``_``) before it goes into the
SQL; the window is formatted from datetimes. Nothing else comes from the caller.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import error_code, error_message
from auditor.collector.guard import ALLOWED_OPERATIONS, ATHENA_OPERATIONS
from auditor.collector.session import make_client
from auditor.collector.transport import EndpointError
from auditor.config import CollectorSettings
from auditor.errors import UsageError
from auditor.models import CollectionGap, CollectionSource
from auditor.signin.aggregate import SigninAggregator
from auditor.signin.parse import LOOKUP_EVENT_NAMES, SIGNIN_SOURCE
from auditor.signin.records import RegionFailure, SigninEvidence

_TABLE = re.compile(r"^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$")
COLUMNS = (
    ("eventtime", "eventTime"),
    ("eventsource", "eventSource"),
    ("eventname", "eventName"),
    ("awsregion", "awsRegion"),
    ("sourceipaddress", "sourceIPAddress"),
    ("recipientaccountid", "recipientAccountId"),
    ("useridentity.type", "type"),
    ("useridentity.arn", "arn"),
    ("useridentity.accountid", "accountId"),
    ("useridentity.username", "userName"),
    ("useridentity.principalid", "principalId"),
    ("useridentity.sessioncontext.sessionissuer.username", "issuer"),
    ("useridentity.onbehalfof.userid", "userId"),
    ("useridentity.onbehalfof.identitystorearn", "identityStoreArn"),
    ("responseelements", "responseElements"),
    ("additionaleventdata", "additionalEventData"),
    ("serviceeventdetails", "serviceEventDetails"),
    ("errorcode", "errorCode"),
    ("errormessage", "errorMessage"),
)
"""The columns of AWS's CloudTrail table DDL the verdicts need; JSON columns are strings."""
PAGE_ROWS = 1000
POLL_TIMEOUT_SECONDS = 900.0


def query_text(table: str, start: datetime, end: datetime) -> str:
    """The one SELECT: sign-in events of the window, every account and region of the trail."""
    match = _TABLE.match(table)
    if match is None:
        raise UsageError(
            f"--cloudtrail-athena {table!r} is not DATABASE.TABLE",
            hint="letters, digits and _ only, e.g. cloudtrail_logs.org_trail",
        )
    names = ", ".join(f"'{name}'" for name in LOOKUP_EVENT_NAMES)
    columns = ",\n  ".join(column for column, _ in COLUMNS)
    return (
        f"SELECT\n  {columns}\n"
        f'FROM "{match.group(1)}"."{match.group(2)}"\n'
        f"WHERE eventsource = '{SIGNIN_SOURCE}'\n"
        f"  AND eventname IN ({names})\n"
        f"  AND eventtime >= '{_stamp(start)}' AND eventtime <= '{_stamp(end)}'"
    )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def row_record(values: list[str | None]) -> dict[str, Any]:
    """One result row as the CloudTrail record the parser reads."""
    cells = (values + [None] * len(COLUMNS))[: len(COLUMNS)]
    by_name = {key: value for (_, key), value in zip(COLUMNS, cells, strict=True)}
    identity: dict[str, Any] = {
        k: by_name[k] for k in ("type", "arn", "accountId", "userName", "principalId") if by_name[k]
    }
    if by_name["issuer"]:
        identity["sessionContext"] = {"sessionIssuer": {"userName": by_name["issuer"]}}
    if by_name["userId"]:
        identity["onBehalfOf"] = {
            "userId": by_name["userId"],
            "identityStoreArn": by_name["identityStoreArn"] or "",
        }
    record: dict[str, Any] = {"userIdentity": identity}
    for key in ("eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress"):
        record[key] = by_name[key]
    for key in ("recipientAccountId", "errorCode", "errorMessage"):
        if by_name[key]:
            record[key] = by_name[key]
    for key in ("responseElements", "additionalEventData", "serviceEventDetails"):
        text = by_name[key]
        if text:
            try:
                record[key] = json.loads(text)
            except json.JSONDecodeError:
                record[key] = None
    return record


@dataclass
class AthenaSignins:
    """The organization's sign-ins from one query; ``for_account`` gives each account's share."""

    aggregator: SigninAggregator
    days: int
    table: str
    query_id: str = ""
    failure: RegionFailure | None = None
    calls: int = 0
    notes: list[str] = field(default_factory=list)

    def for_account(self, account_id: str) -> tuple[SigninEvidence, tuple[CollectionGap, ...]]:
        failed = (self.failure,) if self.failure else ()
        evidence = self.aggregator.evidence(
            account_id,
            source="athena",
            days=self.days,
            regions_failed=failed,
            api_calls=self.calls,
        )
        note = f"Sign-ins read from the organization trail with Athena ({self.table})."
        evidence = SigninEvidence(evidence.coverage, evidence.principals, (note, *evidence.notes))
        gaps = tuple(
            CollectionGap(CollectionSource.SIGNIN_EVENTS.value, f"{f.region}: {f.reason}")
            for f in failed
        )
        return evidence, gaps


def read_signins_athena(
    session: boto3.Session,
    settings: CollectorSettings,
    *,
    table: str,
    workgroup: str,
    now: datetime,
    days: int,
    account_ids: Iterable[str] | None = None,
    output_location: str | None = None,
    endpoint_url: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    poll_timeout: float = POLL_TIMEOUT_SECONDS,
    client: Any | None = None,
) -> AthenaSignins:
    """Run the query and fold its rows; a failed query is a failure, never an empty result."""
    start = now - timedelta(days=days)
    sql = query_text(table, start, now)
    athena = client or make_client(
        session, "athena", settings, endpoint_url, allowed=ALLOWED_OPERATIONS | ATHENA_OPERATIONS
    )
    result = AthenaSignins(SigninAggregator(start, now, account_ids=account_ids), days, table)
    where = f"athena {table}"
    try:
        params: dict[str, Any] = {"QueryString": sql, "WorkGroup": workgroup}
        if output_location:
            params["ResultConfiguration"] = {"OutputLocation": output_location}
        result.query_id = str(athena.start_query_execution(**params)["QueryExecutionId"])
        result.calls += 1
        state, reason = _wait(athena, result, sleep, clock, poll_timeout)
        if state != "SUCCEEDED":
            result.failure = RegionFailure(where, f"query {result.query_id} {state}: {reason}")
            return result
        for values in _rows(athena, result):
            result.aggregator.add_record(row_record(values))
    except ClientError as error:
        result.failure = RegionFailure(where, f"{error_code(error)}: {error_message(error)}"[:300])
    except (BotoCoreError, EndpointError) as error:
        result.failure = RegionFailure(where, f"not reachable ({error})")
    return result


def _wait(
    athena: Any,
    result: AthenaSignins,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    timeout: float,
) -> tuple[str, str]:
    """Poll ``GetQueryExecution`` with a growing delay until a final state or the deadline."""
    deadline = clock() + timeout
    delay = 0.5
    while True:
        execution = athena.get_query_execution(QueryExecutionId=result.query_id)
        result.calls += 1
        status = execution["QueryExecution"]["Status"]
        state = str(status["State"])
        if state in {"SUCCEEDED", "FAILED", "CANCELLED"}:
            return state, str(status.get("StateChangeReason", ""))
        if clock() + delay > deadline:
            return "TIMED_OUT", f"still {state} after {timeout:.0f} s"
        sleep(delay)
        delay = min(delay * 2, 5.0)


def _rows(athena: Any, result: AthenaSignins) -> Iterator[list[str | None]]:
    token: str | None = None
    first = True
    while True:
        params: dict[str, Any] = {"QueryExecutionId": result.query_id, "MaxResults": PAGE_ROWS}
        if token:
            params["NextToken"] = token
        page = athena.get_query_results(**params)
        result.calls += 1
        rows = page.get("ResultSet", {}).get("Rows", [])
        for index, row in enumerate(rows):
            values = [cell.get("VarCharValue") for cell in row.get("Data", [])]
            if first and index == 0 and values and values[0] == COLUMNS[0][0]:
                continue  # the header row
            yield values
        first = False
        token = page.get("NextToken")
        if not token:
            return
