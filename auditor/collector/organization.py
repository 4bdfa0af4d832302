"""``iam:ListOrganizationsFeatures``: is root access managed centrally by the Organization?

Since November 2024 an Organization can manage its member accounts' root credentials centrally
(``RootCredentialsManagement``) and run privileged root tasks from the management account
(``RootSessions``). The call answers only in the management account or the delegated
administrator for centralized root access; elsewhere it fails with
``AccountNotManagementOrDelegatedAdministrator`` (IAM API reference, "ListOrganizationsFeatures":
https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html). So a
single-account scan of a member account cannot learn it; ``scan --org`` asks once from the
management account and hands the answer to every member account's analysis.

The answer is context for the root rules, never required: any failure becomes a record saying
which (the note names it) and the root rules run from the credential report as before. That
includes an endpoint that cannot answer it at all (moto does not implement it; every earlier call
of the collection was answered, and a dead network fails the next call anyway).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import error_code, error_message, fatal_error, gap_reason
from auditor.collector.fields import Fields
from auditor.collector.transport import EndpointError
from auditor.errors import InputError
from auditor.mfa_devices import OrganizationFeatures, RootManagement
from auditor.models import CollectionGap, CollectionSource

OPERATION = "iam:ListOrganizationsFeatures"
ROOT_CREDENTIALS_MANAGEMENT = "RootCredentialsManagement"
ROOT_SESSIONS = "RootSessions"

_ANSWERS = {
    "OrganizationNotFound": RootManagement.NOT_IN_ORGANIZATION,
    "AccountNotManagementOrDelegatedAdministrator": RootManagement.NOT_ANSWERED_HERE,
    "OrganizationNotInAllFeaturesMode": RootManagement.NOT_ENABLED,
    "ServiceAccessNotEnabled": RootManagement.NOT_ENABLED,
}
"""Error codes that are answers about the organization, not failures (botocore's codes carry
an ``Exception`` suffix the API reference omits; both spellings are accepted)."""


def read_organization_features(
    iam: Any, profile: str | None
) -> tuple[OrganizationFeatures, CollectionGap | None]:
    """What the call says; a refusal or failure is ``DENIED`` plus a context-only gap."""
    try:
        response = iam.list_organizations_features()
        fields = Fields(response, "ListOrganizationsFeatures response")
        features = (
            tuple(fields.text_list("EnabledFeatures")) if "EnabledFeatures" in response else ()
        )
        organization = fields.optional_text("OrganizationId")
    except ClientError as error:
        fatal = fatal_error(error, profile)
        if fatal is not None:
            raise fatal from None
        code = error_code(error).removesuffix("Exception")
        if code in _ANSWERS:
            reason = f"{code}: {error_message(error)}".rstrip(": ")
            return OrganizationFeatures(_ANSWERS[code], reason=reason), None
        return _denied(gap_reason(error, OPERATION))
    except EndpointError:
        # Every call before this one was answered, so an unparsable answer here means the
        # endpoint does not implement this newer call (moto, other emulators): context only.
        return _denied(
            f"the endpoint gave no AWS answer to {OPERATION} (emulators such as moto do not "
            "implement it)"
        )
    except BotoCoreError as error:
        fatal = fatal_error(error, profile)
        if fatal is not None:
            raise fatal from None
        return _denied(gap_reason(error, OPERATION))
    except InputError as error:
        return _denied(f"{OPERATION}: unexpected answer: {error}")
    return (
        OrganizationFeatures(
            RootManagement.MANAGEMENT_ACCOUNT,
            organization_id=organization,
            enabled_features=features,
        ),
        None,
    )


def for_member_account(features: OrganizationFeatures) -> OrganizationFeatures:
    """The management account's answer as it applies to one of its member accounts."""
    if features.management is not RootManagement.MANAGEMENT_ACCOUNT:
        return features
    central = ROOT_CREDENTIALS_MANAGEMENT in features.enabled_features
    return OrganizationFeatures(
        RootManagement.CENTRAL if central else RootManagement.NOT_ENABLED,
        organization_id=features.organization_id,
        enabled_features=features.enabled_features,
        reason="asked from the management account",
    )


def _denied(reason: str) -> tuple[OrganizationFeatures, CollectionGap]:
    return (
        OrganizationFeatures(RootManagement.DENIED, reason=reason),
        CollectionGap(CollectionSource.ORGANIZATION_FEATURES.value, reason),
    )
