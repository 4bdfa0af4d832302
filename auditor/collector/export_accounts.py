"""Which account an AWS CLI export is of, and keeping only that account's records.

``get-account-authorization-details`` describes one account, but people merge the exports of
several (or keep one that holds two); ``--account-id`` then picks the account to audit and the
other account's users, groups, roles and customer-managed policies are left out. AWS-managed
policies (``arn:aws:iam::aws:policy/...``) belong to no account and are kept. Without
``--account-id`` an export naming several accounts is refused with the accounts listed. Error
messages name the files actually given: a credential report or device list from another account
names both files; a lone export never says "both".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from auditor.collector.authorization import PAGE_KEYS
from auditor.errors import InputError

AWS_MANAGED_ACCOUNT = "aws"


def account_of(arn: Any) -> str | None:
    """The account field of an ARN (``aws`` for AWS-managed policies); None when there is none."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":", 5)
    return parts[4] if len(parts) == 6 and parts[4] else None


def accounts_named(arns: Iterable[Any]) -> set[str]:
    """The customer accounts the ARNs name (AWS-managed ARNs name none)."""
    found = {account_of(arn) for arn in arns}
    return {a for a in found if a is not None and a != AWS_MANAGED_ACCOUNT}


def check_account_id(given: str | None) -> None:
    if given is not None and not (given.isdigit() and len(given) == 12):
        raise InputError(f"account id {given!r} is not a 12-digit AWS account id")


def _items(data: Mapping[str, Any]) -> Iterable[Any]:
    for key in PAGE_KEYS:
        items = data.get(key)
        if isinstance(items, list):
            yield from items


def select_account(
    data: dict[str, Any], given: str | None, path: Path
) -> tuple[dict[str, Any], str | None]:
    """The export restricted to one account, and that account (None when no ARN names one).

    Records whose ``Arn`` names another account are dropped when ``given`` picks one; records
    without a readable ``Arn`` are kept, so the strict reader still reports them."""
    found = accounts_named(item.get("Arn") for item in _items(data) if isinstance(item, Mapping))
    listed = ", ".join(sorted(found))
    if given is None:
        if len(found) > 1:
            raise InputError(
                f"{path}: the export holds several accounts ({listed})",
                hint="pass --account-id with the one to audit",
            )
        return data, next(iter(found), None)
    if found and given not in found:
        holds = f"account {listed}" if len(found) == 1 else f"accounts {listed}"
        raise InputError(
            f"{path}: the export is from {holds}, not {given}",
            hint="pass one of the accounts it holds, or omit --account-id",
        )
    if len(found) <= 1:
        return data, given
    kept = dict(data)
    for key in PAGE_KEYS:
        items = data.get(key)
        if isinstance(items, list):
            kept[key] = [item for item in items if _belongs(item, given)]
    return kept, given


def _belongs(item: Any, account: str) -> bool:
    if not isinstance(item, Mapping):
        return True
    owner = account_of(item.get("Arn"))
    return owner is None or owner in (account, AWS_MANAGED_ACCOUNT)


def check_companion(
    what: str, path: Path, arns: Iterable[str], account: str | None, export: Path
) -> str | None:
    """The account a companion file (credential report, device list) is of, checked against
    the export's ``account``; returns the account to use."""
    found = accounts_named(arns)
    if not found:
        return account
    listed = ", ".join(sorted(found))
    if len(found) > 1:
        raise InputError(
            f"{path}: the {what} names several accounts ({listed})",
            hint=f"give the {what} of one account",
        )
    (own,) = found
    if account is not None and own != account:
        raise InputError(
            f"{path}: the {what} is from account {own}, but {export.name} is from {account}",
            hint=f"give the {what} of account {account}, exported like {export.name}",
        )
    return own
