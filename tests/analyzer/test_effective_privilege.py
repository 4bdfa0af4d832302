"""Effective privilege = own policies + every group's, evaluated together (IAM User Guide, "Policy
evaluation logic": an explicit Deny anywhere wins; an Allow anywhere is enough otherwise).

The privilege index leaves "inert" holders (no privileged Allow, no Deny) out of the combined
set and reuses a lone privileged group's answer; this checks that shortcut against the engine
evaluating the full union, for every combination of up to three groups.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from auditor.analyzer.graph.permissions import PrivilegeIndex
from auditor.analyzer.run import default_engine
from auditor.config import AuditorConfig
from auditor.models import Group
from auditor.policy import NamedPolicy, PrincipalAssessment, TrustAssessment

from .conftest import (
    ADMIN_ARN,
    ALLOW_IAM,
    DENY_BOOL_FALSE,
    DENY_WITHOUT_MFA,
    IAM_IF_MFA_OR_KEYS,
    IAM_ONLY_WITH_FRESH_MFA,
    READ_ONLY,
    group,
    row,
    run,
    snapshot,
    user,
)

GROUP_DOCS = {
    "Admins": None,  # AdministratorAccess, attached
    "Iam": ALLOW_IAM,
    "Readers": READ_ONLY,
    "Guard": DENY_WITHOUT_MFA,
    "BadGuard": DENY_BOOL_FALSE,
    "Console": IAM_IF_MFA_OR_KEYS,
    "Fresh": IAM_ONLY_WITH_FRESH_MFA,
}


def _groups() -> list[Group]:
    return [
        group(name, attached=[ADMIN_ARN]) if doc is None else group(name, inline={name: doc})
        for name, doc in GROUP_DOCS.items()
    ]


def test_shortcut_matches_the_engine_on_the_full_union() -> None:
    combos = [
        combo for size in (1, 2, 3) for combo in itertools.combinations(sorted(GROUP_DOCS), size)
    ]
    users = [user(f"u{i}", combo) for i, combo in enumerate(combos)]
    snap = snapshot(users=users, rows=[row(u.name) for u in users], groups=_groups())
    result = run(snap)
    engine = default_engine(AuditorConfig())
    admin = snap.policy(ADMIN_ARN)
    assert admin is not None
    assert admin.document is not None
    by_name = {u.name: u for u in result.users}
    for index, combo in enumerate(combos):
        policies = [
            NamedPolicy("AdministratorAccess", admin.document, arn=ADMIN_ARN)
            if (document := GROUP_DOCS[name]) is None
            else NamedPolicy(name, document)
            for name in combo
        ]
        arns = [ADMIN_ARN] if "Admins" in combo else []
        expected = engine.assess_principal(policies, attached_policy_arns=arns)
        summary = by_name[f"u{index}"]
        assert summary.mfa_enforcement is expected.verdict, combo
        assert summary.privileged is expected.privileged, combo


def test_index_reuses_one_answer_for_users_sharing_privileged_groups() -> None:
    calls: list[int] = []

    class Counting:
        def __init__(self) -> None:
            self.engine = default_engine(AuditorConfig())

        def assess_principal(
            self,
            policies: Sequence[NamedPolicy],
            *,
            attached_policy_arns: Sequence[str] = (),
            boundary: NamedPolicy | None = None,
            principal: Mapping[str, str] | None = None,
        ) -> PrincipalAssessment:
            calls.append(len(policies))
            return self.engine.assess_principal(
                policies,
                attached_policy_arns=attached_policy_arns,
                boundary=boundary,
                principal=principal,
            )

        def assess_trust_policy(
            self, role_name: str, document: Mapping[str, Any], account_id: str
        ) -> TrustAssessment:
            return self.engine.assess_trust_policy(role_name, document, account_id)

    users = [user(f"u{i}", ["Admins", "Readers"]) for i in range(50)]
    users += [user(f"v{i}", ["Admins", "Guard"]) for i in range(50)]
    snap = snapshot(users=users, rows=[row(u.name) for u in users], groups=_groups())
    index = PrivilegeIndex(snap, Counting())
    verdicts = {index.user_effective(u.name).verdict for u in users}
    assert len(verdicts) == 2
    # 7 groups assessed once each at most, plus one combined set (Admins + Guard).
    assert len(calls) <= 4
