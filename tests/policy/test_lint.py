"""``lint_policy``: blocking MFA gaps and advisory pitfalls, with statement and advice.

Pitfalls are those of the IAM User Guide, "AWS global condition context keys"
(aws:MultiFactorAuthPresent warnings) and AWS's warning on the MFA-only example policy
(never allow removing an MFA device without MFA).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from auditor.errors import PolicyError
from auditor.policy import LintProblem, PolicyEngine, lint_policy

from .conftest import ADMIN, AWS_SELF_MANAGE_CREDENTIALS, AWS_SELF_MANAGE_MFA_ONLY, allow, deny


def lint(engine: PolicyEngine, document: Any) -> list[LintProblem]:
    return lint_policy(document, file="policies/x.json", policy_name="x.json", engine=engine)


def test_unconditional_admin_blocks(engine: PolicyEngine) -> None:
    (problem,) = lint(engine, ADMIN)
    assert problem.blocks
    assert problem.severity == "error"
    assert problem.file == "policies/x.json"
    assert problem.statement_id == "#0"
    assert "console session without MFA" in problem.message
    assert "BoolIfExists" in problem.advice


def test_bool_if_exists_allow_blocks_and_is_named(engine: PolicyEngine) -> None:
    problems = lint(
        engine,
        allow(condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, Sid="Console"),
    )
    blocking = [p for p in problems if p.blocks]
    assert len(blocking) == 1
    assert "long-term access keys" in blocking[0].message
    assert blocking[0].statement_id == "Console"
    assert any(not p.blocks and "BoolIfExists true in an Allow" in p.message for p in problems)


@pytest.mark.parametrize(
    ("condition", "effect", "fragment"),
    [
        ({"Bool": {"aws:MultiFactorAuthPresent": "false"}}, deny, "Bool false in a Deny"),
        ({"Null": {"aws:MultiFactorAuthPresent": "true"}}, deny, "Null true in a Deny"),
        ({"Null": {"aws:MultiFactorAuthPresent": "false"}}, allow, "Null false in an Allow"),
        (
            {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "300"}},
            allow,
            "IfExists age test in an Allow",
        ),
        (
            {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "300"}},
            deny,
            "without IfExists in a Deny",
        ),
        (
            {"NumericLessThan": {"aws:MultiFactorAuthAge": "86400"}},
            allow,
            "above the 3600s maximum",
        ),
    ],
)
def test_documented_pitfalls_are_reported(
    engine: PolicyEngine,
    condition: dict[str, Any],
    effect: Callable[..., dict[str, Any]],
    fragment: str,
) -> None:
    problems = lint(engine, effect(condition=condition))
    assert any(fragment in p.message and not p.blocks for p in problems), problems


def test_aws_example_with_admin_has_no_blocking_problem(engine: PolicyEngine) -> None:
    problems = lint(engine, [ADMIN, AWS_SELF_MANAGE_CREDENTIALS])
    assert not any(p.blocks for p in problems)
    assert any("any age" in p.message for p in problems)  # advisory: no age limit
    assert {p.policy_name for p in problems} <= {"x.json[0]", "x.json[1]"}


def test_mfa_removal_carve_out_is_flagged(
    engine: PolicyEngine, example: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    risky = example(AWS_SELF_MANAGE_MFA_ONLY)
    risky["Statement"][-1]["NotAction"].append("iam:DeleteVirtualMFADevice")
    problems = lint(engine, risky)
    assert any("exempts iam:DeleteVirtualMFADevice" in p.message for p in problems)
    assert any(p.blocks for p in problems)  # allowed on one's own device without MFA


def test_unknown_actions_are_reported_as_info(engine: PolicyEngine) -> None:
    problems = lint(
        engine, allow("iam:CreateUsr", condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    info = [p for p in problems if p.severity == "info"]
    assert info
    assert "iam:createusr" in info[0].message


def test_malformed_policy_raises(engine: PolicyEngine) -> None:
    with pytest.raises(PolicyError, match=r"x\.json"):
        lint(engine, {"Statement": {"Effect": "Allow", "Action": "*"}})
