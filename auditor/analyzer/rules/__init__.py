"""The explicit rule registry, in report order. Adding a rule means adding it here, by hand.

An explicit tuple (no discovery by import side effects) keeps the order stable, makes a missing
rule a visible diff, and lets a test compare the ids against the one public list
(``auditor.analyzer.rule_ids``, which the demo reads without importing pandas).
"""

from __future__ import annotations

from auditor.analyzer.rule_ids import EXEMPTION_RULE_IDS, RULE_IDS
from auditor.analyzer.rules import (
    bypass,
    console,
    devices,
    exemptions,
    identity_center,
    idp,
    keys,
    members,
    phishable,
    policies,
    roles,
    root,
    root_central,
    signins,
)
from auditor.analyzer.spec import Rule, RuleSpec

REGISTRY: tuple[Rule, ...] = (
    *root.RULES,
    *root_central.RULES,
    *console.RULES,
    *members.RULES,
    *policies.RULES,
    *bypass.RULES,
    *roles.RULES,
    *idp.RULES,
    *keys.RULES,
    *phishable.RULES,
    *devices.RULES,
    *signins.RULES,
    *identity_center.RULES,
    *exemptions.RULES,
)

RULES: tuple[RuleSpec, ...] = tuple(rule.spec for rule in REGISTRY)

__all__ = ["EXEMPTION_RULE_IDS", "REGISTRY", "RULES", "RULE_IDS"]
