"""Exemptions: matched findings stay in the output marked ``exempted``; expired exemptions reopen
their findings and are findings themselves; malformed ones exempt nothing and are reported."""

from __future__ import annotations

from datetime import date

from auditor.config import AuditorConfig, parse_config
from auditor.models import FindingStatus, PrincipalType, Snapshot

from .conftest import exemption, of, row, run, snapshot, user

CONSOLE = "console_user_no_mfa"


def _three_console_users() -> Snapshot:
    names = ["svc-a", "svc-b", "carol"]
    return snapshot(users=[user(n) for n in names], rows=[row(n) for n in names])


def test_glob_exempts_matching_principals_only_and_keeps_them_in_the_output() -> None:
    config = AuditorConfig(exemptions=(exemption(CONSOLE, "svc-*", date(2027, 1, 31), "SEC-9"),))
    findings = {f.principal_name: f for f in of(run(_three_console_users(), config), CONSOLE)}
    assert set(findings) == {"svc-a", "svc-b", "carol"}
    assert findings["carol"].status is FindingStatus.OPEN
    for name in ("svc-a", "svc-b"):
        exempted = findings[name]
        assert exempted.status is FindingStatus.EXEMPTED
        assert exempted.exemption_reason == "accepted by the CISO"
        assert exempted.exemption_expires == "2027-01-31"
        assert exempted.exemption_ticket == "SEC-9"


def test_exemption_is_valid_through_its_expiry_day() -> None:
    config = AuditorConfig(exemptions=(exemption(CONSOLE, "carol", date(2026, 11, 27)),))
    result = run(_three_console_users(), config)
    carol = next(f for f in of(result, CONSOLE) if f.principal_name == "carol")
    assert carol.status is FindingStatus.EXEMPTED
    assert not of(result, "exemption_expired")


def test_expired_exemption_reopens_and_is_reported() -> None:
    config = AuditorConfig(exemptions=(exemption(CONSOLE, "carol", date(2026, 6, 30), "SEC-412"),))
    result = run(_three_console_users(), config)
    carol = next(f for f in of(result, CONSOLE) if f.principal_name == "carol")
    assert carol.status is FindingStatus.OPEN
    assert carol.exemption_reason == ""
    [expired] = of(result, "exemption_expired")
    assert expired.principal_type is PrincipalType.EXEMPTION
    assert expired.principal_name == "carol"
    assert "expired on 2026-06-30" in expired.detail
    assert "SEC-412" in expired.detail


def test_exemption_for_another_rule_does_not_match() -> None:
    config = AuditorConfig(exemptions=(exemption("root_no_mfa", "carol", date(2027, 1, 1)),))
    result = run(_three_console_users(), config)
    assert all(f.status is FindingStatus.OPEN for f in of(result, CONSOLE))


def test_malformed_exemptions_and_unknown_rule_ids_are_findings() -> None:
    config = parse_config(
        {
            "exemptions": [
                {"rule": CONSOLE, "principal": "carol", "reason": "ok"},
                {
                    "rule": "console_users_no_mfa",
                    "principal": "carol",
                    "reason": "typo",
                    "expires": "2027-01-01",
                },
            ]
        },
        "audit.yaml",
    )
    result = run(_three_console_users(), config)
    invalid = of(result, "exemption_invalid")
    assert len(invalid) == 2
    details = " ".join(f.detail for f in invalid)
    assert "exemptions[0]: missing expires" in details
    assert "'console_users_no_mfa' is not a rule id" in details
    assert all(f.detail.startswith("audit.yaml: ") for f in invalid)
    assert {f.principal_name for f in invalid} == {"exemptions[0]", "console_users_no_mfa:carol"}
    assert all(f.status is FindingStatus.OPEN for f in of(result, CONSOLE))


def test_unknown_findings_are_never_exempted() -> None:
    config = AuditorConfig(exemptions=(exemption(CONSOLE, "*", date(2027, 1, 1)),))
    result = run(snapshot(users=[user("fresh")], rows=[]), config)
    [finding] = of(result, CONSOLE)
    assert finding.status is FindingStatus.UNKNOWN
