"""The least-privilege IAM policy that lets mfa-auditor run, per feature.

The base statement is shipped as package data (``required_iam_policy.json``): the README quotes
it, operators attach it, and a test checks it grants exactly the IAM operations on the read-only
guard's allow-list, which includes the reads every scan makes by default (Identity Center,
sign-in events, device types). Each optional feature (``FEATURE_ACTIONS``) adds one statement
with the actions the base lacks, printed by ``mfa-auditor permissions --org --security-hub …``
only when asked, so an operator grants what the features they use need and nothing more.
``sts:GetCallerIdentity`` needs no permission and is therefore not listed.
"""

from __future__ import annotations

import copy
import enum
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

POLICY_FILE_NAME = "required_iam_policy.json"


def _load() -> dict[str, Any]:
    text = resources.files("auditor.collector").joinpath(POLICY_FILE_NAME).read_text("utf-8")
    policy: dict[str, Any] = json.loads(text)
    return policy


REQUIRED_IAM_POLICY: dict[str, Any] = _load()
"""The base policy document, e.g. for ``aws iam create-policy --policy-document``."""


class Feature(str, enum.Enum):
    """An optional part of the tool that needs permissions beyond the base audit."""

    ORG = "org"
    IDENTITY_CENTER = "identity-center"
    CLOUDTRAIL = "cloudtrail"
    CLOUDTRAIL_ATHENA = "cloudtrail-athena"
    SECURITY_HUB = "security-hub"


FEATURE_ACTIONS: dict[Feature, tuple[str, tuple[str, ...]]] = {
    Feature.ORG: ("MfaAuditorOrganization", ("organizations:ListAccounts", "sts:AssumeRole")),
    Feature.IDENTITY_CENTER: (
        "MfaAuditorIdentityCenter",
        (
            "identitystore:ListGroupMemberships",
            "identitystore:ListGroups",
            "identitystore:ListUsers",
            "sso:DescribePermissionSet",
            "sso:GetInlinePolicyForPermissionSet",
            "sso:GetPermissionsBoundaryForPermissionSet",
            "sso:ListAccountAssignments",
            "sso:ListAccountsForProvisionedPermissionSet",
            "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
            "sso:ListInstances",
            "sso:ListManagedPoliciesInPermissionSet",
            "sso:ListPermissionSets",
        ),
    ),
    Feature.CLOUDTRAIL: (
        "MfaAuditorCloudTrail",
        ("account:ListRegions", "cloudtrail:LookupEvents"),
    ),
    Feature.CLOUDTRAIL_ATHENA: (
        "MfaAuditorCloudTrailAthena",
        (
            "athena:GetQueryExecution",
            "athena:GetQueryResults",
            "athena:StartQueryExecution",
            "glue:GetDatabase",
            "glue:GetTable",
            "s3:GetBucketLocation",
            "s3:GetObject",
            "s3:ListBucket",
        ),
    ),
    Feature.SECURITY_HUB: ("MfaAuditorSecurityHubImport", ("securityhub:BatchImportFindings",)),
}
"""Feature → (statement Sid, the actions it needs, sorted)."""


def least_privilege_policy(features: Iterable[Feature] = ()) -> dict[str, Any]:
    """The base policy plus one statement per feature in ``features`` for what the base lacks."""
    policy = copy.deepcopy(REQUIRED_IAM_POLICY)
    granted = {a for statement in policy["Statement"] for a in statement["Action"]}
    chosen = set(features)
    for feature in Feature:
        if feature in chosen:
            sid, actions = FEATURE_ACTIONS[feature]
            # Default reads (Identity Center, sign-ins, device types) are in the base already.
            missing = [action for action in actions if action not in granted]
            if missing:
                policy["Statement"].append(
                    {"Sid": sid, "Effect": "Allow", "Action": missing, "Resource": "*"}
                )
    return policy
