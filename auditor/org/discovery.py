"""Which accounts to audit: the organization's active accounts, or a list of profiles.

Discovery runs in the management (or delegated administrator) account. Every target carries the
role ARN to assume, built in the partition of the organization's own ARNs (GovCloud and China
differ), except the account the caller is already in: ``OrganizationAccountAccessRole`` exists
only in member accounts, so the caller's account is audited with the caller's credentials rather
than failing every run on a role that was never there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import boto3
from botocore.exceptions import ClientError

from auditor.config import AccountTarget, OrganizationSettings
from auditor.errors import CollectionError, UsageError
from auditor.org.sessions import caller_account, organizations_client, sts_client, translate

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ROLE_NAME = re.compile(r"^[\w+=,.@/-]{1,64}$")
DISCOVERY_MAX_ATTEMPTS = 10


def discover_accounts(
    session: boto3.Session,
    settings: OrganizationSettings,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    endpoint_url: str | None = None,
) -> list[AccountTarget]:
    """The organization's ACTIVE accounts (filtered), each with the role to assume.

    Raises ``UsageError`` for malformed ids, included ids that are not active members, or an empty
    selection; ``AccessDeniedError`` when the caller may not list the organization's accounts.
    """
    include_ids = _account_ids(include, "accounts to include (--accounts)")
    exclude_ids = _account_ids(exclude, "accounts to exclude (--exclude-accounts)")
    role_name = settings.role_name.strip().strip("/")
    if not _ROLE_NAME.match(role_name):
        raise UsageError(f"role name {settings.role_name!r} is not a valid IAM role name")
    sts = sts_client(session, endpoint_url=endpoint_url, max_attempts=DISCOVERY_MAX_ATTEMPTS)
    own_account = caller_account(sts)
    accounts = _list_accounts(session, endpoint_url)
    if not accounts:
        raise CollectionError(
            "organizations:ListAccounts returned no accounts",
            hint="run from the management account or a delegated administrator account",
        )
    states = {str(a["Id"]): _state(a) for a in accounts}
    if include_ids:
        unknown = [i for i in include_ids if i not in states]
        inactive = [
            f"{i} ({states[i]})" for i in include_ids if states.get(i, "ACTIVE") != "ACTIVE"
        ]
        if unknown or inactive:
            problems = []
            if unknown:
                problems.append(f"not in the organization: {', '.join(unknown)}")
            if inactive:
                problems.append(f"not ACTIVE: {', '.join(inactive)}")
            raise UsageError(f"accounts to include (--accounts): {'; '.join(problems)}")
    targets = []
    for account in accounts:
        account_id = str(account["Id"])
        if states[account_id] != "ACTIVE":
            continue
        if include_ids and account_id not in include_ids:
            continue
        if account_id in exclude_ids:
            continue
        role_arn = None
        if account_id != own_account:
            role_arn = f"arn:{_partition(account)}:iam::{account_id}:role/{role_name}"
        targets.append(
            AccountTarget(
                account_id=account_id, role_arn=role_arn, name=str(account.get("Name", ""))
            )
        )
    if not targets:
        raise UsageError("no active account of the organization is left to audit after filtering")
    return sorted(targets, key=lambda t: t.account_id or "")


def choose_targets(
    session: boto3.Session,
    settings: OrganizationSettings,
    *,
    profiles: Sequence[str] | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    endpoint_url: str | None = None,
) -> list[AccountTarget]:
    """Profiles when given, else the config's explicit account list, else the organization's
    ACTIVE accounts (``discover_accounts``)."""
    if profiles is not None:
        return targets_from_profiles(profiles)
    if settings.accounts:
        if include or exclude:
            raise UsageError(
                "account filters (--accounts/--exclude-accounts) apply to the organization's "
                "account list; the config's organization.accounts list is used as given"
            )
        return list(settings.accounts)
    return discover_accounts(
        session, settings, include=include, exclude=exclude, endpoint_url=endpoint_url
    )


def targets_from_profiles(profiles: Sequence[str]) -> list[AccountTarget]:
    """One target per named profile, in the order given; unknown or repeated names are errors.

    Checked up front against the AWS config files so a typo fails the run with a one-line message
    instead of becoming a failed account an hour into it.
    """
    names = [p.strip() for p in profiles]
    if not names or any(not n for n in names):
        raise UsageError(
            "profiles (--profiles): a name is empty; give a comma-separated list of names"
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UsageError(f"profiles (--profiles): repeated profile(s): {', '.join(repeated)}")
    available = set(boto3.Session().available_profiles)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise UsageError(
            f"profiles (--profiles): unknown AWS profile(s): {', '.join(unknown)}",
            hint="see `aws configure list-profiles`",
        )
    return [AccountTarget(profile=name, name=name) for name in names]


def _list_accounts(session: boto3.Session, endpoint_url: str | None) -> list[dict[str, object]]:
    """Every page of ``ListAccounts``, paged by hand: the collector's client translates failures
    of its API methods, and a paginator would call the unwrapped client."""
    client = organizations_client(
        session, endpoint_url=endpoint_url, max_attempts=DISCOVERY_MAX_ATTEMPTS
    )
    accounts: list[dict[str, object]] = []
    seen: set[str] = set()
    token: str | None = None
    while True:
        try:
            page = client.list_accounts(NextToken=token) if token else client.list_accounts()
        except ClientError as error:
            raise translate(
                error,
                "organizations:ListAccounts",
                hint="run from the management account or a delegated administrator account, "
                "or audit explicit targets with --profiles / organization.accounts",
            ) from None
        accounts.extend(dict(a) for a in page.get("Accounts", []))
        token = page.get("NextToken")
        if not token:
            return accounts
        if token in seen:
            raise CollectionError("organizations:ListAccounts returned the same page token twice")
        seen.add(token)


def _state(account: dict[str, object]) -> str:
    """``State`` (current API) or the older ``Status`` field, which AWS retires in 2026."""
    return str(account.get("State") or account.get("Status") or "UNKNOWN").upper()


def _partition(account: dict[str, object]) -> str:
    arn = str(account.get("Arn", ""))
    parts = arn.split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else "aws"


def _account_ids(values: Sequence[str], what: str) -> list[str]:
    ids = [v.strip() for v in values if v.strip()]
    bad = [i for i in ids if not _ACCOUNT_ID.match(i)]
    if bad:
        raise UsageError(f"{what}: not a 12-digit AWS account id: {', '.join(bad)}")
    return list(dict.fromkeys(ids))
