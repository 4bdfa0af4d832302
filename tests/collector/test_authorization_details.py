"""GetAccountAuthorizationDetails: several pages, no filter, default versions, attached policies.

Authority: IAM API reference, GetAccountAuthorizationDetails ("You can paginate the results using
the MaxItems and Marker parameters"; ``IsTruncated``; ``MaxItems``: "IAM might return fewer
results, even when there are more results available") and ``ManagedPolicyDetail`` /
``PolicyVersion.IsDefaultVersion``. moto never paginates, so the pages are played back.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from auditor.collector.authorization import AuthorizationDetailsBuilder
from auditor.collector.collect import read_authorization_details
from auditor.collector.documents import UndecodableDocument, decode_document
from auditor.collector.paging import iam_pages
from auditor.errors import AccessDeniedError, CollectionError, InputError
from auditor.models import SNAPSHOT_SCHEMA_VERSION, CollectionSource, InlinePolicy, Snapshot
from auditor.snapshot_io import load_snapshot, save_snapshot
from tests.support.fakes import stubbed_client

ACCOUNT = "111122223333"
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        }
    ],
}
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def encoded(document: dict[str, Any]) -> str:
    """What IAM sends on the wire: RFC 3986 URL-encoded JSON."""
    return quote(json.dumps(document))


def arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


def user(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "UserName": name,
        "UserId": f"AIDA{name.upper()}".ljust(20, "0"),
        "Arn": arn("user", name),
        "Path": "/",
        "CreateDate": WHEN,
        **extra,
    }


PAGE_1 = {
    "UserDetailList": [
        user(
            "alice",
            GroupList=["Admins"],
            UserPolicyList=[{"PolicyName": "own", "PolicyDocument": encoded(ALLOW_ALL)}],
            PermissionsBoundary={
                "PermissionsBoundaryType": "Policy",
                "PermissionsBoundaryArn": arn("policy", "Boundary"),
            },
            Tags=[{"Key": "team", "Value": "sec"}],
        ),
        user("bob", UserPolicyList=[{"PolicyName": "bad", "PolicyDocument": "{not json"}]),
    ],
    "IsTruncated": True,
    "Marker": "m1",
}
PAGE_2 = {
    "UserDetailList": [user("carol", Path="/ops/")],
    "GroupDetailList": [
        {
            "GroupName": "Admins",
            "GroupId": "AGPA1".ljust(20, "0"),
            "Arn": arn("group", "Admins"),
            "Path": "/",
            "CreateDate": WHEN,
            "AttachedManagedPolicies": [{"PolicyArn": ADMIN_ARN}],  # moto omits names
            "GroupPolicyList": [],
        }
    ],
    "RoleDetailList": [
        {
            "RoleName": "deploy",
            "RoleId": "AROA1".ljust(20, "0"),
            "Arn": arn("role", "deploy"),
            "Path": "/",
            "CreateDate": WHEN,
            "AssumeRolePolicyDocument": encoded(TRUST),
            "AttachedManagedPolicies": [
                {"PolicyName": "Versions", "PolicyArn": arn("policy", "Versions")},
                {"PolicyName": "Missing", "PolicyArn": arn("policy", "Missing")},
                {"PolicyName": "Broken", "PolicyArn": arn("policy", "Broken")},
            ],
        }
    ],
    "IsTruncated": True,
    "Marker": "m2",
}


def managed(
    name_or_arn: str, documents: dict[str, str], default: str, **extra: Any
) -> dict[str, Any]:
    policy_arn = name_or_arn if name_or_arn.startswith("arn:") else arn("policy", name_or_arn)
    return {
        "Arn": policy_arn,
        "Path": "/",
        "DefaultVersionId": default,
        "AttachmentCount": 1,
        "PolicyVersionList": [
            {"VersionId": version, "Document": document, "IsDefaultVersion": version == default}
            for version, document in documents.items()
        ],
        **extra,
    }


PAGE_3 = {
    "Policies": [
        managed(ADMIN_ARN, {"v1": encoded(ALLOW_ALL)}, "v1"),
        managed(
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            {"v1": encoded(ALLOW_ALL)},
            "v1",
            AttachmentCount=0,
        ),
        managed("Unused", {"v1": encoded(ALLOW_ALL)}, "v1", AttachmentCount=0, PolicyName="Unused"),
        managed(
            "Boundary",
            {"v1": encoded(ALLOW_ALL)},
            "v1",
            PolicyName="Boundary",
            PolicyId="ANPA1".ljust(20, "0"),
            AttachmentCount=0,
            PermissionsBoundaryUsageCount=1,
        ),
        managed(
            "Versions",
            {"v1": encoded({"Version": "2012-10-17", "Statement": []}), "v2": encoded(ALLOW_ALL)},
            "v2",
            PolicyName="Versions",
        ),
        managed("Broken", {"v1": "%7Bbroken"}, "v1", PolicyName="Broken"),
    ],
    "IsTruncated": False,
}


def _details() -> Any:
    """Each run gets fresh copies: botocore decodes documents in place in the parsed answer."""
    page_1, page_2, page_3 = copy.deepcopy((PAGE_1, PAGE_2, PAGE_3))
    iam, stubber = stubbed_client("iam")
    stubber.add_response("get_account_authorization_details", page_1, {"MaxItems": 1000})
    stubber.add_response(
        "get_account_authorization_details", page_2, {"MaxItems": 1000, "Marker": "m1"}
    )
    stubber.add_response(
        "get_account_authorization_details", page_3, {"MaxItems": 1000, "Marker": "m2"}
    )
    progress: list[str] = []
    details = read_authorization_details(iam, "audit", progress.append)
    stubber.assert_no_pending_responses()
    return details, progress


def test_all_pages_are_read_without_filter_even_when_pages_are_short() -> None:
    details, progress = _details()
    assert [u.name for u in details.users] == ["alice", "bob", "carol"]
    assert [g.name for g in details.groups] == ["Admins"]
    assert [r.name for r in details.roles] == ["deploy"]
    assert len(progress) == 3


def test_users_carry_groups_inline_boundary_tags() -> None:
    details, _ = _details()
    alice = details.users[0]
    assert alice.groups == ("Admins",)
    assert alice.inline_policies[0].name == "own"
    assert alice.inline_policies[0].document == ALLOW_ALL  # URL-decoded JSON
    assert alice.permissions_boundary_arn == arn("policy", "Boundary")
    assert alice.tags == {"team": "sec"}
    assert alice.create_date == WHEN
    assert details.users[2].path == "/ops/"


def test_role_trust_policy_is_decoded() -> None:
    details, _ = _details()
    assert details.roles[0].trust_policy == TRUST


def test_only_attached_policies_are_kept_with_default_version_document() -> None:
    details, _ = _details()
    policies = {p.name: p for p in details.policies}
    assert set(policies) == {"AdministratorAccess", "Boundary", "Versions", "Broken"}
    admin = policies["AdministratorAccess"]
    assert admin.is_aws_managed
    assert admin.arn == ADMIN_ARN
    assert admin.document == ALLOW_ALL
    versions = policies["Versions"]
    assert versions.default_version_id == "v2"
    assert versions.document == ALLOW_ALL
    assert not versions.is_aws_managed
    assert policies["Boundary"].policy_id == "ANPA1".ljust(20, "0")


def test_attached_policy_name_derived_from_arn_when_absent() -> None:
    details, _ = _details()
    assert details.groups[0].attached_policies[0].name == "AdministratorAccess"


def test_undecodable_documents_become_gaps_naming_the_policy() -> None:
    details, _ = _details()
    reasons = [gap.reason for gap in details.gaps]
    assert all(gap.source == CollectionSource.POLICY_DOCUMENTS.value for gap in details.gaps)
    assert any("inline policy 'bad' of user bob" in reason for reason in reasons)
    assert any("managed policy Broken" in reason for reason in reasons)
    assert {p.name: p for p in details.policies}["Broken"].document is None


def test_undecodable_inline_policy_stays_on_its_holder_without_a_document() -> None:
    """Dropped, bob would read as holding no policy at all (a false "compliant"); kept with
    ``document=None`` the analyzer judges him unknown, as a holder of an unread managed policy."""
    details, _ = _details()
    bob = next(u for u in details.users if u.name == "bob")
    assert bob.inline_policies == (InlinePolicy("bad", None),)


def test_undecodable_group_and_role_inline_policies_are_kept_too() -> None:
    builder = AuthorizationDetailsBuilder("test")
    group = {
        "GroupName": "G",
        "GroupId": "AGPAG".ljust(20, "0"),
        "Arn": arn("group", "G"),
        "GroupPolicyList": [
            {"PolicyName": "admin", "PolicyDocument": "{not json"},
            {"PolicyName": "fine", "PolicyDocument": encoded(ALLOW_ALL)},
        ],
    }
    role = {
        "RoleName": "R",
        "RoleId": "AROAR".ljust(20, "0"),
        "Arn": arn("role", "R"),
        "AssumeRolePolicyDocument": encoded(TRUST),
        "RolePolicyList": [{"PolicyName": "ops", "PolicyDocument": 42}],
    }
    builder.add_page({"GroupDetailList": [group], "RoleDetailList": [role]}, "page 1")
    details = builder.build()
    assert details.groups[0].inline_policies == (
        InlinePolicy("admin", None),
        InlinePolicy("fine", ALLOW_ALL),
    )
    assert details.roles[0].inline_policies == (InlinePolicy("ops", None),)
    reasons = sorted(gap.reason for gap in details.gaps)
    assert reasons == [
        "inline policy 'admin' of group G: not valid JSON, plain or URL-encoded; not evaluated",
        "inline policy 'ops' of role R: expected a JSON object, got int; not evaluated",
    ]


def test_unreadable_inline_policy_survives_the_snapshot_file(tmp_path: Path) -> None:
    """``null`` is new in the snapshot JSON; older snapshots (always an object) still load."""
    details, _ = _details()
    snapshot = Snapshot(
        schema_version=SNAPSHOT_SCHEMA_VERSION,
        tool_version="test",
        source="aws",
        account_id=ACCOUNT,
        account_alias=None,
        caller_arn=None,
        collected_at=WHEN,
        credential_report=None,
        users=details.users,
        groups=details.groups,
        roles=details.roles,
        policies=details.policies,
        virtual_mfa_devices=(),
        account_summary=None,
        password_policy=None,
        gaps=details.gaps,
    )
    path = tmp_path / "snapshot.json"
    save_snapshot(snapshot, path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    bob = next(u for u in raw["users"] if u["name"] == "bob")
    assert bob["inline_policies"] == [{"name": "bad", "document": None}]
    assert load_snapshot(path) == snapshot
    bob["inline_policies"][0]["document"] = "{not json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputError, match=r"inline_policies\[0\]\.document"):
        load_snapshot(path)


def test_policy_held_but_missing_from_the_answer_is_a_gap() -> None:
    details, _ = _details()
    missing = [gap for gap in details.gaps if arn("policy", "Missing") in gap.reason]
    assert len(missing) == 1
    assert "role:deploy" in missing[0].reason


def test_access_denied_names_the_permission() -> None:
    iam, stubber = stubbed_client("iam")
    stubber.add_client_error(
        "get_account_authorization_details", "AccessDenied", "User: x is not authorized", 403
    )
    with pytest.raises(AccessDeniedError, match="iam:GetAccountAuthorizationDetails") as caught:
        read_authorization_details(iam, "audit", lambda _: None)
    assert "grant iam:GetAccountAuthorizationDetails" in str(caught.value.hint)


def test_throttled_on_a_later_page_is_an_error_not_a_partial_listing() -> None:
    iam, stubber = stubbed_client("iam")
    stubber.add_response("get_account_authorization_details", copy.deepcopy(PAGE_1))
    stubber.add_client_error("get_account_authorization_details", "Throttling", "Rate exceeded")
    with pytest.raises(CollectionError, match="throttling iam:GetAccountAuthorizationDetails"):
        read_authorization_details(iam, "audit", lambda _: None)


@pytest.mark.parametrize("second_marker", [None, "m1"])
def test_truncated_page_without_new_marker_is_an_error(second_marker: str | None) -> None:
    pages = [{"IsTruncated": True, "Marker": "m1"}, {"IsTruncated": True, "Marker": second_marker}]
    calls: list[dict[str, Any]] = []

    def call(**params: Any) -> dict[str, Any]:
        calls.append(params)
        return pages[len(calls) - 1]

    with pytest.raises(CollectionError, match="truncated page without a new Marker"):
        list(iam_pages(call, "iam:ListVirtualMFADevices"))
    assert calls == [{"MaxItems": 1000}, {"MaxItems": 1000, "Marker": "m1"}]


@pytest.mark.parametrize(
    "raw",
    [ALLOW_ALL, json.dumps(ALLOW_ALL), encoded(ALLOW_ALL), "  " + json.dumps(ALLOW_ALL) + "\n"],
)
def test_documents_are_accepted_as_dicts_or_strings(raw: Any) -> None:
    assert decode_document(raw) == ALLOW_ALL


def test_plain_json_with_a_percent_sign_is_not_url_decoded() -> None:
    document = {"Statement": [{"Sid": "100%25", "Effect": "Deny"}]}
    assert decode_document(json.dumps(document)) == document


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[1, 2]", "got JSON list"),
        ("%7Bnope", "not valid JSON"),
        (42, "got int"),
        (None, "got NoneType"),
    ],
)
def test_undecodable_documents_say_why(raw: Any, message: str) -> None:
    with pytest.raises(UndecodableDocument, match=message):
        decode_document(raw)
