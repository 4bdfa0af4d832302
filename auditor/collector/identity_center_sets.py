"""One permission set's definition and its assignments, read through a ``Source``.

What cannot be read is named on the set (``unread``), never guessed: the set is then judged
``unknown`` where it matters, and the other sets are still read.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any

from auditor.collector.fields import Fields
from auditor.collector.identity_center_source import NotFound, ReadFailed, Source, records
from auditor.errors import InputError
from auditor.identity_center_models import (
    AccountAssignment,
    CustomerPolicyRef,
    ManagedPolicyRef,
    PermissionSet,
)


def read_permission_set(source: Source, instance: str, arn: str) -> PermissionSet:
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
        listed = records(answer, "AttachedManagedPolicies", f"managed policies of {arn}")
        values["managed"] = tuple(ManagedPolicyRef(r.text("Arn"), r.text("Name")) for r in listed)

    def inline(answer: Mapping[str, Any]) -> None:
        text = answer.get("InlinePolicy") or ""
        if not isinstance(text, str):
            raise InputError(f"InlinePolicy of {arn} is not a string")
        try:
            values["inline"] = json.loads(text) if text.strip() else None
        except ValueError:
            raise InputError(f"the inline policy of {arn} is not JSON") from None

    def customer(answer: Mapping[str, Any]) -> None:
        listed = records(answer, "CustomerManagedPolicyReferences", f"customer policies of {arn}")
        values["customer"] = tuple(_customer_ref(r) for r in listed)

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


def read_assignments(
    source: Source, instance: str, ps: PermissionSet, account: str
) -> tuple[list[AccountAssignment], str]:
    try:
        answer = source.fetch(
            "ListAccountAssignments",
            InstanceArn=instance,
            AccountId=account,
            PermissionSetArn=ps.arn,
        )
        listed = records(answer, "AccountAssignments", f"assignments of {ps.name} in {account}")
        found = [
            AccountAssignment(account, ps.arn, r.text("PrincipalType"), r.text("PrincipalId"))
            for r in listed
        ]
    except ReadFailed as failed:
        return [], f"assignments in {account}: {failed.reason}"
    except (InputError, NotFound) as error:
        return [], f"assignments in {account}: unexpected answer: {error}"
    return found, ""


def with_unread(ps: PermissionSet, more: list[str]) -> PermissionSet:
    return dataclasses.replace(ps, unread=ps.unread + tuple(more)) if more else ps
