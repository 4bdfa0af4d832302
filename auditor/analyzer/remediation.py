"""The policies the report tells people to apply, built once and shown verbatim.

The identity-policy fix follows AWS's example "Allows MFA-authenticated IAM users to manage their
own MFA device on the Security credentials page" (``DenyAllExceptListedIfNoMFA``): a Deny with
``BoolIfExists … "false"``, which unlike ``Bool`` also denies requests signed with long-term
access keys (IAM User Guide, "AWS global condition context keys", aws:MultiFactorAuthPresent).
Its NotAction carve-out is kept to what enrolling a device needs (no password or key management):
carve-outs deserve scrutiny since AWS security bulletin AWS-2023-001 showed an access-key-only
caller enrolling its own device to satisfy the sample policy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

MFA_SETUP_ACTIONS = (
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:GetUser",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
    "sts:GetSessionToken",
)

MAX_AGE_EXAMPLE_SECONDS = 3600


def require_mfa_policy() -> dict[str, Any]:
    """Attach to the group (or user): denies everything but MFA enrolment until MFA is used."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyAllExceptMfaSetupIfNoMFA",
                "Effect": "Deny",
                "NotAction": list(MFA_SETUP_ACTIONS),
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            }
        ],
    }


def role_trust_policy(principals: Sequence[str]) -> dict[str, Any]:
    """A trust policy that lets ``principals`` (IAM ARNs) assume the role only with fresh MFA.

    ``Bool … "true"`` (not ``BoolIfExists``) because long-term keys carry no MFA key at all; the
    age limit keeps a day-old MFA session from counting.
    """
    principal: str | list[str] = principals[0] if len(principals) == 1 else list(principals)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumeOnlyWithRecentMFA",
                "Effect": "Allow",
                "Principal": {"AWS": principal},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "Bool": {"aws:MultiFactorAuthPresent": "true"},
                    "NumericLessThan": {"aws:MultiFactorAuthAge": str(MAX_AGE_EXAMPLE_SECONDS)},
                },
            }
        ],
    }


def as_json(policy: dict[str, Any]) -> str:
    return json.dumps(policy, indent=2)


REQUIRE_MFA_POLICY_JSON = as_json(require_mfa_policy())
ROLE_TRUST_POLICY_JSON = as_json(role_trust_policy(["arn:aws:iam::<account-id>:root"]))
