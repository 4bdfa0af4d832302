"""write_org_summary: ranking, relative links, escaping of hostile names, neutralised CSVs.

all-findings.csv is built from the findings each outcome carries, through the per-account
reporter's row builder and CSV writer, so its rows are the accounts' findings.csv rows.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from auditor.errors import ReportError
from auditor.models import CollectionGap, Finding, Severity
from auditor.org import AccountOutcome, AccountStatus, OrgRunResult, write_org_summary
from auditor.org.results import outcome_from_result
from auditor.reporter import FINDINGS_CSV_COLUMNS, load_findings_json, write_reports
from auditor.reporter.diff import compare
from tests.org.helpers import NOW, audit_result, finding

HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
VIA = "arn:aws:iam::{}:role/Audit"


def audited(
    root: Path,
    account_id: str,
    name: str,
    findings: Sequence[Finding] = (),
    *,
    gaps: Sequence[CollectionGap] = (),
) -> AccountOutcome:
    """An audited account as the runner records it, with a report.html to link to."""
    folder = root / account_id / "20261127T220000Z"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    return outcome_from_result(
        audit_result(account_id, findings, gaps=gaps),
        name=name,
        via=VIA.format(account_id),
        report_folder=folder,
        report_html=folder / "report.html",
        findings_csv=folder / "findings.csv",
        duration_seconds=1.0,
    )


def odd_finding(account_id: str) -> Finding:
    """A critical finding whose principal is a formula and whose detail holds a comma."""
    return dataclasses.replace(
        finding(account_id, Severity.CRITICAL, name="=cmd"), detail="User with, comma"
    )


@pytest.fixture
def org_result(reports_root: Path) -> OrgRunResult:
    outcomes = (
        audited(
            reports_root,
            "111111111111",
            '=HYPERLINK("http://evil","x")',
            [finding("111111111111", Severity.HIGH, name="bob")]
            + [finding("111111111111", Severity.LOW, name=f"u{n}") for n in range(5)],
        ),
        audited(reports_root, "222222222222", HOSTILE, [odd_finding("222222222222")]),
        audited(
            reports_root,
            "333333333333",
            "quiet",
            gaps=[CollectionGap("credential_report", "access denied")],
        ),
        AccountOutcome(
            account_id="444444444444",
            name="-broken",
            status=AccountStatus.FAILED,
            reason="sts:AssumeRole on arn:aws:iam::444444444444:role/Audit: AccessDenied <b>",
            via="arn:aws:iam::444444444444:role/Audit",
        ),
    )
    return OrgRunResult(outcomes, NOW, 12.0, reports_root)


def write(result: OrgRunResult, root: Path) -> dict[str, str]:
    folder = root / "organization" / "20261127T220000Z"
    paths = write_org_summary(result, folder, generated_at=NOW)
    assert [p.name for p in paths] == ["summary.html", "accounts.csv", "all-findings.csv"]
    return {p.name: p.read_text(encoding="utf-8-sig") for p in paths}


def test_accounts_are_ranked_by_open_findings_from_critical_down(
    org_result: OrgRunResult, reports_root: Path
) -> None:
    html = write(org_result, reports_root)["summary.html"]
    ranked_table = html.split('id="accounts"')[1].split("</table>")[0]
    order = re.findall(r'data-account="(\d{12})"', ranked_table)
    # One critical outranks one high plus five lows; the failed account is not ranked.
    assert order == ["222222222222", "111111111111", "333333333333"]
    failed_table = html.split('id="failed"')[1].split("</table>")[0]
    assert "444444444444" in failed_table
    assert "AccessDenied &lt;b&gt;" in failed_table
    assert "Incomplete audit." in html


def test_report_links_are_relative_and_resolve(
    org_result: OrgRunResult, reports_root: Path
) -> None:
    html = write(org_result, reports_root)["summary.html"]
    links = re.findall(r'href="([^"]+report\.html)"', html)
    assert links[0] == "../../222222222222/20261127T220000Z/report.html"
    folder = reports_root / "organization" / "20261127T220000Z"
    assert len(links) == 3
    for link in links:
        assert (folder / link).resolve().is_file()


def test_hostile_account_names_are_escaped_and_nothing_is_fetched(
    org_result: OrgRunResult, reports_root: Path
) -> None:
    html = write(org_result, reports_root)["summary.html"]
    assert HOSTILE not in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#34;&gt;&lt;img" in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", html, re.IGNORECASE)
    assert "default-src 'none'" in html


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_accounts_csv_has_one_neutralised_row_per_account(
    org_result: OrgRunResult, reports_root: Path
) -> None:
    rows = read_csv(write(org_result, reports_root)["accounts.csv"])
    header, body = rows[0], rows[1:]
    column = {name: i for i, name in enumerate(header)}
    assert [r[column["account_id"]] for r in body] == [
        "222222222222",
        "111111111111",
        "333333333333",
        "444444444444",
    ]
    by_id = {r[column["account_id"]]: r for r in body}
    assert by_id["111111111111"][column["name"]] == '\'=HYPERLINK("http://evil","x")'
    assert by_id["444444444444"][column["name"]] == "'-broken"
    assert by_id["444444444444"][column["status"]] == "failed"
    assert by_id["444444444444"][column["rank"]] == ""
    assert by_id["111111111111"][column["low"]] == "5"
    assert by_id["333333333333"][column["complete"]] == "false"
    assert by_id["222222222222"][column["report"]].endswith(
        "222222222222/20261127T220000Z/report.html"
    )
    for row in body:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_all_findings_concatenates_every_audited_account(
    org_result: OrgRunResult, reports_root: Path
) -> None:
    rows = read_csv(write(org_result, reports_root)["all-findings.csv"])
    assert tuple(rows[0]) == FINDINGS_CSV_COLUMNS
    column = {name: i for i, name in enumerate(rows[0])}
    picked = [
        [r[column[c]] for c in ("account_id", "severity", "status", "principal_name", "detail")]
        for r in rows[1:]
    ]
    # Accounts by id, each account's findings in its report order (worst first).
    assert picked == [
        ["111111111111", "high", "open", "bob", "User bob can act without MFA."],
        *(
            ["111111111111", "low", "open", f"u{n}", f"User u{n} can act without MFA."]
            for n in range(5)
        ),
        # Neutralised once; quoted commas survive.
        ["222222222222", "critical", "open", "'=cmd", "User with, comma"],
    ]


def test_all_findings_rows_are_byte_for_byte_the_accounts_findings_csv_rows(
    reports_root: Path,
) -> None:
    """A second run (with a baseline, so diff_status is filled) written by the real reporter:
    each account's findings.csv body appears unchanged in all-findings.csv."""
    outcomes, written = [], []
    for account_id in ("111111111111", "222222222222"):
        first = audit_result(account_id, [finding(account_id, Severity.HIGH, name="bob")])
        old = write_reports(first, reports_root / account_id / "old", generated_at=NOW)
        second = audit_result(account_id, [*first.findings, odd_finding(account_id)])
        paths = write_reports(
            second, reports_root / account_id / "new", baseline=old.findings_json, generated_at=NOW
        )
        diff = compare(second, load_findings_json(old.findings_json))
        outcome = outcome_from_result(
            second,
            name=account_id,
            via="x",
            report_folder=paths.html.parent,
            report_html=paths.html,
            findings_csv=paths.findings_csv,
            duration_seconds=0.0,
            diff=diff,
        )
        outcomes.append(outcome)
        written.append(paths)
    result = OrgRunResult(tuple(outcomes), NOW, 1.0, reports_root)
    folder = reports_root / "organization"
    combined = write_org_summary(result, folder, generated_at=NOW)[2].read_bytes()
    files = [paths.findings_csv.read_bytes() for paths in written]
    header = b"\xef\xbb\xbf" + b",".join(c.encode() for c in FINDINGS_CSV_COLUMNS) + b"\r\n"
    assert all(data.startswith(header) for data in files)
    assert combined == header + b"".join(data[len(header) :] for data in files)
    rows = read_csv(combined.decode("utf-8-sig"))
    column = {name: i for i, name in enumerate(rows[0])}
    statuses = {(r[column["account_id"]], r[column["principal_name"]], r[-1]) for r in rows[1:]}
    assert statuses == {
        (account_id, principal, status)
        for account_id in ("111111111111", "222222222222")
        for principal, status in (("bob", "unchanged"), ("'=cmd", "new"))
    }


def test_findings_that_do_not_match_the_counts_are_an_error_not_a_shorter_file(
    org_result: OrgRunResult, reports_root: Path
) -> None:
    first = org_result.outcomes[0]
    truncated = dataclasses.replace(first, findings_rows=first.findings_rows[:1])
    result = dataclasses.replace(org_result, outcomes=(truncated, *org_result.outcomes[1:]))
    with pytest.raises(ReportError, match=r"111111111111 \(=HYPERLINK.*6 finding\(s\) counted"):
        write(result, reports_root)


def test_findings_filed_under_another_account_are_refused(reports_root: Path) -> None:
    outcome = audited(
        reports_root, "111111111111", "prod", [finding("999999999999", Severity.HIGH)]
    )
    result = OrgRunResult((outcome,), NOW, 1.0, reports_root)
    with pytest.raises(ReportError, match="filed under account 999999999999, not 111111111111"):
        write(result, reports_root)


def test_invisible_characters_in_names_show_as_badges(reports_root: Path) -> None:
    """U+202E (right-to-left override) would make ``evil\u202eexe.txt`` read as ``evil``
    followed by ``txt.exe`` reversed; the summary shows it as the per-account report does."""
    good = audited(reports_root, "111111111111", "prod\u202eveD")
    failed = AccountOutcome(
        account_id="222222222222",
        name="zero\u200bwidth",
        status=AccountStatus.FAILED,
        reason="role\u2066 missing",
        via="profile:odd\u202e",
    )
    html = write(OrgRunResult((good, failed), NOW, 1.0, reports_root), reports_root)["summary.html"]
    for char in ("\u202e", "\u200b", "\u2066"):
        assert char not in html
    badge = '<span class="ctl" title="invisible character">U+{}</span>'
    assert f"prod{badge.format('202E')}veD" in html
    assert f"zero{badge.format('200B')}width" in html
    assert f"role{badge.format('2066')} missing" in html
    assert f"profile:odd{badge.format('202E')}" in html
    assert ".ctl {" in html


def test_a_complete_run_says_so(reports_root: Path) -> None:
    outcome = audited(reports_root, "111111111111", "prod", "")
    html = write(OrgRunResult((outcome,), NOW, 1.0, reports_root), reports_root)["summary.html"]
    assert "Complete: every account was audited" in html
    assert 'id="failed"' not in html
