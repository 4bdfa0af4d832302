"""Rule metadata: what a rule finds, why it matters, how to fix it, and which controls it maps to.

The metadata is data, not prose in a check function, so ``mfa-auditor rules`` can print it, a test
can police it, and reporters can show the same remediation everywhere. References carry the
benchmark *and its version* because the same control moves between versions (the console-MFA
control is CIS 1.10 in v3.0.0 and 1.9 in v5.0.0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.models import CollectionSource, Finding, MfaEnforcement, Severity

if TYPE_CHECKING:
    from auditor.analyzer.context import AnalysisContext

CIS_AWS = "CIS AWS Foundations Benchmark"
SECURITY_HUB = "AWS Security Hub CSPM"
NIST_800_63B = "NIST SP 800-63B"
CISA = "CISA"
KNOWN_BENCHMARKS = frozenset({CIS_AWS, SECURITY_HUB, NIST_800_63B, CISA})

POLICY_SOURCES = (CollectionSource.AUTHORIZATION_DETAILS, CollectionSource.POLICY_DOCUMENTS)
"""What every policy rule depends on: the documents, and who holds them."""
USABLE_WITHOUT_MFA = (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.BYPASSABLE)
"""Verdicts under which a principal's privileges are usable today without MFA."""


@dataclass(frozen=True)
class Reference:
    """One control this rule corresponds to, in one version of one benchmark."""

    benchmark: str
    version: str
    control: str
    title: str
    relation: str = "same check"
    """``same check``, or ``partial`` when the control covers only part of what the rule finds."""

    @property
    def key(self) -> str:
        return f"{self.benchmark} {self.version} {self.control}"


@dataclass(frozen=True)
class DocLink:
    """An AWS documentation page the rule's semantics follow."""

    title: str
    url: str


@dataclass(frozen=True)
class RuleSpec:
    """A rule's public metadata. ``id`` is a public interface (exemptions, CSV columns)."""

    id: str
    title: str
    severity: Severity
    """The highest severity the rule reports; individual findings may be lower (see rationale)."""
    rationale: str
    remediation: str
    """Console steps, one line each."""
    depends_on: tuple[CollectionSource, ...]
    references: tuple[Reference, ...] = ()
    references_note: str = ""
    """Why a rule has no benchmark reference (no control maps to it, or none could be verified)."""
    documentation: tuple[DocLink, ...] = ()
    remediation_policy: str = ""
    """The policy JSON to apply, when the fix is a policy."""


@dataclass(frozen=True)
class Note:
    """A plain-language remark a check yields beside its findings (e.g. why a rule did not
    apply); the run collects them, so a check never writes to the shared context."""

    text: str


@dataclass(frozen=True)
class Partial:
    """Yielded by a check that ran but could not decide some principals (their findings are
    ``unknown``): the rule's outcome becomes not evaluated, so the audit is incomplete (exit 4)
    only because a verdict really is missing, not because some context could not be read."""

    reason: str


@dataclass(frozen=True)
class NotRead:
    """Yielded by a check whose optional source was not read at all (sign-ins without any
    CloudTrail): the rule ran and found nothing to judge, which is not "nothing found". Its
    outcome stays evaluated (the audit is complete: the source is an extra) but is not a
    re-check (``RuleOutcome.rechecked``), so a baseline's finding is not called resolved."""

    reason: str


Check = Callable[["AnalysisContext"], Iterable[Finding | Note | Partial | NotRead]]


@dataclass(frozen=True)
class Rule:
    """A registry entry: the metadata plus the short function that produces findings."""

    spec: RuleSpec
    check: Check


class RuleNotEvaluable(Exception):
    """Raised by a check when data it needs is missing; the rule becomes one ``unknown`` result."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
