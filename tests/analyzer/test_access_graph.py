"""The access graph (issue 9): who can act as whom, behind which MFA gate, and what rules say.

Each test builds a small account of its own with one pattern from real accounts. AWS semantics
followed: IAM User Guide, "Policy evaluation logic" (within one account a trust naming the
principal suffices; a trust naming the account root needs the caller's identity policy to allow
sts:AssumeRole); "Configuring MFA-protected API access" (roles: MFA is enforced in the trust
policy; cross-account delegation); "Using service-linked roles" (only the service assumes
them); STS API reference, AssumeRoleWithSAML (does not work on AWSReservedSSO_ roles: Identity
Center issues their credentials).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from auditor.models import (
    AuditResult,
    MfaDecidedBy,
    MfaEnforcement,
    PrincipalRow,
    Reach,
    Role,
    Severity,
)

from .conftest import (
    ACCOUNT,
    ADMIN_ARN,
    NOW,
    doc,
    group,
    of,
    role,
    row,
    run,
    snapshot,
    trust,
    user,
)

ROOT = f"arn:aws:iam::{ACCOUNT}:root"
OTHER = "210987654321"
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


def assume(resource: str = "*") -> dict[str, Any]:
    return doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": resource})


def arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


def with_inline(target: Role, name: str, document: dict[str, Any]) -> Role:
    from auditor.models import InlinePolicy

    return replace(target, inline_policies=(InlinePolicy(name, document),))


def service_trust(service: str) -> dict[str, Any]:
    return doc({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def principal(result: AuditResult, name: str) -> PrincipalRow:
    return next(p for p in result.principals if p.name == name)


def test_a_role_only_a_service_can_assume_is_not_assumable_without_mfa() -> None:
    svc = role("LambdaAdmin", service_trust("lambda.amazonaws.com"), attached=[ADMIN_ARN])
    result = run(snapshot(roles=[svc]))
    assert not of(result, "role_assumable_without_mfa")
    assert not of(result, "role_mfa_decided_by_idp")
    row_ = principal(result, "LambdaAdmin")
    assert row_.reach is Reach.ADMIN
    assert row_.exposure == 0
    assert [p.decided_by for p in row_.paths] == [MfaDecidedBy.NOT_HUMAN]
    assert "not a human path" in row_.paths[0].description


def test_a_role_trusting_only_a_service_only_role_is_not_assumable_without_mfa() -> None:
    """A role whose only way in is another role that only a service can assume."""
    worker = with_inline(
        role("Worker", service_trust("ec2.amazonaws.com")), "hop", assume(arn("role", "Admin"))
    )
    admin = role("Admin", trust(arn("role", "Worker")), attached=[ADMIN_ARN])
    result = run(snapshot(roles=[worker, admin]))
    assert not of(result, "role_assumable_without_mfa")
    assert principal(result, "Admin").exposure == 0


def test_a_service_linked_role_is_not_a_human_path() -> None:
    linked = replace(
        role("AWSServiceRoleForSupport", trust(ROOT), attached=[ADMIN_ARN]),
        path="/aws-service-role/support.amazonaws.com/",
    )
    result = run(snapshot(roles=[linked]))
    assert not of(result, "role_assumable_without_mfa")
    assert principal(result, "AWSServiceRoleForSupport").exposure == 0


def _chain_account(*, trust_mfa: bool = False) -> Any:
    condition = MFA if trust_mfa else None
    deploy = with_inline(
        role("Deploy", trust(arn("user", "dana"))), "hop", assume(arn("role", "Admin"))
    )
    admin = role("Admin", trust(arn("role", "Deploy"), condition), attached=[ADMIN_ARN])
    return snapshot(users=[user("dana")], rows=[row("dana", keys=1)], roles=[deploy, admin])


def test_a_chain_of_two_roles_makes_a_user_privileged() -> None:
    """The missed escalation: dana may assume Deploy, which may assume Admin."""
    result = run(_chain_account())
    [finding] = of(result, "privileged_member_no_mfa")
    assert finding.principal_name == "dana"
    assert (
        "user dana → role Deploy → role Admin: every action (*); no MFA on any hop"
        in (finding.evidence["paths"])
    )
    dana = principal(result, "dana")
    assert (dana.reach, dana.reach_without_mfa, dana.privileged) == (Reach.ADMIN, Reach.ADMIN, True)
    assert dana.exposure == 5
    assert "role:Deploy → role:Admin" in dana.privileged_via


def test_mfa_in_the_second_trust_protects_the_whole_chain() -> None:
    result = run(_chain_account(trust_mfa=True))
    dana = principal(result, "dana")
    assert dana.reach is Reach.ADMIN
    # Deploy itself stays open: sts:AssumeRole is a privileged action of its own.
    assert dana.reach_without_mfa is Reach.PRIVILEGED
    [admin] = [p for p in dana.paths if p.admin]
    assert admin.hops == ("user:dana", "role:Deploy", "role:Admin")
    # Bool true with no aws:MultiFactorAuthAge limit: MFA required, however old.
    assert admin.gate is MfaEnforcement.AGE_UNBOUNDED
    assert admin.description.endswith("every action (*); MFA required (no age limit)")


def test_identity_center_roles_and_sessions_are_decided_by_identity_center() -> None:
    saml = doc(
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": f"arn:aws:iam::{ACCOUNT}:saml-provider/AWSSSO_0123abcd_DO_NOT_DELETE"
            },
            "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        }
    )
    sso = replace(
        role("AWSReservedSSO_AdministratorAccess_1a2b3c", saml, attached=[ADMIN_ARN]),
        path="/aws-reserved/sso.amazonaws.com/eu-west-1/",
    )
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/AWSReservedSSO_ReadOnly_9f8e7d/alice"
    target = role("DataAdmin", trust(session), attached=[ADMIN_ARN])
    result = run(snapshot(roles=[sso, target]))
    assert not of(result, "role_assumable_without_mfa")
    [idp] = of(result, "role_mfa_decided_by_idp")
    assert idp.severity is Severity.HIGH
    assert "Identity Center" in idp.detail
    assert "AWSReservedSSO_AdministratorAccess_1a2b3c" in idp.evidence["identity_center_roles"]
    assert "DataAdmin" in idp.evidence["identity_center_roles"]
    for name in ("DataAdmin", "AWSReservedSSO_AdministratorAccess_1a2b3c"):
        row_ = principal(result, name)
        assert row_.mfa_enforced == "outside_iam"
        assert row_.exposure == 2


def test_a_saml_federated_role_gets_the_one_account_level_idp_finding() -> None:
    okta = doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:saml-provider/Okta"},
            "Action": "sts:AssumeRoleWithSAML",
        }
    )
    roles = [role(f"Okta{i}", okta, attached=[ADMIN_ARN]) for i in range(3)]
    result = run(snapshot(roles=roles))
    assert not of(result, "role_assumable_without_mfa")
    [idp] = of(result, "role_mfa_decided_by_idp")
    assert "Okta0 (Okta)" in idp.evidence["external_idp_roles"]


def test_a_cross_account_root_trust_keeps_a_finding_with_a_fix_that_works() -> None:
    shared = role("Shared", trust(f"arn:aws:iam::{OTHER}:root"), attached=[ADMIN_ARN])
    result = run(snapshot(roles=[shared]))
    [finding] = of(result, "role_assumable_without_mfa")
    assert "ExternalId" in finding.remediation
    assert "--serial-number" not in finding.remediation
    row_ = principal(result, "Shared")
    assert row_.paths[0].decided_by is MfaDecidedBy.OTHER_ACCOUNT
    assert row_.mfa_enforced == "outside_iam"


def test_a_root_trust_needs_the_callers_identity_policy() -> None:
    ops = role("Ops", trust(ROOT), attached=[ADMIN_ARN])
    users = [user("bob"), user("carol", inline={"hop": assume(arn("role", "Ops"))})]
    result = run(snapshot(users=users, rows=[row("bob"), row("carol")], roles=[ops]))
    assert principal(result, "bob").reach is Reach.NONE
    carol = principal(result, "carol")
    assert carol.reach is Reach.ADMIN
    assert any(p.hops == ("user:carol", "role:Ops") for p in carol.paths)
    assert [f.principal_name for f in of(result, "role_assumable_without_mfa")] == ["Ops"]


def test_a_root_trust_with_an_identity_allow_requiring_mfa_is_gated() -> None:
    ops = role("Ops", trust(ROOT), attached=[ADMIN_ARN])
    guarded = doc(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*", "Condition": MFA}
    )
    result = run(
        snapshot(users=[user("carol", inline={"hop": guarded})], rows=[row("carol")], roles=[ops])
    )
    carol = principal(result, "carol")
    assert carol.reach is Reach.ADMIN
    assert carol.reach_without_mfa is Reach.NONE


def test_a_cycle_of_roles_terminates_and_keeps_the_path() -> None:
    a = with_inline(role("A", trust(arn("role", "B"))), "hop", assume())
    b = with_inline(role("B", trust(arn("role", "A"))), "hop", assume())
    c = role("C", trust(arn("role", "B")), attached=[ADMIN_ARN])
    entry = replace(
        a,
        trust_policy=doc(
            *trust(arn("role", "B"))["Statement"], *trust(arn("user", "dana"))["Statement"]
        ),
    )
    result = run(snapshot(users=[user("dana")], rows=[row("dana")], roles=[entry, b, c]))
    dana = principal(result, "dana")
    assert dana.reach is Reach.ADMIN
    assert any(p.hops == ("user:dana", "role:A", "role:B", "role:C") for p in dana.paths)


def test_each_rule_names_each_principal_once() -> None:
    result = run(
        snapshot(
            users=[user("priya", ["Admins", "Ops"], inline={"hop": assume()}), user("dana")],
            rows=[row("priya", keys=1), row("dana", keys=1)],
            groups=[group("Admins", attached=[ADMIN_ARN]), group("Ops", attached=[ADMIN_ARN])],
            roles=[
                role("R1", trust(ROOT), attached=[ADMIN_ARN]),
                role("R2", trust(arn("user", "dana")), attached=[ADMIN_ARN]),
            ],
        )
    )
    counts = Counter((f.rule_id, f.principal_arn) for f in result.findings)
    assert counts
    assert max(counts.values()) == 1
    assert {("privileged_member_no_mfa", arn("user", n)) for n in ("priya", "dana")} <= set(counts)


def test_no_credential_report_never_says_without_an_mfa_device() -> None:
    result = run(
        snapshot(
            users=[user("bob", ["Admins"])],
            groups=[group("Admins", attached=[ADMIN_ARN])],
            with_report=False,
        )
    )
    [finding] = of(result, "privileged_group_no_mfa_condition")
    assert "without an MFA device" not in finding.detail
    assert "1 whose MFA status is unknown (no credential report)" in finding.detail
    assert "every action (*)" in finding.detail
    assert principal(result, "bob").mfa_device_types == ("unknown",)


def test_nodes_are_named_on_demand_with_their_arns() -> None:
    """``AccessGraph.node`` builds a node from the snapshot when asked (none are stored)."""
    from auditor.analyzer.context import build_context
    from auditor.analyzer.graph.permissions import PrivilegeIndex
    from auditor.analyzer.graph.records import NodeKind
    from auditor.analyzer.run import default_engine
    from auditor.config import AuditorConfig

    snap = _chain_account()
    config = AuditorConfig()
    ctx = build_context(snap, config, NOW, PrivilegeIndex(snap, default_engine(config)))
    graph = ctx.access.graph
    dana, admin = graph.node("user:dana"), graph.node("role:Admin")
    assert (dana.kind, dana.name, dana.arn) == (NodeKind.USER, "dana", arn("user", "dana"))
    assert (admin.kind, admin.arn) == (NodeKind.ROLE, arn("role", "Admin"))
    service = graph.node("service:ec2.amazonaws.com")
    assert (service.kind, service.name, service.arn) == (NodeKind.SERVICE, "ec2.amazonaws.com", "")
    assert graph.node("user:nobody").arn == ""  # named by a trust policy, not in the snapshot


def test_account_wide_edges_are_shared_and_a_role_gets_no_edge_to_itself() -> None:
    """Principals allowed the same root-trusting roles share one edges tuple (the reach query
    answers once for it); a role allowed to assume itself keeps the others only."""
    from auditor.analyzer.context import build_context
    from auditor.analyzer.graph.permissions import PrivilegeIndex
    from auditor.analyzer.run import default_engine
    from auditor.config import AuditorConfig

    ops = with_inline(role("Ops", trust(ROOT), attached=[ADMIN_ARN]), "hop", assume())
    audit = role("Audit", trust(ROOT))
    users = [user(n, inline={"hop": assume()}) for n in ("bob", "carol")]
    snap = snapshot(users=users, rows=[row("bob"), row("carol")], roles=[ops, audit])
    config = AuditorConfig()
    ctx = build_context(snap, config, NOW, PrivilegeIndex(snap, default_engine(config)))
    graph = ctx.access.graph
    assert {e.target for e in graph.out("user:bob")} == {"role:Ops", "role:Audit"}
    assert {e.target for e in graph.out("role:Ops")} == {"role:Audit"}
    [bob], [carol] = graph.out_shared("user:bob")[1], graph.out_shared("user:carol")[1]
    assert bob.edges is carol.edges


def test_membership_edges_are_read_from_the_snapshot_in_order() -> None:
    """Group memberships are not stored (every user has them, no reach query follows them):
    ``out`` lists them first, in the user's group order, groups the snapshot lacks left out;
    a group's incoming edges are its members in the snapshot's user order."""
    from auditor.analyzer.context import build_context
    from auditor.analyzer.graph.permissions import PrivilegeIndex
    from auditor.analyzer.run import default_engine
    from auditor.config import AuditorConfig

    ops = role("Ops", trust(ROOT))
    users = [
        user("bob", ["Devs", "Gone", "Admins", "Devs"], inline={"hop": assume()}),
        user("amy", ["Admins"]),
    ]
    groups = [group("Admins"), group("Devs")]
    snap = snapshot(users=users, rows=[row("bob"), row("amy")], groups=groups, roles=[ops])
    config = AuditorConfig()
    ctx = build_context(snap, config, NOW, PrivilegeIndex(snap, default_engine(config)))
    graph = ctx.access.graph
    out = [(e.kind, e.target, e.reason) for e in graph.out("user:bob")]
    assert out == [
        ("membership", "group:Devs", "bob is a member of Devs"),
        ("membership", "group:Admins", "bob is a member of Admins"),
        ("assume_role", "role:Ops", out[2][2]),
    ]
    assert [e.source for e in graph.into_sample("group:Admins")] == ["user:bob", "user:amy"]
    assert [s for s, _ in graph.sources_into("group:Admins")] == ["user:bob", "user:amy"]
    assert [e.source for e in graph.into("group:Devs")] == ["user:bob"]
    assert all(e.kind != "membership" for e in graph.out_shared("user:bob")[0])
