"""``assess_principal``: the union of a principal's policies against every privileged action.

IAM User Guide, "Policy evaluation logic": identity policies are unioned, an explicit Deny
in any of them wins, and a permissions boundary caps them ("Permissions boundaries for IAM
entities": an action must be allowed by both).
"""

from __future__ import annotations

from auditor.models import MfaEnforcement
from auditor.policy import Decision, NamedPolicy, PolicyEngine, PrivilegeSettings, RequestContext

from .conftest import ADMIN, allow, deny, named

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
NO_MFA_DENY = deny(condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})


def test_admin_without_conditions_is_not_enforced_as_one_group(engine: PolicyEngine) -> None:
    assessment = engine.assess_principal(named(ADMIN))
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    assert assessment.privileged
    (group,) = assessment.actions
    assert group.action == "*"
    assert len(group.actions) == len(engine.model.actions)
    assert "iam:PassRole" in group.actions
    assert "sts:AssumeRole" in group.actions
    assert set(group.decisions.values()) == {Decision.ALLOWED}
    assert [r.statement_id for r in assessment.deciding] == ["#0"]


def test_non_privileged_permissions_are_not_applicable(engine: PolicyEngine) -> None:
    assessment = engine.assess_principal(
        named(allow(["s3:GetObject", "ec2:Describe*", "iam:List*"]))
    )
    assert assessment.verdict is MfaEnforcement.NOT_APPLICABLE
    assert not assessment.privileged
    assert assessment.actions == ()
    assert engine.assess_principal([]).verdict is MfaEnforcement.NOT_APPLICABLE


def test_verdict_is_the_worst_action(engine: PolicyEngine) -> None:
    policies = named(
        allow("iam:*", condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "600"}}),
        allow("sts:AssumeRole", condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}),
    )
    assessment = engine.assess_principal(policies)
    assert assessment.verdict is MfaEnforcement.BYPASSABLE
    verdicts = {a.verdict for a in assessment.actions}
    assert verdicts == {MfaEnforcement.BYPASSABLE, MfaEnforcement.ENFORCED}
    worst = assessment.actions[0]
    assert worst.actions == ("sts:AssumeRole",)
    assert worst.decisions[RequestContext.ACCESS_KEY] is Decision.ALLOWED


def test_explicit_deny_in_another_policy_protects_every_action(engine: PolicyEngine) -> None:
    assessment = engine.assess_principal(named(ADMIN, NO_MFA_DENY))
    assert assessment.verdict is MfaEnforcement.AGE_UNBOUNDED
    fresh_only = deny(condition={"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "900"}})
    assert engine.assess_principal(named(ADMIN, fresh_only)).verdict is MfaEnforcement.ENFORCED


def test_partial_deny_leaves_the_rest_exposed(engine: PolicyEngine) -> None:
    assessment = engine.assess_principal(
        named(
            ADMIN,
            deny("iam:*", condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}),
        )
    )
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    exposed = next(a for a in assessment.actions if a.verdict is MfaEnforcement.NOT_ENFORCED)
    guarded = next(a for a in assessment.actions if a.verdict is MfaEnforcement.AGE_UNBOUNDED)
    assert "sts:AssumeRole" in exposed.actions
    assert "iam:PassRole" not in exposed.actions
    assert all(a.startswith("iam:") for a in guarded.actions)


def test_malformed_policy_is_named_and_the_rest_still_evaluated(engine: PolicyEngine) -> None:
    policies = [
        NamedPolicy("broken", {"Statement": {"Effect": "Allow"}}),
        NamedPolicy("admin", ADMIN),
    ]
    assessment = engine.assess_principal(policies)
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    assert len(assessment.errors) == 1
    assert assessment.errors[0].startswith("policy broken:")
    # A malformed Deny is not silently "compliant": the principal stays exposed and the error
    # says the data is incomplete.
    only_bad = engine.assess_principal([NamedPolicy("x", "not json")])
    assert only_bad.verdict is MfaEnforcement.NOT_APPLICABLE
    assert only_bad.errors
    assert "policy x" in only_bad.errors[0]


def test_unknown_condition_key_is_conditional_and_fails_closed(engine: PolicyEngine) -> None:
    policies = named(
        allow(
            "iam:PassRole", condition={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
        )
    )
    assessment = engine.assess_principal(policies)
    assert assessment.conditional
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    assert assessment.actions[0].decisions[RequestContext.CONSOLE_NO_MFA] is Decision.CONDITIONAL


def test_permissions_boundary_caps_identity_policies(engine: PolicyEngine) -> None:
    # The boundary only allows s3: every privileged IAM action is out of reach.
    boundary = NamedPolicy("boundary", allow("s3:*"))
    capped = engine.assess_principal(named(ADMIN), boundary=boundary)
    assert all(a.startswith("s3:") for group in capped.actions for a in group.actions)
    # A boundary that requires MFA makes an unconditional admin MFA-protected.
    mfa_boundary = NamedPolicy(
        "mfa-boundary", allow(condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    assert (
        engine.assess_principal(named(ADMIN), boundary=mfa_boundary).verdict
        is MfaEnforcement.AGE_UNBOUNDED
    )
    # A malformed boundary is reported; the identity policies are judged without it.
    bad = engine.assess_principal(named(ADMIN), boundary=NamedPolicy("b", {"Statement": 1}))
    assert bad.verdict is MfaEnforcement.NOT_ENFORCED
    assert bad.errors[0].startswith("permissions boundary policy b:")


def test_privileged_policy_arn_without_document_assumes_allow_all(engine: PolicyEngine) -> None:
    assessment = engine.assess_principal([], attached_policy_arns=[ADMIN_ARN])
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    assert "document not supplied" in assessment.deciding[0].policy_name
    # A deny-without-MFA policy still applies to it.
    guarded = engine.assess_principal(named(NO_MFA_DENY), attached_policy_arns=[ADMIN_ARN])
    assert guarded.verdict is MfaEnforcement.AGE_UNBOUNDED
    # Supplied with its ARN, the real document is used instead.
    supplied = engine.assess_principal(
        [NamedPolicy("AdministratorAccess", ADMIN, arn=ADMIN_ARN)], attached_policy_arns=[ADMIN_ARN]
    )
    assert supplied.deciding[0].policy_name == "AdministratorAccess"


def test_custom_privileged_policy_arn_makes_its_grants_privileged() -> None:
    arn = "arn:aws:iam::123456789012:policy/DataReaders"
    engine = PolicyEngine(PrivilegeSettings(privileged_policy_arns=(arn,)))
    readers = NamedPolicy("DataReaders", allow(["s3:GetObject", "dynamodb:Query"]), arn=arn)
    assessment = engine.assess_principal([readers], attached_policy_arns=[arn])
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    assert set(assessment.actions[0].actions) == {"dynamodb:query", "s3:getobject"}
    # The same document without the privileged ARN grants nothing privileged.
    assert (
        engine.assess_principal([NamedPolicy("x", readers.document)]).verdict
        is MfaEnforcement.NOT_APPLICABLE
    )


def test_unknown_actions_are_privileged_when_their_service_is(engine: PolicyEngine) -> None:
    assessment = engine.assess_principal(
        named(allow(["iam:CreateShinyNewThing", "brandnewservice:*", "athena:FutureRead"]))
    )
    unknown = [a for a in assessment.actions if a.unknown_to_database]
    names = {name for a in unknown for name in a.actions}
    # iam has privileged actions, brandnewservice is unknown altogether; athena has none.
    assert names == {"iam:createshinynewthing", "brandnewservice:*"}
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    # A Deny on everything without MFA covers them too.
    guarded = engine.assess_principal(named(allow(["iam:CreateShinyNewThing"]), NO_MFA_DENY))
    assert guarded.verdict is MfaEnforcement.AGE_UNBOUNDED


def test_answers_are_cached_and_identical(engine: PolicyEngine) -> None:
    first = engine.assess_principal(named(ADMIN, NO_MFA_DENY))
    again = engine.assess_principal(
        [NamedPolicy("p0", dict(ADMIN)), NamedPolicy("p1", dict(NO_MFA_DENY))]
    )
    assert again is first  # equal documents and names: the cached answer
    renamed = engine.assess_principal([NamedPolicy("Other", ADMIN), NamedPolicy("p1", NO_MFA_DENY)])
    assert renamed is not first
    assert renamed.verdict is first.verdict
    assert {r.policy_name for r in renamed.deciding} == {"Other", "p1"}
