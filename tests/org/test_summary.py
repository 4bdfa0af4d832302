"""write_org_summary: ranking, relative links, escaping of hostile names, neutralised CSVs."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from auditor.errors import ReportError
from auditor.models import Severity
from auditor.org import AccountOutcome, AccountStatus, OrgRunResult, write_org_summary
from tests.org.helpers import NOW

HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
FINDINGS_HEADER = "account_id,rule_id,severity,status,principal_name,detail\n"


def counts(**by_name: int) -> dict[Severity, int]:
    return {s: by_name.get(s.value, 0) for s in Severity}


def audited(
    root: Path, account_id: str, name: str, rows: str, complete: bool = True, **by: int
) -> AccountOutcome:
    folder = root / account_id / "20261127T220000Z"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    (folder / "findings.csv").write_text(FINDINGS_HEADER + rows, encoding="utf-8")
    return AccountOutcome(
        account_id=account_id,
        name=name,
        status=AccountStatus.OK,
        reason="" if complete else "credential_report: access denied",
        via=f"arn:aws:iam::{account_id}:role/Audit",
        report_folder=folder,
        report_html=folder / "report.html",
        findings_csv=folder / "findings.csv",
        open_by_severity=counts(**by),
        complete=complete,
    )


@pytest.fixture
def org_result(reports_root: Path) -> OrgRunResult:
    outcomes = (
        audited(
            reports_root,
            "111111111111",
            '=HYPERLINK("http://evil","x")',
            "111111111111,MFA-001,high,open,bob,User bob has no MFA.\n",
            high=1,
            low=5,
        ),
        audited(
            reports_root,
            "222222222222",
            HOSTILE,
            '222222222222,MFA-001,critical,open,\'=cmd,"User with, comma"\n',
            critical=1,
        ),
        audited(reports_root, "333333333333", "quiet", "", complete=False),
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
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


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
    assert rows[0] == ["account_id", "rule_id", "severity", "status", "principal_name", "detail"]
    assert rows[1:] == [
        ["111111111111", "MFA-001", "high", "open", "bob", "User bob has no MFA."],
        # Already neutralised upstream: not prefixed twice; quoted commas survive.
        ["222222222222", "MFA-001", "critical", "open", "'=cmd", "User with, comma"],
    ]


def test_a_missing_findings_csv_is_an_error_not_a_shorter_file(
    org_result: OrgRunResult, reports_root: Path
) -> None:
    first = org_result.outcomes[0]
    assert first.findings_csv is not None
    first.findings_csv.unlink()
    with pytest.raises(ReportError, match=r"111111111111/20261127T220000Z/findings\.csv"):
        write(org_result, reports_root)


def test_findings_filed_under_another_account_are_refused(
    org_result: OrgRunResult, reports_root: Path
) -> None:
    first = org_result.outcomes[0]
    assert first.findings_csv is not None
    first.findings_csv.write_text(FINDINGS_HEADER + "999999999999,R,high,open,x,y\n")
    with pytest.raises(ReportError, match="for account 999999999999, not 111111111111"):
        write(org_result, reports_root)


def test_a_complete_run_says_so(reports_root: Path) -> None:
    outcome = audited(reports_root, "111111111111", "prod", "")
    html = write(OrgRunResult((outcome,), NOW, 1.0, reports_root), reports_root)["summary.html"]
    assert "Complete: every account was audited" in html
    assert 'id="failed"' not in html
