"""Enforcement levels in every output, role gates, invisible characters, cuts, and row order.

The page's script keeps its own copies of a few tables (enforcement ranks and labels, the class
of invisible characters); these tests read ``report.js`` and hold them to the Python side.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from auditor.models import AuditResult, MfaEnforcement, PrincipalCard, PrincipalType, Severity
from auditor.reporter import write_reports
from auditor.reporter.enforcement import ENFORCEMENT_LABELS, enforcement_levels, role_gates
from auditor.reporter.html import (
    INVISIBLE,
    INVISIBLE_CLASS,
    KEEP_FRACTION,
    render_html,
    reveal,
    reveal_plain,
    shorten,
)
from auditor.reporter.html_view import summary
from auditor.reporter.report_data import ReportData

from .conftest import GENERATED, arn, finding, principal, result

SCRIPT_JS = (
    Path(__file__).resolve().parents[2] / "auditor" / "reporter" / "static" / "report.js"
).read_text(encoding="utf-8")


def _js_object(name: str) -> dict[str, str]:
    match = re.search(rf"var {name} = \{{(?P<body>.*?)\}};", SCRIPT_JS, re.S)
    assert match is not None, f"report.js has no {name}"
    pairs = re.findall(r'"?([a-z_/]+)"?: ("[^"]*"|\d+)', match.group("body"))
    return {key: value.strip('"') for key, value in pairs}


def test_every_level_has_a_label_and_the_script_knows_its_rank() -> None:
    ranks = _js_object("ENFORCEMENT_RANK")
    labels = _js_object("ENFORCEMENT_LABEL")
    for level in MfaEnforcement:
        assert ENFORCEMENT_LABELS[level]
        assert int(ranks[level.value]) == level.rank, level
        assert labels[level.value], level
    assert set(ranks) == set(labels) == {level.value for level in MfaEnforcement}


def test_unknown_is_offered_by_the_filters_and_sorts_with_the_gaps() -> None:
    values = [value for value, _ in enforcement_levels()]
    assert values[:3] == ["not_enforced", "unknown", "bypassable"]
    html = render_html(ReportData.build(result(), GENERATED))
    for table in ("u-enf", "g-enf"):
        select = html[html.index(f'id="{table}"') :]
        assert '<option value="unknown">MFA unknown (policy not evaluated)</option>' in select


def test_unknown_reaches_csv_and_summary(sample_result: AuditResult, tmp_path: Path) -> None:
    paths = write_reports(sample_result, tmp_path, generated_at=GENERATED)
    users = pd.read_csv(tmp_path / "users.csv", dtype=str, keep_default_na=False)
    erin = users.set_index("name").loc["erin"]
    assert (erin["privileged"], erin["mfa_required_by_policy"]) == ("true", "unknown")
    groups = pd.read_csv(tmp_path / "groups.csv", dtype=str, keep_default_na=False)
    assert groups.set_index("name").loc["Ops", "mfa_required_by_policy"] == "unknown"
    html = paths.html.read_text(encoding="utf-8")
    assert '<span class="badge enf-unknown">MFA unknown (policy not evaluated)</span>' in html
    assert "could not be read or evaluated (the findings marked" in html


def test_role_card_headline_is_the_reach_and_both_gates_are_shown(
    sample_result: AuditResult,
) -> None:
    [role] = [c for c in sample_result.cards if c.principal_type is PrincipalType.ROLE]
    reach, once = role_gates(role)
    assert (reach.value, reach.text) == ("enforced", "MFA is required to assume it.")
    assert once.title == "Once assumed (AdministratorAccess)"
    assert once.value == "muted", "not a red badge: the trust policy already requires MFA"
    assert once.label == "MFA not enforced"
    assert "MFA was required to assume the role" in once.text
    html = render_html(ReportData.build(sample_result, GENERATED))
    card = html[html.rindex("<article", 0, html.index("BreakGlassRole</h3>")) :]
    card = card[: card.index("</article>")]
    assert '<span class="badge enf-enforced">MFA enforced</span>' in card
    assert "To assume it (trust policy)" in card
    counts = {
        level["value"]: level["count"]
        for level in summary(ReportData.build(sample_result, GENERATED))["enforcement"]
    }
    assert counts["enforced"] == 1


def _role(trust: MfaEnforcement | None, permissions: MfaEnforcement) -> PrincipalCard:
    return PrincipalCard(
        PrincipalType.ROLE, "R", arn("role", "R"), ("Admin",), permissions, ("*",), (),
        trust_enforcement=trust, permissions_enforcement=permissions,
    )  # fmt: skip


def test_role_gates_for_other_reaches() -> None:
    reach, once = role_gates(_role(None, MfaEnforcement.NOT_ENFORCED))
    assert reach.value == ""
    assert "Only services or federated users may assume it" in reach.text
    assert (once.value, once.text) == ("not_enforced", "")
    reach, once = role_gates(_role(MfaEnforcement.UNKNOWN, MfaEnforcement.NOT_ENFORCED))
    assert reach.value == "unknown"
    assert "could not be evaluated" in reach.text
    _, once = role_gates(_role(MfaEnforcement.NOT_ENFORCED, MfaEnforcement.ENFORCED))
    assert "refuse privileged actions to a session assumed without MFA" in once.text
    group = dataclasses.replace(
        _role(None, MfaEnforcement.ENFORCED), principal_type=PrincipalType.GROUP
    )
    assert role_gates(group) == ()


# Word joiner, invisible operators, Mongolian vowel separator, soft hyphen: all render as
# nothing, so "ad\u2060min" would look exactly like "admin".
@pytest.mark.parametrize("code", [0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x180E, 0x00AD])
def test_newly_listed_invisible_characters_are_shown(code: int) -> None:
    name = f"ad{chr(code)}min"
    assert INVISIBLE.search(name)
    assert str(reveal(name)) == (
        f'ad<span class="ctl" title="invisible character">U+{code:04X}</span>min'
    )
    assert reveal_plain(name) == f"ad[U+{code:04X}]min"


def test_script_uses_the_same_invisible_class() -> None:
    match = re.search(r'var INVISIBLE_CLASS = "(?P<cls>[^"]+)";', SCRIPT_JS)
    assert match is not None
    assert match.group("cls") == INVISIBLE_CLASS


@pytest.mark.parametrize("extra", [0, 1, 4, 59])
def test_text_a_little_over_the_limit_is_never_cut_by_a_handful(extra: int) -> None:
    text = "word " * 60 + "x" * extra  # 300 + extra characters
    shown = shorten(text, 300)
    if extra == 0:
        assert shown == text
        return
    hidden = int(shown.rsplit("(", 1)[1].split()[0])
    assert hidden >= 300 * (1 - KEEP_FRACTION)
    assert shown.startswith("word ")
    assert shown.split("…")[0].endswith("word"), "cut at a word end"


def test_the_script_cuts_cells_only_far_over_six_hundred_characters() -> None:
    assert re.search(r"var CELL_LIMIT = 600;", SCRIPT_JS)
    assert re.search(r"var CELL_KEEP = 480;", SCRIPT_JS)


def test_every_output_keeps_the_analyzers_order(tmp_path: Path) -> None:
    """The reporter does not re-sort: what ``analyze`` ordered is what every file shows (the
    HTML table only reorders findings of one severity by exposure, tested below)."""
    names = ["zed", "amy", "mia"]  # deliberately not alphabetical
    findings = tuple(
        finding(principal_name=n, principal_arn=arn("user", n), severity=s)
        for n, s in zip(names, [Severity.LOW, Severity.CRITICAL, Severity.HIGH], strict=True)
    )
    paths = write_reports(result(findings=findings), tmp_path, generated_at=GENERATED)
    table = pd.read_csv(paths.findings_csv, dtype=str, keep_default_na=False)
    assert list(table["principal_name"]) == names
    document = json.loads(paths.findings_json.read_text(encoding="utf-8"))
    assert [f["principal_name"] for f in document["findings"]] == names
    data = json.loads(
        re.search(
            r'id="report-data">(.*?)</script>', paths.html.read_text(encoding="utf-8"), re.S
        ).group(1)  # type: ignore[union-attr]
    )
    assert [row[5] for row in data["findings"]["rows"]] == names


def test_html_orders_findings_of_one_severity_by_exposure(tmp_path: Path) -> None:
    """Issue 10: within a severity the admin with no MFA device comes before the user whose
    keys bypass a condition, whatever the rule ids say; the CSV keeps the analyzer's order."""
    names = ["amy", "bob", "cat"]
    findings = tuple(
        finding(principal_name=n, principal_arn=arn("user", n), rule_id=f"rule-{n}") for n in names
    )
    rows = (
        principal("cat", exposure=5),
        principal("amy", exposure=4),
        principal("bob", exposure=0),
    )
    audit = result(findings=findings, principals=rows)
    paths = write_reports(audit, tmp_path, generated_at=GENERATED)
    html = paths.html.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert [row[5] for row in data["findings"]["rows"]] == ["cat", "amy", "bob"]
    table = pd.read_csv(paths.findings_csv, dtype=str, keep_default_na=False)
    assert list(table["principal_name"]) == names
