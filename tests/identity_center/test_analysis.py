"""Judging permission sets, and the ``identity_center_mfa_unverified`` rule, on hand-built data.

Semantics followed: a permission set's role holds its AWS-managed policies, its inline policy,
the customer-managed policies of the same name and path *in the assigned account*, and its
permissions boundary (IAM Identity Center User Guide, "Permission sets", "Permissions
boundaries", "Customer managed policies"); a boundary limits, never grants (IAM User Guide,
"Permissions boundaries for IAM entities"); Identity Center's MFA setting has no API (its
"Prompt users for MFA" page documents only console steps).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from auditor.analyzer.identity_center.sets import (
    AWS_MANAGED_DOCUMENTS,
    READ_ONLY_AWS_POLICIES,
    PermissionSetIndex,
)
from auditor.analyzer.run import default_engine
from auditor.config import AuditorConfig
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
from auditor.models import (
    CollectionGap,
    FindingStatus,
    ManagedPolicy,
    MfaDecidedBy,
    PrincipalType,
    Reach,
    Snapshot,
)
from auditor.pipeline import exit_code_for
from auditor.snapshot_io import dumps_snapshot, parse_snapshot
from tests.analyzer.conftest import ACCOUNT, exemption, of, run, snapshot

RULE = "identity_center_mfa_unverified"
OTHER = "222222222222"
ADMIN = ManagedPolicyRef("arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess")
VIEW_ONLY = ManagedPolicyRef(
    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "ViewOnlyAccess"
)
POWER_USER = ManagedPolicyRef("arn:aws:iam::aws:policy/PowerUserAccess", "PowerUserAccess")
READ_ONLY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def _policy(name: str, document: dict[str, object], *, aws: bool = False) -> ManagedPolicy:
    owner = "aws" if aws else ACCOUNT
    return ManagedPolicy(
        f"arn:aws:iam::{owner}:policy/{name}", name, None, "/", "v1", document, 1, aws
    )


READ_ONLY_DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "iam:List*"], "Resource": "*"}],
}
SECRETS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}],
}


def _set(name: str, **kwargs: object) -> PermissionSet:
    arn = f"arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-{name.lower():0<16}"[:80]
    return PermissionSet(arn=arn, name=name, **kwargs)  # type: ignore[arg-type]


def _data(
    sets: list[PermissionSet], assignments: list[tuple[str, str, str, str]]
) -> IdentityCenterData:
    users = tuple(
        IdentityCenterUser(f"id-{n}", n, external_id_issuers=()) for n in ("ana", "ben", "cy")
    )
    by_name = {ps.name: ps for ps in sets}
    return IdentityCenterData(
        IdentityCenterStatus.COLLECTED,
        "eu-west-1",
        instance_arn="arn:aws:sso:::instance/ssoins-1111111111111111",
        identity_store_id="d-1111111111",
        users=users,
        groups=(IdentityCenterGroup("id-ops", "Ops", ("id-ana", "id-ben")),),
        permission_sets=tuple(sets),
        assignments=tuple(
            AccountAssignment(account, by_name[s].arn, kind, principal)
            for kind, principal, s, account in assignments
        ),
    )


def _snap(data: IdentityCenterData | None, **kwargs: object) -> Snapshot:
    base = snapshot(**kwargs)  # type: ignore[arg-type]
    return dataclasses.replace(base, schema_version=2, identity_center=data)


def _verdict(ps: PermissionSet, snap: Snapshot, account: str = ACCOUNT) -> Reach:
    return PermissionSetIndex(snap, default_engine(AuditorConfig())).verdict(ps, account).reach


def test_read_only_catalog_and_admin_document_match_aws_documents() -> None:
    """The short catalog is checked against the AWS-managed documents moto ships (copied from
    AWS): the read-only ones allow no privileged action, AdministratorAccess is ``*``."""
    moto_iam = pytest.importorskip("moto.iam.aws_managed_policies")
    documents = json.loads(moto_iam.aws_managed_policies_data)
    engine = default_engine(AuditorConfig())
    from auditor.policy.types import NamedPolicy

    for name in READ_ONLY_AWS_POLICIES:
        assessed = engine.assess_principal([NamedPolicy(name, documents[name]["Document"])])
        assert not assessed.privileged, name
    assert (
        documents["AdministratorAccess"]["Document"] == AWS_MANAGED_DOCUMENTS["AdministratorAccess"]
    )


def test_view_only_under_a_path_is_not_privileged_without_its_document() -> None:
    assert _verdict(_set("View", managed_policies=(VIEW_ONLY,)), _snap(None, policies=())) is (
        Reach.NONE
    )


def test_admin_by_catalog_and_unknown_managed_policy_fails_closed() -> None:
    snap = _snap(None, policies=())
    assert _verdict(_set("Admin", managed_policies=(ADMIN,)), snap) is Reach.ADMIN
    # PowerUserAccess attached to nothing in the account: its document is unknown here.
    assert _verdict(_set("Power", managed_policies=(POWER_USER,)), snap) is Reach.UNKNOWN


def test_boundary_narrows_an_admin_set_to_nothing_privileged() -> None:
    boundary = _policy("ReadOnlyAccess", READ_ONLY_DOC, aws=True)
    bounded = _set("Bounded", managed_policies=(ADMIN,), boundary_policy_arn=boundary.arn)
    assert _verdict(bounded, _snap(None, policies=(boundary,))) is Reach.NONE
    # The boundary document missing: the set may be admin, so unknown, never "fine".
    assert _verdict(bounded, _snap(None, policies=())) is Reach.UNKNOWN


def test_customer_managed_resolved_by_name_in_the_target_account_only() -> None:
    support = _set("Support", customer_policies=(CustomerPolicyRef("Secrets"),))
    snap = _snap(None, policies=(_policy("Secrets", SECRETS),))
    assert _verdict(support, snap) is Reach.PRIVILEGED
    assert _verdict(support, snap, account=OTHER) is Reach.UNKNOWN  # not read in this audit
    moved = _set("Moved", customer_policies=(CustomerPolicyRef("Secrets", "/team/"),))
    assert _verdict(moved, snap) is Reach.UNKNOWN  # same name, other path: another policy


def test_inline_boundary_from_customer_policy() -> None:
    inline = {"Version": "2012-10-17", "Statement": SECRETS["Statement"]}
    limited = _set(
        "Limited",
        inline_policy=inline,
        boundary_customer_policy=CustomerPolicyRef("ReadOnlyBoundary"),
    )
    snap = _snap(None, policies=(_policy("ReadOnlyBoundary", READ_ONLY_DOC),))
    assert _verdict(limited, snap) is Reach.NONE
    assert _verdict(dataclasses.replace(limited, boundary_customer_policy=None), snap) is (
        Reach.PRIVILEGED
    )


def test_rule_counts_privileged_users_through_groups_and_directly() -> None:
    admin = _set("Admin", managed_policies=(ADMIN,))
    view = _set("View", managed_policies=(VIEW_ONLY,))
    data = _data(
        [admin, view],
        [("GROUP", "id-ops", "Admin", ACCOUNT), ("USER", "id-cy", "View", ACCOUNT)],
    )
    result = run(_snap(data, policies=()))
    (finding,) = of(result, RULE)
    assert finding.status is FindingStatus.OPEN
    assert finding.evidence["user_names"] == "ana, ben"
    assert "ExternalIds" not in finding.evidence["identity_source"]
    rows = {row.name: row for row in result.principals}
    assert rows["ana"].privileged_via == (f"permission_set:Admin (group Ops) in {ACCOUNT}",)
    assert rows["ana"].open_rules == (RULE,)
    assert rows["cy"].privileged is False
    assert exit_code_for(result, AuditorConfig().fail_on) == 0  # medium < high, complete


def test_external_idp_issuer_is_named_and_exemption_by_account_applies() -> None:
    admin = _set("Admin", managed_policies=(ADMIN,))
    data = _data([admin], [("USER", "id-ana", "Admin", ACCOUNT)])
    data = dataclasses.replace(
        data,
        users=(IdentityCenterUser("id-ana", "ana", external_id_issuers=("https://idp.example",)),),
    )
    config = dataclasses.replace(
        AuditorConfig(), exemptions=(exemption(RULE, ACCOUNT, date(2099, 1, 1)),)
    )
    result = run(_snap(data, policies=()), config)
    (finding,) = of(result, RULE)
    assert "https://idp.example" in finding.detail
    assert finding.status is FindingStatus.EXEMPTED
    assert finding.exemption_expires == "2099-01-01"


def test_disabled_user_is_not_counted() -> None:
    admin = _set("Admin", managed_policies=(ADMIN,))
    data = dataclasses.replace(
        _data([admin], [("USER", "id-ana", "Admin", ACCOUNT)]),
        users=(IdentityCenterUser("id-ana", "ana", enabled=False),),
    )
    result = run(_snap(data, policies=()))
    assert of(result, RULE) == []
    (row,) = [
        r for r in result.principals if r.principal_type is PrincipalType.IDENTITY_CENTER_USER
    ]
    assert (row.reach, row.exposure) == (Reach.NONE, 0)
    assert row.privileged_via == (f"permission_set:Admin in {ACCOUNT} (user disabled)",)


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (None, "this snapshot has no Identity Center data"),
        (
            IdentityCenterData(IdentityCenterStatus.SKIPPED, reason="skipped on purpose"),
            "skipped on purpose",
        ),
        (
            IdentityCenterData(
                IdentityCenterStatus.NO_INSTANCE, reason="no IAM Identity Center instance"
            ),
            "no IAM Identity Center instance",
        ),
    ],
)
def test_not_read_skipped_or_absent_is_a_note_not_a_gap(
    data: IdentityCenterData | None, note: str
) -> None:
    result = run(_snap(data))
    assert of(result, RULE) == []
    assert any(note in text for text in result.notes)
    assert result.complete


def test_failed_read_makes_the_rule_unknown_with_the_reason() -> None:
    reason = "access denied to sso:ListInstances (grant it to collect this data)"
    data = IdentityCenterData(IdentityCenterStatus.FAILED, reason=reason)
    result = run(_snap(data, gaps=[CollectionGap("identity_center", reason)]))
    (finding,) = of(result, RULE)
    assert finding.status is FindingStatus.UNKNOWN
    assert reason in finding.detail
    assert not result.complete
    assert exit_code_for(result, AuditorConfig().fail_on) == 4


def test_version_1_snapshot_loads_without_identity_center() -> None:
    data = json.loads(dumps_snapshot(snapshot()))
    data["schema_version"] = 1
    data.pop("identity_center")
    loaded = parse_snapshot(data, "v1.json")
    assert loaded.identity_center is None
    saved = json.loads(dumps_snapshot(_snap(_data([], []))))
    assert parse_snapshot(saved, "v2.json").identity_center == _data([], [])


def test_graph_links_user_group_set_and_reserved_role() -> None:
    """The access graph's Identity Center edges: user → group → permission set → the set's
    ``AWSReservedSSO_`` role in this account, each assignment hop decided by Identity Center."""
    from auditor.analyzer.context import build_context
    from auditor.analyzer.graph.permissions import PrivilegeIndex
    from tests.analyzer.conftest import NOW, role

    admin = _set("Admin", managed_policies=(ADMIN,))
    data = _data(
        [admin], [("GROUP", "id-ops", "Admin", ACCOUNT), ("USER", "id-cy", "Admin", OTHER)]
    )
    reserved = dataclasses.replace(
        role("AWSReservedSSO_Admin_0123456789abcdef", {"Version": "2012-10-17", "Statement": []}),
        path="/aws-reserved/sso.amazonaws.com/eu-west-1/",
    )
    snap = _snap(data, roles=[reserved])
    config = AuditorConfig()
    ctx = build_context(snap, config, NOW, PrivilegeIndex(snap, default_engine(config)))
    graph = ctx.access.graph
    (membership,) = graph.out("identity_center_user:ana")
    assert membership.target == "identity_center_group:Ops"
    (assigned,) = graph.out("identity_center_group:Ops")
    assert (assigned.target, assigned.decided_by) == (
        "permission_set:Admin",
        MfaDecidedBy.IDENTITY_CENTER,
    )
    (linked,) = graph.out("permission_set:Admin")
    assert linked.target == f"role:{reserved.name}"
    assert list(graph.out("identity_center_user:cy")) == []  # assigned in another account only
    assert "permission_set:Admin" in ctx.access.entry(reserved).via
