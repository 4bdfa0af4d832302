"""The explicit rule registry, in report order. Adding a rule means adding it here, by hand.

An explicit tuple (no discovery by import side effects) keeps the order stable, makes a missing
rule a visible diff, and lets a test compare the ids against the public list.
"""

from __future__ import annotations

from auditor.analyzer.rules import (
    bypass,
    console,
    devices,
    exemptions,
    keys,
    members,
    policies,
    roles,
    root,
)
from auditor.analyzer.spec import Rule, RuleSpec

REGISTRY: tuple[Rule, ...] = (
    *root.RULES,
    *console.RULES,
    *members.RULES,
    *policies.RULES,
    *bypass.RULES,
    *roles.RULES,
    *keys.RULES,
    *devices.RULES,
    *exemptions.RULES,
)

RULES: tuple[RuleSpec, ...] = tuple(rule.spec for rule in REGISTRY)
RULE_IDS: frozenset[str] = frozenset(spec.id for spec in RULES)
EXEMPTION_RULE_IDS = frozenset({exemptions.EXPIRED_RULE.id, exemptions.INVALID_RULE.id})


def spec_for(rule_id: str) -> RuleSpec:
    return next(spec for spec in RULES if spec.id == rule_id)
