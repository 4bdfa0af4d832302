"""``GetAccountAuthorizationDetails`` pages (live or an AWS CLI export) → frozen records.

One unfiltered call family returns users, groups, roles and managed policies together, so the
number of calls grows with pages, never with principals. Shapes follow the IAM API reference
(``UserDetail``, ``GroupDetail``, ``RoleDetail``, ``ManagedPolicyDetail``). Only the default
version of a managed policy is in force, so only its document is kept, and only policies attached
to something are kept (moto returns every AWS-managed policy; a policy nobody holds grants nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from auditor.collector.documents import UndecodableDocument, decode_document
from auditor.collector.fields import Fields
from auditor.models import (
    AttachedPolicy,
    CollectionGap,
    CollectionSource,
    Group,
    InlinePolicy,
    ManagedPolicy,
    PolicyDocument,
    Role,
    User,
)

PAGE_KEYS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")


@dataclass(frozen=True)
class AuthorizationDetails:
    users: tuple[User, ...]
    groups: tuple[Group, ...]
    roles: tuple[Role, ...]
    policies: tuple[ManagedPolicy, ...]
    gaps: tuple[CollectionGap, ...]


BadDocument = Callable[[str, str], None]
"""Called with (what, why) for a document that cannot be decoded; raises or records a gap."""


def policy_name_from_arn(arn: str) -> str:
    """``arn:aws:iam::aws:policy/service-role/X`` → ``X`` (moto omits ``PolicyName``)."""
    return arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def is_aws_managed(arn: str) -> bool:
    """AWS-managed policies have ``aws`` in the account field, in every partition."""
    parts = arn.split(":", 5)
    return len(parts) == 6 and parts[4] == "aws"


class AuthorizationDetailsBuilder:
    """Accumulates pages; ``build()`` keeps the attached policies and reports what is missing."""

    def __init__(self, origin: str, on_bad_document: BadDocument | None = None) -> None:
        self.origin = origin
        self._gaps: list[CollectionGap] = []
        self._on_bad_document = on_bad_document or self._record_gap
        self._users: dict[str, User] = {}
        self._groups: dict[str, Group] = {}
        self._roles: dict[str, Role] = {}
        self._raw_policies: dict[str, Fields] = {}

    def _record_gap(self, what: str, why: str) -> None:
        self._gaps.append(
            CollectionGap(CollectionSource.POLICY_DOCUMENTS.value, f"{what}: {why}; not evaluated")
        )

    def add_page(self, page: Mapping[str, Any], where: str) -> None:
        fields = Fields(page, f"{self.origin}: {where}")
        for user in fields.records("UserDetailList"):
            parsed = self._user(user)
            self._users[parsed.arn] = parsed
        for group in fields.records("GroupDetailList"):
            parsed_group = self._group(group)
            self._groups[parsed_group.arn] = parsed_group
        for role in fields.records("RoleDetailList"):
            parsed_role = self._role(role)
            self._roles[parsed_role.arn] = parsed_role
        for policy in fields.records("Policies"):
            self._raw_policies[policy.text("Arn")] = policy

    def _document(self, raw: Any, what: str) -> PolicyDocument | None:
        try:
            return decode_document(raw)
        except UndecodableDocument as error:
            self._on_bad_document(what, str(error))
            return None

    def _inline(self, owner: str, fields: Fields, key: str) -> tuple[InlinePolicy, ...]:
        """Every inline policy, an unreadable one with ``document=None``: dropping it would let
        its holder read as holding nothing (a false "compliant"); kept, the holder is unknown."""
        policies = []
        for entry in fields.records(key):
            name = entry.text("PolicyName")
            what = f"inline policy {name!r} of {owner}"
            document = self._document(entry.raw("PolicyDocument"), what)
            policies.append(InlinePolicy(name=name, document=document))
        return tuple(policies)

    @staticmethod
    def _attached(fields: Fields) -> tuple[AttachedPolicy, ...]:
        return tuple(
            AttachedPolicy(
                arn=arn, name=entry.optional_text("PolicyName") or policy_name_from_arn(arn)
            )
            for entry in fields.records("AttachedManagedPolicies")
            for arn in (entry.text("PolicyArn"),)
        )

    def _user(self, fields: Fields) -> User:
        name = fields.text("UserName")
        return User(
            name=name,
            arn=fields.text("Arn"),
            user_id=fields.text("UserId"),
            path=fields.optional_path() or "/",
            create_date=fields.optional_datetime("CreateDate"),
            groups=tuple(fields.text_list("GroupList")),
            inline_policies=self._inline(f"user {name}", fields, "UserPolicyList"),
            attached_policies=self._attached(fields),
            permissions_boundary_arn=fields.boundary_arn(),
            tags=fields.tags(),
        )

    def _group(self, fields: Fields) -> Group:
        name = fields.text("GroupName")
        return Group(
            name=name,
            arn=fields.text("Arn"),
            group_id=fields.text("GroupId"),
            path=fields.optional_path() or "/",
            create_date=fields.optional_datetime("CreateDate"),
            inline_policies=self._inline(f"group {name}", fields, "GroupPolicyList"),
            attached_policies=self._attached(fields),
        )

    def _role(self, fields: Fields) -> Role:
        name = fields.text("RoleName")
        what = f"trust policy of role {name}"
        trust = self._document(fields.raw("AssumeRolePolicyDocument"), what)
        return Role(
            name=name,
            arn=fields.text("Arn"),
            role_id=fields.text("RoleId"),
            path=fields.optional_path() or "/",
            create_date=fields.optional_datetime("CreateDate"),
            trust_policy=trust if trust is not None else {},
            inline_policies=self._inline(f"role {name}", fields, "RolePolicyList"),
            attached_policies=self._attached(fields),
            permissions_boundary_arn=fields.boundary_arn(),
            tags=fields.tags(),
        )

    def _managed(self, arn: str, fields: Fields) -> ManagedPolicy:
        name = fields.optional_text("PolicyName") or policy_name_from_arn(arn)
        default_id = fields.optional_text("DefaultVersionId")
        versions = list(fields.records("PolicyVersionList"))
        default = [v for v in versions if v.optional_bool("IsDefaultVersion")]
        if not default and default_id is not None:
            default = [v for v in versions if v.optional_text("VersionId") == default_id]
        document = None
        what = f"managed policy {name} ({arn})"
        if len(default) == 1:
            document = self._document(default[0].raw("Document"), what)
        else:
            found = "no default version" if not default else "several default versions"
            self._on_bad_document(what, f"{found} in PolicyVersionList")
        count = fields.optional_int("AttachmentCount")
        return ManagedPolicy(
            arn=arn,
            name=name,
            policy_id=fields.optional_text("PolicyId"),
            path=fields.optional_path() or _path_from_arn(arn),
            default_version_id=default_id
            or (default[0].optional_text("VersionId") if default else None),
            document=document,
            attachment_count=count,
            is_aws_managed=is_aws_managed(arn),
        )

    def build(self) -> AuthorizationDetails:
        holders = self._holders()
        policies = []
        for arn, fields in self._raw_policies.items():
            used = (fields.optional_int("AttachmentCount") or 0) + (
                fields.optional_int("PermissionsBoundaryUsageCount") or 0
            )
            if arn in holders or used > 0:
                policies.append(self._managed(arn, fields))
        for arn, names in holders.items():
            if arn not in self._raw_policies:
                shown = ", ".join(sorted(names)[:5]) + (" ..." if len(names) > 5 else "")
                self._gaps.append(
                    CollectionGap(
                        CollectionSource.POLICY_DOCUMENTS.value,
                        f"managed policy {arn} (held by {shown}) is missing from the "
                        "authorization details; its permissions are unknown",
                    )
                )
        return AuthorizationDetails(
            users=tuple(self._users.values()),
            groups=tuple(self._groups.values()),
            roles=tuple(self._roles.values()),
            policies=tuple(policies),
            gaps=tuple(self._gaps),
        )

    def _holders(self) -> dict[str, set[str]]:
        """Managed policy ARN → principals holding it (attached or as permissions boundary)."""
        holders: dict[str, set[str]] = {}
        principals: list[tuple[str, tuple[AttachedPolicy, ...], str | None]] = [
            *(
                (f"user:{u.name}", u.attached_policies, u.permissions_boundary_arn)
                for u in self._users.values()
            ),
            *((f"group:{g.name}", g.attached_policies, None) for g in self._groups.values()),
            *(
                (f"role:{r.name}", r.attached_policies, r.permissions_boundary_arn)
                for r in self._roles.values()
            ),
        ]
        for principal, attached, boundary in principals:
            for arn in [a.arn for a in attached] + ([boundary] if boundary else []):
                holders.setdefault(arn, set()).add(principal)
        return holders


def _path_from_arn(arn: str) -> str:
    resource = arn.split(":", 5)[-1]
    inner = resource.split("/")[1:-1]
    return "/" + "".join(f"{part}/" for part in inner)
