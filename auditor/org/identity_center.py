"""Identity Center in an organization run: read once, mapped onto every audited member account.

An organization's instance lives in the management account (or its delegated administrator),
and its assignments name the member accounts. So the run reads it once with the caller's own
credentials (``collect_identity_center``, guarded like every collector client) and hands each
account the part that concerns it: its assignments, and the users and groups they reach. A
refused read becomes the same gap in every account (each one's Identity Center rule is then
``unknown``, exit 4). When the caller's account hosts no instance, each account reads its own
(one of them may be the delegated administrator, or have an account instance).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import boto3

from auditor.collector.identity_center import collect_identity_center
from auditor.config import CollectorSettings
from auditor.identity_center_models import IdentityCenterData, IdentityCenterStatus
from auditor.models import CollectionGap

IdentityCenterRead = tuple[IdentityCenterData, tuple[CollectionGap, ...]]


def read_once(
    session: boto3.Session,
    settings: CollectorSettings,
    *,
    account_id: str,
    endpoint_url: str | None,
    say: Callable[[str], None],
) -> IdentityCenterRead | None:
    """The organization's Identity Center, or ``None`` when each account should read its own
    (the caller's account hosts no instance)."""
    data, gaps = collect_identity_center(session, settings, endpoint_url=endpoint_url, say=say)
    if data.status is IdentityCenterStatus.NO_INSTANCE:
        return None
    return dataclasses.replace(data, read_from_account=account_id), gaps


def for_account(read: IdentityCenterRead, account_id: str) -> IdentityCenterRead:
    """The assignments in ``account_id`` and the users and groups they reach."""
    data, gaps = read
    if data.status is not IdentityCenterStatus.COLLECTED:
        return data, gaps
    assignments = tuple(a for a in data.assignments if a.account_id == account_id)
    group_ids = {a.principal_id for a in assignments if a.principal_type == "GROUP"}
    groups = tuple(g for g in data.groups if g.group_id in group_ids)
    user_ids = {a.principal_id for a in assignments if a.principal_type == "USER"}
    user_ids.update(member for group in groups for member in group.member_ids)
    users = tuple(u for u in data.users if u.user_id in user_ids)
    scoped = dataclasses.replace(data, assignments=assignments, groups=groups, users=users)
    return scoped, gaps
