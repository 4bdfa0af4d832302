"""A role whose own permission policies require MFA is not a way around MFA.

A session assumed without MFA carries aws:MultiFactorAuthPresent = "false" (temporary
credentials; IAM User Guide, "AWS global condition context keys", aws:MultiFactorAuthPresent),
and role sessions never use long-term access keys. So when the role's permissions deny its
privileged actions in that context, assuming it without MFA gains nothing privileged, and
role_assumable_without_mfa must not fire; when they allow them, it must.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .conftest import (
    ACCOUNT,
    managed,
    of,
    role,
    run,
    snapshot,
    trust,
)

ADMIN_IF_MFA_ARN = f"arn:aws:iam::{ACCOUNT}:policy/AdminIfMfa"


def _admin(condition: dict[str, Any] | None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def _result(condition: dict[str, Any] | None):  # type: ignore[no-untyped-def]
    admin_role = role("Ops", trust(f"arn:aws:iam::{ACCOUNT}:root"), attached=[ADMIN_IF_MFA_ARN])
    base = snapshot(roles=[admin_role])
    return run(
        replace(base, policies=(*base.policies, managed(ADMIN_IF_MFA_ARN, _admin(condition))))
    )


def test_role_whose_permissions_need_mfa_is_not_reported() -> None:
    result = _result({"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    assert of(result, "role_assumable_without_mfa") == []


def test_boolifexists_permissions_still_protect_a_role_session() -> None:
    # BoolIfExists lets long-term keys through, but a role session has the key ("false").
    result = _result({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}})
    assert of(result, "role_assumable_without_mfa") == []


def test_role_whose_permissions_need_no_mfa_is_reported() -> None:
    [finding] = of(_result(None), "role_assumable_without_mfa")
    assert finding.principal_name == "Ops"
