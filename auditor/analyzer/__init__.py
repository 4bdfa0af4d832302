"""Snapshot + config → findings: a registry of small rules over a joined view of the snapshot.

Public API (the CLI and the reporters use exactly this):

- ``analyze(snapshot, config, *, now) -> AuditResult``
- ``RULES``: every rule's metadata (``RuleSpec``), in report order.
"""

from __future__ import annotations

from auditor.analyzer.rules import RULE_IDS, RULES
from auditor.analyzer.run import analyze
from auditor.analyzer.spec import DocLink, Reference, RuleSpec

__all__ = ["RULES", "RULE_IDS", "DocLink", "Reference", "RuleSpec", "analyze"]
