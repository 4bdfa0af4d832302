"""The registry's metadata is a public interface: ids, remediation and references are policed here.

CIS numbers and Security Hub ids were verified against the Security Hub user guide's "Identity
and Access Management controls" page ("Related requirements" of IAM.4, IAM.5, IAM.6, IAM.9).
"""

from __future__ import annotations

import json
import re

from auditor.analyzer import RULES
from auditor.analyzer.rule_ids import EXEMPTION_RULE_IDS, RULE_IDS, RuleId
from auditor.analyzer.rules import REGISTRY
from auditor.analyzer.spec import KNOWN_BENCHMARKS
from auditor.models import CollectionSource, Severity

PUBLIC_IDS = [
    "root_no_mfa",
    "root_no_hardware_mfa",
    "root_access_keys",
    "root_credentials_present",
    "console_user_no_mfa",
    "privileged_member_no_mfa",
    "privileged_group_no_mfa_condition",
    "privileged_user_no_mfa_condition",
    "mfa_condition_bypassable",
    "role_assumable_without_mfa",
    "role_mfa_decided_by_idp",
    "access_key_privileged_no_mfa",
    "privileged_user_phishable_mfa",
    "unassigned_mfa_device",
    "console_signin_without_mfa",
    "root_signin",
    "identity_center_signin_without_mfa",
    "identity_center_mfa_unverified",
    "exemption_expired",
]


def test_ids_are_the_public_list_plus_exemption_invalid() -> None:
    ids = [spec.id for spec in RULES]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted([*PUBLIC_IDS, "exemption_invalid"])
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", rule_id) for rule_id in ids)


def test_the_single_rule_id_list_is_the_registrys() -> None:
    """Demo, exemptions and registry read one pandas-free list (auditor.analyzer.rule_ids)."""
    assert {spec.id for spec in RULES} == RULE_IDS == {rule_id.value for rule_id in RuleId}
    assert [spec.id for spec in RULES] == [rule_id.value for rule_id in RuleId]
    assert {"exemption_expired", "exemption_invalid"} == EXEMPTION_RULE_IDS


def test_registry_pairs_each_spec_with_a_check() -> None:
    assert tuple(rule.spec for rule in REGISTRY) == RULES
    assert all(callable(rule.check) for rule in REGISTRY)


def test_every_rule_has_title_rationale_remediation_and_documents_its_sources() -> None:
    for spec in RULES:
        assert spec.title, spec.id
        assert spec.rationale.endswith("."), spec.id
        assert spec.remediation, spec.id
        assert all(isinstance(source, CollectionSource) for source in spec.depends_on)
        assert isinstance(spec.severity, Severity)
        assert spec.references or spec.documentation or spec.references_note, spec.id
        if not spec.references:
            assert spec.references_note, f"{spec.id} must say why it maps to no control"


def test_references_are_keyed_by_benchmark_and_version() -> None:
    keys = set()
    for spec in RULES:
        for ref in spec.references:
            assert ref.benchmark in KNOWN_BENCHMARKS, ref
            assert ref.version, ref
            assert ref.control, ref
            assert ref.title, ref
            assert ref.relation in {"same check", "partial"}
            keys.add((spec.id, ref.key))
    assert len(keys) == sum(len(spec.references) for spec in RULES)


def test_cis_mappings_match_the_verified_numbers() -> None:
    """Security Hub "Related requirements": IAM.4 v5.0.0/1.3 v3.0.0/1.4; IAM.5 1.9/1.10;
    IAM.6 1.5/1.6; IAM.9 1.4/1.5."""
    expected = {
        "root_access_keys": {("5.0.0", "1.3"), ("3.0.0", "1.4"), ("hub", "IAM.4")},
        "console_user_no_mfa": {("5.0.0", "1.9"), ("3.0.0", "1.10"), ("hub", "IAM.5")},
        "root_no_hardware_mfa": {("5.0.0", "1.5"), ("3.0.0", "1.6"), ("hub", "IAM.6")},
        "root_no_mfa": {("5.0.0", "1.4"), ("3.0.0", "1.5"), ("hub", "IAM.9")},
    }
    for spec in RULES:
        found = {
            ("hub" if ref.benchmark.startswith("AWS") else ref.version, ref.control)
            for ref in spec.references
        }
        if spec.id in expected:
            assert found == expected[spec.id], spec.id


def test_remediation_policies_are_valid_policy_json() -> None:
    for spec in RULES:
        if spec.remediation_policy:
            policy = json.loads(spec.remediation_policy)
            assert policy["Version"] == "2012-10-17"
            assert policy["Statement"]


def test_documentation_links_are_aws_pages() -> None:
    for spec in RULES:
        for link in spec.documentation:
            assert link.url.startswith("https://docs.aws.amazon.com/"), link


def test_rules_share_constants_through_spec_and_refs_not_through_each_other() -> None:
    """A rule module imports shared metadata from spec/refs/evidence, never from a sibling rule,
    so moving or removing one rule cannot break another."""
    import ast
    from pathlib import Path

    import auditor.analyzer.rules as package

    folder = Path(package.__file__).parent
    siblings = {path.stem for path in folder.glob("*.py")} - {"__init__"}
    for path in sorted(folder.glob("*.py")):
        if path.stem == "__init__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = node.module.removeprefix("auditor.analyzer.rules.")
                assert imported not in siblings, f"{path.name} imports from rules.{imported}"
