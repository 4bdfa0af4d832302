"""report.html without a browser: escaping, self-containment, CSP, banner, cards, summary."""

from __future__ import annotations

import dataclasses
import html as html_module
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.models import AuditResult, MfaEnforcement, PrincipalCard, PrincipalType
from auditor.reporter import write_reports
from auditor.reporter.html import (
    DISPLAY_LIMIT,
    KEEP_FRACTION,
    csp_hash,
    environment,
    render_html,
    reveal,
)
from auditor.reporter.html_data import script_json
from auditor.reporter.html_view import MEMBER_LIMIT, summary
from auditor.reporter.report_data import ReportData

from .conftest import CLOSE, GENERATED, IMG, LONG, RTL, SCRIPT, complete, result

DATA_BLOCK = re.compile(
    r'<script type="application/json" id="report-data">(?P<data>.*?)</script>', re.S
)


def render(audit: AuditResult) -> str:
    return render_html(ReportData.build(audit, GENERATED))


def split_page(html: str) -> tuple[str, dict[str, Any], str]:
    """(markup outside the data block, the decoded data, the inline script)."""
    match = DATA_BLOCK.search(html)
    assert match is not None
    outside = html[: match.start()] + html[match.end() :]
    script = re.search(r"<script>(?P<js>.*?)</script>", outside, re.S)
    assert script is not None
    return outside, json.loads(match.group("data")), script.group("js")


def test_environment_is_safe_by_default() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.undefined.__name__ == "StrictUndefined"


def test_hostile_values_are_inert(hostile_result: AuditResult) -> None:
    html = render(hostile_result)
    outside, data, _ = split_page(html)
    for payload in (SCRIPT, IMG, CLOSE, "<!--"):
        assert payload not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in outside
    assert "&lt;img src=x onerror=&#34;window.__pwned = 2&#34;&gt;" in outside
    # Template syntax in data is shown, not evaluated.
    assert "{{ 7*7 }}" in outside
    # Exactly our two script elements, whatever the data says.
    assert len(re.findall(r"<script", html)) == 2
    # The embedded JSON decodes back to the untouched values.
    names = [row[0] for row in data["users"]["rows"]]
    assert LONG in names
    assert f"evil{RTL}txt.exe" in names
    assert data["findings"]["rows"][0][9].startswith(CLOSE)


def test_invisible_characters_are_shown_not_applied(hostile_result: AuditResult) -> None:
    outside, _, _ = split_page(render(hostile_result))
    assert RTL not in outside
    assert '<span class="ctl" title="invisible character">U+202E</span>' in outside
    assert "alias<span class" in outside


def test_long_names_are_cut_in_the_page_only(hostile_result: AuditResult) -> None:
    outside, _, _ = split_page(render(hostile_result))
    # Policy JSON is shown whole (it is what gets pasted into IAM); names are cut.
    fix = re.search(r'<pre class="code" id="card-0-fix">.*?</pre>', outside, re.S)
    assert fix is not None
    assert LONG in fix.group()
    assert LONG not in outside.replace(fix.group(), "")
    kept = int(DISPLAY_LIMIT * KEEP_FRACTION)
    assert f"({len(LONG) - kept} more characters)" in outside
    assert str(reveal("x" * 10, limit=5)) == "xxxx… (6 more characters)"


def test_nothing_is_loaded_from_anywhere(sample_result: AuditResult) -> None:
    outside, _, _ = split_page(render(sample_result))
    assert not re.search(
        r"""(src|href|action|poster|data)\s*=\s*["']?\s*(https?:|//)""", outside, re.I
    )
    assert "@import" not in outside
    assert not re.search(r"url\(", outside)
    assert '<link rel="icon" href="data:,">' in outside
    assert len(re.findall(r"<link", outside)) == 1


def test_csp_allows_only_the_inline_blocks(sample_result: AuditResult) -> None:
    html = render(sample_result)
    _, _, js = split_page(html)
    css = re.search(r"<style>(?P<css>.*?)</style>", html, re.S)
    assert css is not None
    policy = re.search(r'http-equiv="Content-Security-Policy" content="(?P<p>[^"]+)"', html)
    assert policy is not None
    content = html_module.unescape(policy.group("p"))  # what the browser reads
    directives = dict(d.strip().split(" ", 1) for d in content.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == csp_hash(js)
    assert directives["style-src"] == csp_hash(css.group("css"))
    assert directives["img-src"] == "data:"


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.text() | st.integers() | st.booleans(), lambda c: st.lists(c, max_size=4)))
def test_script_json_is_html_safe_and_lossless(value: Any) -> None:
    text = script_json(value)
    for character in "<>&\u2028\u2029":
        assert character not in text
    assert json.loads(text) == value


def test_incomplete_banner_lists_gaps_and_rules(sample_result: AuditResult) -> None:
    html = render(sample_result)
    assert "Incomplete audit" in html
    assert 'role="alert"' in html
    assert "account_summary</span>: AccessDenied: iam:GetAccountSummary" in html
    assert "root-mfa</span>: account summary not collected" in html
    assert "Exemptions from config.yaml were applied." in html


def test_complete_result_says_so(sample_result: AuditResult) -> None:
    html = render(complete(sample_result))
    assert "Incomplete audit" not in html
    assert "Complete: all data was collected" in html


def test_header_shows_account_times_and_report_age(sample_result: AuditResult) -> None:
    html = render(sample_result)
    assert "111122223333" in html
    assert "acme-prod" in html
    assert "2026-11-20 10:00:00 UTC" in html
    assert "generated 2026-11-20 07:45:00 UTC (2 h 15 min old at collection)" in html
    missing = dataclasses.replace(sample_result, credential_report_generated_at=None)
    assert '<strong class="bad">not available</strong>' in render(missing)


def test_cards_show_deciding_statements_and_copyable_fix(sample_result: AuditResult) -> None:
    html = render(sample_result)
    admins = html[html.index('id="card-2"') : html.index('id="card-3"')]
    assert "Bypassable with access keys" in admins
    assert 'statement <span class="mono">AllowWithMfa</span>' in admins
    assert "BoolIfExists in an Allow lets long-term access keys through" in admins
    assert "&#34;aws:MultiFactorAuthPresent&#34;: &#34;true&#34;" in admins
    assert 'data-copy="card-2-fix"' in admins
    assert 'id="card-2-fix"' in admins
    assert "DenyAllExceptListedIfNoMFA" in admins
    # Worst enforcement first: the deploy-bot card (not enforced) is card 0.
    assert html.index("deploy-bot</h3>") < html.index("Admins</h3>")


def test_big_groups_list_members_without_mfa_first(sample_result: AuditResult) -> None:
    members = tuple((f"member{i:03d}", i % 3 != 0) for i in range(250))
    card = PrincipalCard(
        PrincipalType.GROUP, "Everyone", "arn:aws:iam::1:group/Everyone", (),
        MfaEnforcement.NOT_ENFORCED, (), (), members,
    )  # fmt: skip
    html = render(result(cards=(card,)))
    section = html[html.index('id="card-0"') :]
    listed = re.findall(r"member\d{3}", section[: section.index("</ul>")])
    assert len(listed) == MEMBER_LIMIT
    assert listed[0] == "member000"
    assert "… and 150 more" in section
    assert "250 total, 84 without MFA" in section


def test_summary_figures(sample_result: AuditResult) -> None:
    figures = summary(ReportData.build(sample_result, GENERATED))
    console, privileged = figures["splits"]
    # Console users: alice, bob, dave, svc-legacy have passwords; alice and dave have MFA.
    assert (console.with_mfa, console.without_mfa, console.unknown) == (2, 2, 0)
    assert console.percent_with == "50 %"
    # Privileged: alice and erin (MFA), bob (none), deploy-bot (not in the credential report).
    assert (privileged.with_mfa, privileged.without_mfa, privileged.unknown) == (2, 1, 1)
    assert (figures["open"], figures["unknown"], figures["exempted"]) == (3, 1, 1)
    critical = figures["severities"][0]
    assert (critical.severity, critical.open, critical.unknown) == ("critical", 1, 1)
    enforcement = {level["value"]: level["count"] for level in figures["enforcement"]}
    # One per card; the role whose trust policy requires MFA counts as enforced, not as its
    # permission policies' "not enforced"; the group with an unread policy counts as unknown.
    assert enforcement == {
        "not_enforced": 1,
        "unknown": 1,
        "bypassable": 1,
        "age_unbounded": 0,
        "enforced": 1,
    }
    assert list(enforcement) == [
        "not_enforced",
        "unknown",
        "bypassable",
        "age_unbounded",
        "enforced",
    ]


def test_svg_chart_is_inline(sample_result: AuditResult) -> None:
    html = render(sample_result)
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert 'class="bar sev-critical"' in chart
    assert 'class="bar sev-high" ' not in chart or 'width="280"' in chart


def test_empty_account_renders(tmp_path: Path) -> None:
    paths = write_reports(result(), tmp_path, generated_at=GENERATED)
    html = paths.html.read_text(encoding="utf-8")
    assert "No privileged group, user or role was found." in html
    assert '<span class="tile-value">n/a</span>' in html  # no console users: no percentage
    assert '<div class="tile good"><span class="tile-value">0</span>' in html
    assert "No rule outcome was recorded." in html


@pytest.mark.parametrize("field", ["account_alias", "tool_version", "source"])
def test_header_fields_escape(field: str, sample_result: AuditResult) -> None:
    html = render(dataclasses.replace(sample_result, **{field: SCRIPT}))
    assert SCRIPT not in html
