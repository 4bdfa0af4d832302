"""HTML report size and time-to-interactive in headless Chromium at 1,000 and 10,000 users.

Run: ``python benchmarks/bench_report.py [USERS ...]`` (default 1000 10000). Prints one line per
size: users, findings, cards, HTML bytes, Python write time, and the browser figures. Needs
Debian's ``/usr/bin/chromium`` (never downloads a browser).

"Interactive" is the moment the page's script has parsed the embedded JSON, built the first page
of every table and set ``data-ready`` on ``<html>`` (``window.mfaReport.readyAt``, measured from
navigation start); "responsive" adds a sort of the findings table by a click on a header, a
typed filter, and waiting for the table to update, measured end to end.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from auditor.models import (  # noqa: E402
    AuditResult,
    DecidingStatement,
    Finding,
    GroupSummary,
    MfaDeviceKind,
    MfaEnforcement,
    PrincipalCard,
    PrincipalRow,
    PrincipalType,
    Reach,
    RuleOutcome,
    Severity,
    Unavailable,
    UserSummary,
)
from auditor.reporter import write_reports  # noqa: E402
from tests.reporter.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.reporter.conftest import (  # noqa: E402
    CONSOLE_ONLY_STATEMENT,
    arn,
    finding,
    path,
    principal,
    result,
    user,
)

NOW = datetime(2026, 11, 27, 22, 4, tzinfo=timezone.utc)


def synthetic(users: int, seed: int = 7) -> AuditResult:
    """An account shaped like a large company: 1 group per 100 users, 5 % privileged users.

    Every user without MFA gets a finding and every privileged user another, so findings grow
    with users (about 0.4 per user); 200 directly privileged users get cards of their own.
    """
    rng = random.Random(seed)
    group_names = [f"team-{index:03d}" for index in range(max(3, users // 100))]
    admin_groups = group_names[:3]
    members: dict[str, list[tuple[str, bool]]] = {name: [] for name in group_names}
    summaries: list[UserSummary] = []
    findings: list[Finding] = []
    direct_cards: list[PrincipalCard] = []
    for index in range(users):
        name = f"user{index:05d}.{rng.choice(['ops', 'dev', 'fin'])}@example.com"
        mfa = rng.random() < 0.7
        groups = tuple(sorted(rng.sample(group_names, 2)))
        privileged = rng.random() < 0.05 or any(group in admin_groups for group in groups)
        for group in groups:
            members[group].append((name, mfa))
        summaries.append(
            user(
                name,
                password_enabled=rng.random() < 0.8,
                password_last_used=NOW - timedelta(hours=rng.randint(1, 2000))
                if rng.random() < 0.7
                else Unavailable.NO_INFORMATION,
                mfa_active=mfa,
                mfa_device_types=(MfaDeviceKind.VIRTUAL,) if mfa else (),
                active_access_keys=rng.randint(0, 2),
                groups=groups,
                privileged=privileged,
                privileged_via=tuple(f"group:{g}" for g in groups if g in admin_groups),
                mfa_enforcement=(
                    MfaEnforcement.BYPASSABLE if privileged else MfaEnforcement.NOT_APPLICABLE
                ),
            )
        )
        if not mfa:
            findings.append(_finding("console-user-without-mfa", Severity.MEDIUM, name, ""))
        if privileged:
            group = next((g for g in groups if g in admin_groups), "")
            severity = Severity.HIGH if mfa else Severity.CRITICAL
            findings.append(_finding("privileged-user-mfa-bypassable", severity, name, group))
            if not group and len(direct_cards) < 200:
                direct_cards.append(_card(PrincipalType.USER, name, ()))
    cards = [_card(PrincipalType.GROUP, g, tuple(members[g])) for g in admin_groups]
    groups_out = tuple(
        GroupSummary(
            name=g,
            arn=arn("group", g),
            members=tuple(m for m, _ in members[g]),
            members_without_mfa=tuple(m for m, mfa in members[g] if not mfa),
            policies=("AdministratorAccess",) if g in admin_groups else ("ReadOnlyAccess",),
            privileged=g in admin_groups,
            mfa_enforcement=MfaEnforcement.BYPASSABLE
            if g in admin_groups
            else MfaEnforcement.NOT_APPLICABLE,
        )
        for g in group_names
    )
    return result(
        account_alias="bench",
        collected_at=NOW,
        credential_report_generated_at=NOW - timedelta(hours=1),
        tool_version="bench",
        source="demo",
        findings=tuple(findings),
        users=tuple(summaries),
        groups=groups_out,
        cards=tuple(cards + direct_cards),
        rule_outcomes=(
            RuleOutcome("console-user-without-mfa", True),
            RuleOutcome("privileged-user-mfa-bypassable", True),
        ),
        principals=_principals(summaries),
    )


def _principals(summaries: list[UserSummary]) -> tuple[PrincipalRow, ...]:
    """One row per user, worst exposure first (as the analyzer sorts), so ``#exposed`` is as
    full as in a real account: every privileged user is exposed (no MFA: 5, keys bypass: 4)."""
    rows = []
    for summary in summaries:
        if not summary.privileged:
            rows.append(principal(summary.name, mfa_device_types=()))
            continue
        exposure = 4 if summary.mfa_active else 5
        via = summary.privileged_via or (f"user:{summary.name} (inline)",)
        rows.append(
            principal(
                summary.name,
                privileged=True,
                reach=Reach.ADMIN,
                privileged_via=via,
                reach_without_mfa=Reach.ADMIN,
                mfa_device_types=("virtual",) if summary.mfa_active else (),
                mfa_enforced="bypassable" if summary.mfa_active else "none",
                open_rules=("privileged-user-mfa-bypassable",),
                worst_severity=Severity.HIGH,
                exposure=exposure,
                fix=f"Enable a virtual or FIDO MFA device for {summary.name}.",
                paths=(path(f"user:{summary.name}", via[0].split(" ")[0]),),
            )
        )
    return tuple(sorted(rows, key=lambda row: -row.exposure))


def _finding(rule: str, severity: Severity, name: str, group: str) -> Finding:
    return finding(
        rule_id=rule,
        severity=severity,
        principal_name=name,
        principal_arn=arn("user", name),
        group_name=group,
        title="Privileged user can act without MFA" if group else "Console user without MFA",
        detail=f"User {name} signs in to the console without an MFA device.",
        remediation=f"Enable a virtual or FIDO MFA device for {name}.",
        evidence={"mfa_active": "false", "password_enabled": "true"},
    )


def _card(kind: PrincipalType, name: str, members: tuple[tuple[str, bool], ...]) -> PrincipalCard:
    return PrincipalCard(
        principal_type=kind,
        name=name,
        arn=arn(kind.value, name),
        policies=("AdministratorAccess", "ForceMFA (inline)"),
        mfa_enforcement=MfaEnforcement.BYPASSABLE,
        privileged_actions_sample=("iam:AttachUserPolicy", "iam:CreateAccessKey"),
        deciding_statements=(
            DecidingStatement(
                "ForceMFA", "AllowWithMfa", "Allow", CONSOLE_ONLY_STATEMENT, "BoolIfExists"
            ),
        ),
        members=tuple((member, mfa) for member, mfa in members),
        remediation_policy_json=CONSOLE_ONLY_STATEMENT,
    )


def measure(users: int, folder: Path) -> str:
    from playwright.sync_api import sync_playwright

    result = synthetic(users)
    started = time.perf_counter()
    paths = write_reports(result, folder / str(users), generated_at=NOW)
    write_seconds = time.perf_counter() - started
    size = paths.html.stat().st_size
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        wall = time.perf_counter()
        page.goto(paths.html.as_uri())
        page.wait_for_selector("html[data-ready=true]")
        ready_ms = page.evaluate("window.mfaReport.readyAt")
        wall_ms = (time.perf_counter() - wall) * 1000
        click = time.perf_counter()
        page.click("#findings-table th:nth-child(6) button")
        page.wait_for_selector("#findings-table th[aria-sort=ascending]")
        sort_ms = (time.perf_counter() - click) * 1000
        typed = time.perf_counter()
        page.fill("#f-text", "user00042")
        # wait_for_function would need eval, which the report's CSP forbids: wait on the text.
        page.wait_for_selector("#findings-table .table-status:has-text('filtered from')")
        filter_ms = (time.perf_counter() - typed) * 1000
        dom_nodes = page.evaluate("document.getElementsByTagName('*').length")
        browser.close()
    return (
        f"users={users:>6} findings={len(result.findings):>6} cards={len(result.cards):>4} "
        f"html={size / 1e6:6.2f} MB write={write_seconds:5.2f} s "
        f"interactive={ready_ms:7.0f} ms (wall {wall_ms:6.0f} ms) sort={sort_ms:5.0f} ms "
        f"filter={filter_ms:5.0f} ms (incl. 120 ms debounce) dom_nodes={dom_nodes}"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "sizes", nargs="*", type=int, default=[1000, 10000], help="user counts to measure"
    )
    sizes = parser.parse_args(argv).sizes
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as temporary:
        for users in sizes:
            print(measure(users, Path(temporary)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
