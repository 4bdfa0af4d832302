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

import dataclasses
import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from auditor.collector.fields import Fields
from auditor.errors import InputError
from auditor.identity_center_models import (
    AccountAssignment,
    CustomerPolicyRef,
    IdentityCenterData,
    IdentityCenterGroup,
    IdentityCenterStatus,
    IdentityCenterUser,
    ManagedPolicyRef,
    PermissionSet,
)
from auditor.models import CollectionGap, CollectionSource

LIST_KEYS: dict[str, str | None] = {
    "ListInstances": "Instances",
    "ListUsers": "Users",
    "ListGroups": "Groups",
    "ListGroupMemberships": "GroupMemberships",
    "ListPermissionSets": "PermissionSets",
    "DescribePermissionSet": None,
    "ListManagedPoliciesInPermissionSet": "AttachedManagedPolicies",
    "GetInlinePolicyForPermissionSet": None,
    "ListCustomerManagedPolicyReferencesInPermissionSet": "CustomerManagedPolicyReferences",
    "GetPermissionsBoundaryForPermissionSet": None,
    "ListAccountsForProvisionedPermissionSet": "AccountIds",
    "ListAccountAssignments": "AccountAssignments",
}
"""Every operation read, and the list its pages carry (``None``: a single answer)."""
IDENTITY_STORE_OPERATIONS = frozenset({"ListUsers", "ListGroups", "ListGroupMemberships"})
SOURCE = CollectionSource.IDENTITY_CENTER.value


class ReadFailed(Exception):
    """A read was refused or failed; ``reason`` is the sentence for the gap."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotFound(Exception):
    """``ResourceNotFoundException``: for the boundary read, a set without a boundary."""


class Source(Protocol):
    def fetch(self, operation: str, **params: str) -> Mapping[str, Any]:
        """The answer (every page merged into ``LIST_KEYS[operation]``); raises ``ReadFailed``,
        ``NotFound`` or ``InputError``; anything fatal (credentials, endpoint) propagates."""
        ...


Progress = Callable[[str], None]


def read_identity_center(
    source: Source, *, region: str, workers: int, say: Progress
) -> tuple[IdentityCenterData, tuple[CollectionGap, ...]]:
    """Read the account's Identity Center instance (the first ``ListInstances`` returns)."""
    try:
        instances = list(_records(source.fetch("ListInstances"), "Instances", "ListInstances"))
        if not instances:
            reason = f"no IAM Identity Center instance in this account in {region}"
            return IdentityCenterData(IdentityCenterStatus.NO_INSTANCE, region, reason=reason), ()
        instance = instances[0]
        arn, store = instance.text("InstanceArn"), instance.text("IdentityStoreId")
        say(f"Reading Identity Center instance {arn} ({region}): users and groups")
        listed = _records(_ids(source, "ListUsers", store), "Users", "ListUsers")
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
        sets = list(pool.map(lambda ps: _permission_set(source, arn, ps), arns))
        pairs = [(ps, account) for ps in sets for account in ps.provisioned_accounts]
        assigned = list(pool.map(lambda pair: _assignments(source, arn, *pair), pairs))
    assignments: list[AccountAssignment] = []
    unread: dict[str, list[str]] = {}
    for (ps, _account), (found, problem) in zip(pairs, assigned, strict=True):
        assignments.extend(found)
        if problem:
            unread.setdefault(ps.arn, []).append(problem)
    sets = [_with_unread(ps, unread.get(ps.arn, [])) for ps in sets]
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


def _records(answer: Mapping[str, Any], key: str, where: str) -> list[Fields]:
    return list(Fields(answer, where).records(key))


def _user(record: Fields) -> IdentityCenterUser:
    issuers = sorted({external.text("Issuer") for external in record.records("ExternalIds")})
    return IdentityCenterUser(
        user_id=record.text("UserId"),
        user_name=record.text("UserName"),
        display_name=record.optional_text("DisplayName") or "",
        external_id_issuers=tuple(issuers),
    )


def _groups(source: Source, store: str, workers: int) -> tuple[IdentityCenterGroup, ...]:
    listed = _records(_ids(source, "ListGroups", store), "Groups", "ListGroups")

    def members(group: Fields) -> IdentityCenterGroup:
        group_id = group.text("GroupId")
        answer = _ids(source, "ListGroupMemberships", store, GroupId=group_id)
        ids = []
        for membership in _records(answer, "GroupMemberships", f"ListGroupMemberships {group_id}"):
            member = membership.raw("MemberId")
            if isinstance(member, Mapping) and isinstance(member.get("UserId"), str):
                ids.append(member["UserId"])
        name = group.optional_text("DisplayName") or group_id
        return IdentityCenterGroup(group_id, name, tuple(ids))

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ic-groups") as pool:
        return tuple(pool.map(members, listed))


def _permission_set(source: Source, instance: str, arn: str) -> PermissionSet:
    """One set's definition; what cannot be read is named in ``unread`` (never guessed)."""
    unread: list[str] = []
    values: dict[str, Any] = {}

    def read(
        operation: str, parse: Callable[[Mapping[str, Any]], None], *, absent_ok: bool = False
    ) -> None:
        try:
            parse(source.fetch(operation, InstanceArn=instance, PermissionSetArn=arn))
        except NotFound as error:
            if not absent_ok:
                unread.append(f"{operation}: not found ({error})")
        except ReadFailed as failed:
            unread.append(failed.reason)
        except InputError as error:
            unread.append(f"unexpected {operation} answer: {error}")

    def describe(answer: Mapping[str, Any]) -> None:
        described = Fields(answer.get("PermissionSet"), f"DescribePermissionSet {arn}")
        values["name"] = described.text("Name")
        values["description"] = described.optional_text("Description") or ""
        # ISO 8601 (``PT1H``) from AWS; moto answers seconds as a number.
        duration = described.raw("SessionDuration")
        values["session_duration"] = "" if duration is None else str(duration)

    def managed(answer: Mapping[str, Any]) -> None:
        records = _records(answer, "AttachedManagedPolicies", f"managed policies of {arn}")
        values["managed"] = tuple(ManagedPolicyRef(r.text("Arn"), r.text("Name")) for r in records)

    def inline(answer: Mapping[str, Any]) -> None:
        text = answer.get("InlinePolicy") or ""
        if not isinstance(text, str):
            raise InputError(f"InlinePolicy of {arn} is not a string")
        try:
            values["inline"] = json.loads(text) if text.strip() else None
        except ValueError:
            raise InputError(f"the inline policy of {arn} is not JSON") from None

    def customer(answer: Mapping[str, Any]) -> None:
        records = _records(answer, "CustomerManagedPolicyReferences", f"customer policies of {arn}")
        values["customer"] = tuple(_customer_ref(r) for r in records)

    def accounts(answer: Mapping[str, Any]) -> None:
        values["accounts"] = tuple(Fields(answer, arn).text_list("AccountIds"))

    read("DescribePermissionSet", describe)
    read("ListManagedPoliciesInPermissionSet", managed)
    read("GetInlinePolicyForPermissionSet", inline)
    read("ListCustomerManagedPolicyReferencesInPermissionSet", customer)
    # AWS answers ResourceNotFoundException for a set without a boundary: a fact, not a gap.
    read(
        "GetPermissionsBoundaryForPermissionSet",
        lambda answer: _boundary(answer, values, arn),
        absent_ok=True,
    )
    read("ListAccountsForProvisionedPermissionSet", accounts)
    return PermissionSet(
        arn=arn,
        name=values.get("name", arn.rsplit("/", 1)[-1]),
        description=values.get("description", ""),
        session_duration=values.get("session_duration", ""),
        managed_policies=values.get("managed", ()),
        inline_policy=values.get("inline"),
        customer_policies=values.get("customer", ()),
        boundary_policy_arn=values.get("boundary_arn"),
        boundary_customer_policy=values.get("boundary_customer"),
        provisioned_accounts=values.get("accounts", ()),
        unread=tuple(unread),
    )


def _customer_ref(record: Fields) -> CustomerPolicyRef:
    return CustomerPolicyRef(record.text("Name"), record.optional_text("Path") or "/")


def _boundary(answer: Mapping[str, Any], values: dict[str, Any], arn: str) -> None:
    raw = answer.get("PermissionsBoundary")
    if raw is None:
        return
    boundary = Fields(raw, f"permissions boundary of {arn}")
    values["boundary_arn"] = boundary.optional_text("ManagedPolicyArn")
    reference = boundary.raw("CustomerManagedPolicyReference")
    if reference is not None:
        values["boundary_customer"] = _customer_ref(Fields(reference, boundary.where))


def _assignments(
    source: Source, instance: str, ps: PermissionSet, account: str
) -> tuple[list[AccountAssignment], str]:
    try:
        answer = source.fetch(
            "ListAccountAssignments",
            InstanceArn=instance,
            AccountId=account,
            PermissionSetArn=ps.arn,
        )
        records = _records(answer, "AccountAssignments", f"assignments of {ps.name} in {account}")
        found = [
            AccountAssignment(account, ps.arn, r.text("PrincipalType"), r.text("PrincipalId"))
            for r in records
        ]
    except ReadFailed as failed:
        return [], f"assignments in {account}: {failed.reason}"
    except (InputError, NotFound) as error:
        return [], f"assignments in {account}: unexpected answer: {error}"
    return found, ""


def _with_unread(ps: PermissionSet, more: list[str]) -> PermissionSet:
    return dataclasses.replace(ps, unread=ps.unread + tuple(more)) if more else ps
