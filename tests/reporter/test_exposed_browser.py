"""The report answers "who" first, on every screen and on paper (issue 10), in real Chromium.

``#exposed`` must be the first section after the header and the completeness banner, its top
inside the first 1400 × 900 screen, one row per exposed principal in the analyzer's ranking;
the page never scrolls sideways at 390 px; printed, the summary's boxes do not overlap and no
control is printed; an expanded finding's evidence labels never overlap their values.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from auditor.analyzer import analyze
from auditor.config import AuditorConfig
from auditor.demo import load_demo_data
from auditor.models import AuditResult, Reach
from auditor.reporter import write_reports
from auditor.snapshot_io import load_snapshot

from .conftest import GENERATED
from .test_html_browser import Opened, browser

__all__ = ["browser"]  # the module-scoped fixture, shared with the other browser tests

pytestmark = pytest.mark.browser

ASSET = Path(__file__).resolve().parents[1] / "assets" / "demo_snapshot.json"
DEMO_NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
SEEDED_ADMINS_WITHOUT_MFA = {
    "james.okafor",
    "priya.raman",
    "tom.becker",
    "old-ops-account",
    "svc-legacy-backup",
    "raj.patel",
    "svc-terraform",
}
"""auditor/demo/sample_company.yaml's header: members of Admins (AdministratorAccess, no MFA
condition) without an MFA device, and the two users with an admin policy of their own and no
device."""

SECTION_ORDER = """() => [...document.querySelectorAll('main > section, main > details, main > p')]
  .filter((node) => node.offsetParent !== null || node.tagName === 'DETAILS')
  .map((node) => node.id)"""

OVERLAPS = """(selector) => {
  const boxes = [...document.querySelectorAll(selector)]
    .map((node) => [node, node.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const found = [];
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, ra] = boxes[i];
      const [b, rb] = boxes[j];
      if (a.contains(b) || b.contains(a)) { continue; }
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) {
        found.push(a.className + ' / ' + b.className + ' ' + (a.textContent || '').slice(0, 30));
      }
    }
  }
  return found;
}"""

SUMMARY_BOXES = (
    "#summary .tile, #summary .chart, #summary .severity-table, #summary h3, #summary .hint, "
    "#summary .split-label, #summary .split svg, #summary .split-figures, "
    "#summary .enforcement-list li"
)


@pytest.fixture(scope="module")
def demo_result() -> AuditResult:
    config = AuditorConfig(exemptions=load_demo_data().exemptions)
    return analyze(load_snapshot(ASSET), config, now=DEMO_NOW)


@pytest.fixture
def sample_page(browser: Any, sample_result: AuditResult, tmp_path: Path) -> Iterator[Opened]:
    paths = write_reports(sample_result, tmp_path, generated_at=GENERATED)
    opened = Opened(browser, paths.html)
    yield opened
    opened.close()


def _principals(page: Any) -> list[str]:
    names: list[str] = page.eval_on_selector_all(
        "#exposed [data-principal]", "(rows) => rows.map((row) => row.dataset.principal)"
    )
    return names


def test_exposed_is_first_and_on_the_first_screen(
    sample_page: Opened, sample_result: AuditResult
) -> None:
    page = sample_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate(SECTION_ORDER)[:3] == ["completeness", "exposed", "summary"]
    top = page.evaluate(
        "document.querySelector('#exposed [data-principal]').getBoundingClientRect().top"
    )
    assert 0 < top < 900, "the first exposed row must be visible without scrolling"
    expected = [row.name for row in sample_result.principals if row.exposed]
    names = _principals(page)
    assert names == expected, "one row per exposed principal, in the analyzer's ranking"
    assert len(names) == len(set(names))
    # Decided outside IAM is shown as such, never as safe; sign-in evidence is rendered.
    maria = page.locator('#exposed [data-principal="maria@corp.example"]').inner_text()
    assert "decided outside IAM" in maria
    assert "Identity Center" in maria
    assert "4 without MFA" in maria
    assert "BreakGlassRole" not in names, "MFA enforced: not exposed"
    assert sample_page.errors == []


def test_no_sideways_scroll_at_390_px(sample_page: Opened) -> None:
    page = sample_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#findings-table button.toggle").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Stacked rows keep their labels: each cell says what it is.
    assert page.locator("#exposed td[data-label='Who']").first.is_visible()
    assert not page.locator("#exposed thead").is_visible()


def test_evidence_labels_never_overlap_values(sample_page: Opened) -> None:
    page = sample_page.page
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        toggles = page.locator("#findings-table button.toggle")
        for index in range(toggles.count()):
            if toggles.nth(index).get_attribute("aria-expanded") == "false":
                toggles.nth(index).click()
        assert page.evaluate(OVERLAPS, ".finding-detail dt, .finding-detail dd") == [], width


def test_print_summary_has_no_overlaps_and_no_controls(sample_page: Opened) -> None:
    page = sample_page.page
    page.set_viewport_size({"width": 690, "height": 1000})  # A4 at 96 dpi, 14 mm margins
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(OVERLAPS, SUMMARY_BOXES) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 690
    for control in ("#findings-table button.toggle", "#f-text", ".pager", "nav.toc"):
        assert not page.locator(control).first.is_visible(), control
    arrow = page.evaluate(
        "getComputedStyle(document.querySelector('th button.sort'), '::after').content"
    )
    assert arrow in ("none", "normal")
    # Nothing forces a page break: a near-empty page comes from such a rule.
    breaks = page.evaluate(
        "[...document.querySelectorAll('main > *')].map((n) => getComputedStyle(n).breakBefore)"
    )
    assert "page" not in breaks


def test_demo_exposed_admins_rank_above_non_admin_rows(
    browser: Any, demo_result: AuditResult, tmp_path: Path
) -> None:
    paths = write_reports(demo_result, tmp_path, generated_at=DEMO_NOW)
    report = Opened(browser, paths.html)
    page = report.page
    try:
        page.set_viewport_size({"width": 1400, "height": 900})
        names = _principals(page)
        assert len(names) == len(set(names)), "each principal once"
        assert set(names) >= SEEDED_ADMINS_WITHOUT_MFA
        assert "PlatformAdminRole" in names, "a role anyone may assume without MFA is exposed"
        non_admin = [
            names.index(row.name)
            for row in demo_result.principals
            if row.exposed and row.reach_without_mfa is not Reach.ADMIN
        ]
        assert non_admin, "the demo has exposed non-admin principals (Deployers, NetworkAdmins)"
        assert max(names.index(name) for name in SEEDED_ADMINS_WITHOUT_MFA) < min(non_admin)
        assert page.evaluate("document.querySelector('#exposed').getBoundingClientRect().top") < 900
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert report.errors == []
    finally:
        report.close()
