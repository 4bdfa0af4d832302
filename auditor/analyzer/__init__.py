"""Snapshot + config → findings: a registry of small rules over a joined view of the snapshot.

Public API (the CLI and the reporters use exactly this):

- ``analyze(snapshot, config, *, now) -> AuditResult``
- ``RULES``: every rule's metadata (``RuleSpec``), in report order.
- ``RULE_IDS`` / ``RuleId``: the public rule ids.

Everything but the rule ids is loaded on first use: the rules need pandas, and the demo's data
file checks import ``auditor.analyzer.rule_ids`` (which imports this package first) without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from auditor.analyzer.rule_ids import RULE_IDS, RuleId

if TYPE_CHECKING:
    from auditor.analyzer.rules import RULES
    from auditor.analyzer.run import analyze
    from auditor.analyzer.spec import DocLink, Reference, RuleSpec

_LAZY = {
    "RULES": "auditor.analyzer.rules",
    "analyze": "auditor.analyzer.run",
    "DocLink": "auditor.analyzer.spec",
    "Reference": "auditor.analyzer.spec",
    "RuleSpec": "auditor.analyzer.spec",
}

__all__ = ["RULES", "RULE_IDS", "DocLink", "Reference", "RuleId", "RuleSpec", "analyze"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
