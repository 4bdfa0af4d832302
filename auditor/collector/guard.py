"""The read-only guard: the collector can only ever send the reads it was written for.

The tool runs with an operator's credentials, often an administrator's. A bug, a dependency or a
future contributor calling ``iam.create_user`` must fail loudly before anything leaves the
machine, so the guard is a botocore event hook on each client rather than a convention. It is
installed twice: on ``provide-client-params`` (the first event of every API call, before the
request is even built, and before botocore's ``Stubber`` answers) and on ``before-sign`` (which
also covers presigned URLs, which skip the normal call path).
"""

from __future__ import annotations

from typing import Any

from botocore.client import BaseClient

from auditor.errors import ReadOnlyViolation

ALLOWED_OPERATIONS: frozenset[str] = frozenset(
    {
        "iam:GenerateCredentialReport",
        "iam:GetCredentialReport",
        "iam:GetAccountAuthorizationDetails",
        "iam:ListVirtualMFADevices",
        "iam:ListMFADevices",
        "iam:ListOrganizationsFeatures",
        "iam:GetAccountSummary",
        "iam:GetAccountPasswordPolicy",
        "iam:ListAccountAliases",
        "sts:GetCallerIdentity",
        "cloudtrail:LookupEvents",
        "account:ListRegions",
        # IAM Identity Center (auditor.collector.identity_center): listings and descriptions.
        "sso:ListInstances",
        "sso:ListPermissionSets",
        "sso:DescribePermissionSet",
        "sso:ListManagedPoliciesInPermissionSet",
        "sso:GetInlinePolicyForPermissionSet",
        "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
        "sso:GetPermissionsBoundaryForPermissionSet",
        "sso:ListAccountsForProvisionedPermissionSet",
        "sso:ListAccountAssignments",
        "identitystore:ListUsers",
        "identitystore:ListGroups",
        "identitystore:ListGroupMemberships",
    }
)
"""Every ``service:Operation`` the collector may send; anything else is refused before sending.
``cloudtrail:LookupEvents`` and ``account:ListRegions`` read sign-in evidence."""

ATHENA_OPERATIONS: frozenset[str] = frozenset(
    {"athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"}
)
"""Added for ``scan --org --cloudtrail-athena`` only (its clients alone carry them).
``StartQueryExecution`` runs one SELECT; Athena writes its result file to the workgroup's
output location, the only thing this feature writes anywhere."""

_GUARD_ID = "mfa-auditor-read-only-guard"


def install_read_only_guard(
    client: BaseClient, allowed: frozenset[str] = ALLOWED_OPERATIONS
) -> None:
    """Refuse, before sending, every operation of ``client`` not in ``allowed``.

    ``allowed`` defaults to the collector's reads; the organization runner passes its own list
    (those reads plus ``organizations:ListAccounts`` and ``sts:AssumeRole``). Installing twice on
    the same client is harmless (the handlers carry a unique id).
    """
    prefix = client.meta.service_model.signing_name

    def check(operation_name: str) -> None:
        qualified = f"{prefix}:{operation_name}"
        if qualified not in allowed:
            raise ReadOnlyViolation(
                f"refused to send {qualified}: mfa-auditor only reads, and this operation is "
                "not on its allow-list",
                hint="this is a bug in mfa-auditor; please report it",
            )

    def on_params(model: Any = None, **_: Any) -> None:
        check(str(getattr(model, "name", "<unknown>")))

    def on_sign(operation_name: str = "<unknown>", **_: Any) -> None:
        check(operation_name)

    events = client.meta.events
    events.register_first("provide-client-params", on_params, unique_id=f"{_GUARD_ID}-params")
    events.register_first("before-sign", on_sign, unique_id=f"{_GUARD_ID}-sign")
