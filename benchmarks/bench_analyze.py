"""Analyzer scale figures (a plain script, not a timed test).

A synthetic account of 50,000 users, 5,000 groups and 20,000 customer-managed policies (each
document distinct, so the engine's per-document cache helps only as much as it would in life),
plus 2,000 roles in chains (``role_chains``: an entry role trusting the account root or a
service, then up to three roles each trusting the previous one) and a credential report row per
user; the access graph follows every chain. Shape, chosen to be unkind:

- every group holds 4 policies; 1 policy in 40 is privileged (``iam:*``, ``iam:PassRole``, or
  ``*``), written with no MFA condition, an MFA condition, or a bypassable one; 1 in 80 is a
  "deny unless MFA" guard; the rest grant data actions on team resources;
- users sit in 1-3 groups drawn with a skew (popular groups are shared, the tail is not), 8 %
  carry an inline policy of their own, a quarter have access keys, 60 % a virtual MFA device;
- 200 users are missing from the credential report and 200 report rows have no user.

Run: ``python benchmarks/bench_analyze.py [--users N --groups N --policies N --seed N]``.
Prints the seconds to build the snapshot and to analyze it, the peak RSS of the process, and the
size of the result.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from auditor.analyzer import analyze
from auditor.config import AuditorConfig
from auditor.models import (
    AccessKeyStatus,
    AttachedPolicy,
    CertificateStatus,
    CredentialReport,
    CredentialReportRow,
    FindingStatus,
    Group,
    InlinePolicy,
    ManagedPolicy,
    Role,
    Snapshot,
    Unavailable,
    User,
    VirtualMfaDevice,
)

ACCOUNT = "210987654321"
NOW = datetime(2026, 11, 27, 12, tzinfo=timezone.utc)
NA = Unavailable.NOT_APPLICABLE
DATA_ACTIONS = {
    "s3": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
    "dynamodb": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
    "sqs": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
    "sns": ["sns:Publish"],
    "logs": ["logs:PutLogEvents", "logs:GetLogEvents", "logs:Describe*"],
    "ec2": ["ec2:Describe*"],
    "lambda": ["lambda:InvokeFunction", "lambda:GetFunction"],
    "kinesis": ["kinesis:PutRecord", "kinesis:GetRecords"],
    "rds": ["rds:Describe*"],
    "athena": ["athena:StartQueryExecution", "athena:GetQueryResults"],
}
PRIVILEGED = [["iam:*"], ["iam:PassRole", "ec2:RunInstances"], ["*"], ["iam:CreateAccessKey"]]
DENY_WITHOUT_MFA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "NotAction": ["iam:EnableMFADevice", "iam:ListMFADevices", "sts:GetSessionToken"],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        }
    ],
}
MFA_CONDITIONS: list[dict[str, Any] | None] = [
    None,
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}},
]


def policy_document(index: int, rng: random.Random) -> dict[str, Any]:
    if index % 40 == 0:
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Action": rng.choice(PRIVILEGED),
            "Resource": "*",
        }
        condition = rng.choice(MFA_CONDITIONS)
        if condition:
            statement["Condition"] = condition
        return {"Version": "2012-10-17", "Statement": [statement]}
    if index % 80 == 1:
        return DENY_WITHOUT_MFA
    service = rng.choice(sorted(DATA_ACTIONS))
    actions = DATA_ACTIONS[service]
    resource = f"arn:aws:{service}:*:{ACCOUNT}:*/team-{index}-*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": f"Team{index}", "Effect": "Allow", "Action": actions, "Resource": resource}
        ],
    }


def report_row(name: str, rng: random.Random, mfa: bool) -> CredentialReportRow:
    password = rng.random() < 0.7
    keys = 1 if rng.random() < 0.25 else 0
    key = AccessKeyStatus(
        bool(keys), NOW - timedelta(days=90), NOW - timedelta(days=2), "eu-west-1", "s3"
    )
    none = AccessKeyStatus(False, NA, NA, NA, NA)
    return CredentialReportRow(
        user=name,
        arn=f"arn:aws:iam::{ACCOUNT}:user/{name}",
        user_creation_time=NOW - timedelta(days=700),
        password_enabled=password,
        password_last_used=NOW - timedelta(days=rng.randint(0, 60)) if password else NA,
        password_last_changed=NA,
        password_next_rotation=NA,
        mfa_active=mfa,
        access_key_1=key if keys else none,
        access_key_2=none,
        cert_1=CertificateStatus(False, NA),
        cert_2=CertificateStatus(False, NA),
    )


def build(users: int, groups: int, policies: int, seed: int) -> Snapshot:
    rng = random.Random(seed)
    managed = [
        ManagedPolicy(
            arn=f"arn:aws:iam::{ACCOUNT}:policy/p{i}",
            name=f"p{i}",
            policy_id=None,
            path="/",
            default_version_id="v1",
            document=policy_document(i, rng),
            attachment_count=1,
            is_aws_managed=False,
        )
        for i in range(policies)
    ]
    per_group = max(1, policies // groups)
    group_list = [
        Group(
            name=f"g{g}",
            arn=f"arn:aws:iam::{ACCOUNT}:group/g{g}",
            group_id=f"AGPA{g}",
            path="/",
            create_date=None,
            inline_policies=(),
            attached_policies=tuple(
                AttachedPolicy(p.arn, p.name) for p in managed[g * per_group : (g + 1) * per_group]
            ),
        )
        for g in range(groups)
    ]
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(groups)]
    user_list: list[User] = []
    rows: list[CredentialReportRow] = []
    devices: list[VirtualMfaDevice] = []
    for u in range(users):
        name = f"user{u:05d}"
        arn = f"arn:aws:iam::{ACCOUNT}:user/{name}"
        member_of = sorted(
            {f"g{i}" for i in rng.choices(range(groups), weights, k=rng.randint(1, 3))}
        )
        inline = ()
        if rng.random() < 0.08:
            inline = (InlinePolicy(f"own{u}", policy_document(u * 7 + 1, rng)),)
        user_list.append(User(name, arn, f"AIDA{u}", "/", None, tuple(member_of), inline, (), None))
        mfa = rng.random() < 0.6
        if mfa:
            devices.append(VirtualMfaDevice(f"arn:aws:iam::{ACCOUNT}:mfa/{name}", arn, NOW))
        if u >= 200:  # the first 200 were created after the report
            rows.append(report_row(name, rng, mfa))
    rows.extend(report_row(f"deleted{d}", rng, False) for d in range(200))
    root = report_row("<root_account>", rng, True)
    rows.insert(0, dataclasses.replace(root, arn=f"arn:aws:iam::{ACCOUNT}:root"))
    roles = role_chains(managed, policies)
    return Snapshot(
        schema_version=1,
        tool_version="bench",
        source="synthetic",
        account_id=ACCOUNT,
        account_alias=None,
        caller_arn=None,
        collected_at=NOW,
        credential_report=CredentialReport(NOW - timedelta(hours=1), tuple(rows)),
        users=tuple(user_list),
        groups=tuple(group_list),
        roles=tuple(roles),
        policies=tuple(managed),
        virtual_mfa_devices=tuple(devices),
        account_summary={
            "AccountMFAEnabled": 1,
            "AccountPasswordPresent": 1,
            "AccountAccessKeysPresent": 0,
        },
        password_policy=None,
    )


def _trust(principal: dict[str, str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
    }


def role_chains(managed: list[ManagedPolicy], policies: int, count: int = 2000) -> list[Role]:
    """``count`` roles in chains of four: the first trusts the account root (callers whose
    identity policy allows sts:AssumeRole get in), one chain in ten a service instead; each next
    role trusts the previous one's ARN, which may assume it (an inline Allow): chains up to
    three hops deep behind the entry, every role holding one of the account's policies."""
    roles: list[Role] = []
    for r in range(count):
        arn = f"arn:aws:iam::{ACCOUNT}:role/r{r}"
        if r % 4 == 0:
            principal = (
                {"Service": "lambda.amazonaws.com"}
                if r % 40 == 0
                else {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
            )
        else:
            principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/r{r - 1}"}
        inline: tuple[InlinePolicy, ...] = ()
        if r % 4 != 3 and r + 1 < count:
            hop = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": f"arn:aws:iam::{ACCOUNT}:role/r{r + 1}",
                    }
                ],
            }
            inline = (InlinePolicy(f"next{r}", hop),)
        policy = managed[r * 10 % policies]
        roles.append(
            Role(
                f"r{r}",
                arn,
                f"AROA{r}",
                "/",
                None,
                _trust(principal),
                inline,
                (AttachedPolicy(policy.arn, policy.name),),
                None,
            )
        )
    return roles


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--groups", type=int, default=5_000)
    parser.add_argument("--policies", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    snapshot = build(args.users, args.groups, args.policies, args.seed)
    built = time.perf_counter()
    baseline = peak_rss_mib()
    cpu = time.process_time()
    result = analyze(snapshot, AuditorConfig(), now=NOW)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    open_findings = sum(f.status is FindingStatus.OPEN for f in result.findings)
    print(
        f"snapshot: {len(snapshot.users)} users, {len(snapshot.groups)} groups, "
        f"{len(snapshot.policies)} policies, {len(snapshot.roles)} roles"
    )
    print(f"build:    {built - started:.2f} s (peak RSS so far {baseline:.0f} MiB)")
    print(
        f"analyze:  {done - built:.2f} s wall, {cpu:.2f} s CPU (wall suffers on a shared machine)"
    )
    print(f"peak RSS: {peak_rss_mib():.0f} MiB (whole process)")
    print(
        f"result:   {len(result.findings)} findings ({open_findings} open), "
        f"{len(result.users)} user rows, {len(result.groups)} group rows, {len(result.cards)} cards"
    )
    chained = sum(1 for p in result.principals if any(len(path.hops) > 2 for path in p.paths))
    print(f"graph:    {len(result.principals)} principal rows, {chained} reach through role chains")


if __name__ == "__main__":
    main()
