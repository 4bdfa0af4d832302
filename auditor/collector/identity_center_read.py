"""IAM Identity Center answers → ``IdentityCenterData``, from the live API or from CLI exports.

The reads are the same either way; only where an answer comes from differs (``Source``: an
API client that follows every page, or a folder of ``aws sso-admin`` / ``aws identitystore``
outputs). Calls, with U users, G groups, P permission sets and A_p accounts set p is provisioned
to (pages of 100):

    1 ListInstances + ⌈U/100⌉ ListUsers + ⌈G/100⌉ ListGroups + Σ_g ⌈m_g/100⌉ ListGroupMemberships
    + ⌈P/100⌉ ListPermissionSets + 6·P (Describe, managed, inline, customer-managed, boundary,
    accounts) + Σ_p A_p ListAccountAssignments

``ListGroupMemberships`` takes one group per call and no API lists every membership at once
(``ListGroupMembershipsForMember`` is per user, which is worse), so it is one call per group
(at least). Per-set and per-(set, account) calls run ``workers`` at once.

A failure reading the instance, its users, groups or memberships, or its list of sets, leaves
nothing trustworthy: the result is ``FAILED`` with a gap. A failure on one set is recorded on
that set (``unread``) and as a gap, and the other sets are still read and judged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from auditor.collector.fields import Fields
from auditor.collector.identity_center_sets import (
    read_assignments,
    read_permission_set,
    with_unread,
)
from auditor.collector.identity_center_source import (
    SOURCE,
    NotFound,
    ReadFailed,
    Source,
    records,
)
from auditor.errors import InputError
from auditor.identity_center_models import (
    AccountAssignment,
    IdentityCenterData,
    IdentityCenterGroup,
    IdentityCenterStatus,
    IdentityCenterUser,
)
from auditor.models import CollectionGap

Progress = Callable[[str], None]


def read_identity_center(
    source: Source, *, region: str, workers: int, say: Progress
) -> tuple[IdentityCenterData, tuple[CollectionGap, ...]]:
    """Read the account's Identity Center instance (the first ``ListInstances`` returns)."""
    try:
        instances = list(records(source.fetch("ListInstances"), "Instances", "ListInstances"))
        if not instances:
            reason = f"no IAM Identity Center instance in this account in {region}"
            return IdentityCenterData(IdentityCenterStatus.NO_INSTANCE, region, reason=reason), ()
        instance = instances[0]
        arn, store = instance.text("InstanceArn"), instance.text("IdentityStoreId")
        say(f"Reading Identity Center instance {arn} ({region}): users and groups")
        listed = records(_ids(source, "ListUsers", store), "Users", "ListUsers")
        users = tuple(_user(record) for record in listed)
        groups = _groups(source, store, workers)
        set_arns = source.fetch("ListPermissionSets", InstanceArn=arn)
        arns = Fields(set_arns, "ListPermissionSets").text_list("PermissionSets")
    except ReadFailed as failed:
        return _failed(region, failed.reason)
    except (InputError, NotFound) as error:
        return _failed(region, f"unexpected Identity Center answer: {error}")
    say(f"Reading {len(arns)} permission sets with {workers} workers")
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ic") as pool:
        sets = list(pool.map(lambda ps: read_permission_set(source, arn, ps), arns))
        pairs = [(ps, account) for ps in sets for account in ps.provisioned_accounts]
        assigned = list(pool.map(lambda pair: read_assignments(source, arn, *pair), pairs))
    assignments: list[AccountAssignment] = []
    unread: dict[str, list[str]] = {}
    for (ps, _account), (found, problem) in zip(pairs, assigned, strict=True):
        assignments.extend(found)
        if problem:
            unread.setdefault(ps.arn, []).append(problem)
    sets = [with_unread(ps, unread.get(ps.arn, [])) for ps in sets]
    gaps = tuple(
        CollectionGap(SOURCE, f"permission set {ps.name}: {problem}")
        for ps in sets
        for problem in ps.unread
    )
    data = IdentityCenterData(
        IdentityCenterStatus.COLLECTED,
        region,
        instance_arn=arn,
        identity_store_id=store,
        owner_account_id=instance.optional_text("OwnerAccountId") or "",
        users=users,
        groups=groups,
        permission_sets=tuple(sets),
        assignments=tuple(assignments),
    )
    return data, gaps


def _failed(region: str, reason: str) -> tuple[IdentityCenterData, tuple[CollectionGap, ...]]:
    data = IdentityCenterData(IdentityCenterStatus.FAILED, region, reason=reason)
    return data, (CollectionGap(SOURCE, reason),)


def _ids(source: Source, operation: str, store: str, **params: str) -> Mapping[str, Any]:
    return source.fetch(operation, IdentityStoreId=store, **params)


def _user(record: Fields) -> IdentityCenterUser:
    issuers = sorted({external.text("Issuer") for external in record.records("ExternalIds")})
    return IdentityCenterUser(
        user_id=record.text("UserId"),
        user_name=record.text("UserName"),
        display_name=record.optional_text("DisplayName") or "",
        external_id_issuers=tuple(issuers),
        user_arn=record.optional_text("UserArn") or "",
        enabled=record.raw("UserStatus") != "DISABLED",
    )


def _groups(source: Source, store: str, workers: int) -> tuple[IdentityCenterGroup, ...]:
    listed = records(_ids(source, "ListGroups", store), "Groups", "ListGroups")

    def members(group: Fields) -> IdentityCenterGroup:
        group_id = group.text("GroupId")
        answer = _ids(source, "ListGroupMemberships", store, GroupId=group_id)
        ids = []
        for membership in records(answer, "GroupMemberships", f"ListGroupMemberships {group_id}"):
            member = membership.raw("MemberId")
            if isinstance(member, Mapping) and isinstance(member.get("UserId"), str):
                ids.append(member["UserId"])
        name = group.optional_text("DisplayName") or group_id
        return IdentityCenterGroup(group_id, name, tuple(ids))

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ic-groups") as pool:
        return tuple(pool.map(members, listed))
