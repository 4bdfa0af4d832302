"""The default per-account audit (``audit_account``): profiles, duplicates, mismatched targets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from auditor.config import AccountTarget, AuditorConfig
from auditor.org import AccountStatus, audit_accounts, targets_from_profiles, write_org_summary
from tests.org.helpers import NOW

MOTO_ACCOUNT = "123456789012"


@pytest.fixture
def two_profiles(org_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two named profiles whose (dummy) keys both belong to moto's default account."""
    config = tmp_path / "aws-config"
    config.write_text(
        "".join(
            f"[profile {name}]\naws_access_key_id = testing\n"
            "aws_secret_access_key = testing\nregion = us-east-1\n"
            for name in ("ops", "ops-again")
        )
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_profiles_are_audited_once_per_account_with_reports(
    two_profiles: None, reports_root: Path
) -> None:
    with mock_aws():
        boto3.Session(profile_name="ops").client("iam").create_user(UserName="console-bob")
        result = audit_accounts(
            boto3.Session(profile_name="ops"),
            targets_from_profiles(["ops", "ops-again"]),
            AuditorConfig(),
            reports_root=reports_root,
            max_workers=1,
            now=NOW,
        )
    first, second = result.outcomes
    assert first.status is AccountStatus.OK, first.reason
    assert first.account_id == MOTO_ACCOUNT
    assert first.via == "profile:ops"
    assert first.report_html == reports_root / MOTO_ACCOUNT / "20261127T220000Z" / "report.html"
    assert first.report_html.is_file()
    assert first.findings_csv is not None
    assert first.findings_csv.read_text(encoding="utf-8-sig").startswith("account_id,")
    assert second.status is AccountStatus.SKIPPED
    assert second.name == "ops-again"
    assert "same account as profile ops" in second.reason


def test_a_role_in_another_account_than_the_target_fails_before_any_call(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    target = AccountTarget(
        account_id="111111111111", role_arn="arn:aws:iam::222222222222:role/Audit", name="x"
    )
    result = audit_accounts(
        offline_session,
        [target],
        AuditorConfig(),
        reports_root=reports_root,
        max_workers=1,
        now=NOW,
    )
    outcome = result.outcomes[0]
    assert outcome.status is AccountStatus.FAILED
    assert (
        outcome.reason == "role arn:aws:iam::222222222222:role/Audit is not in account 111111111111"
    )
    assert not any(reports_root.iterdir())


def test_a_malformed_role_arn_fails_its_account(
    offline_session: boto3.Session, reports_root: Path
) -> None:
    target = AccountTarget(role_arn="arn:aws:s3:::bucket", name="typo")
    result = audit_accounts(
        offline_session,
        [target],
        AuditorConfig(),
        reports_root=reports_root,
        max_workers=1,
        now=NOW,
    )
    assert result.outcomes[0].status is AccountStatus.FAILED
    assert result.outcomes[0].reason == "'arn:aws:s3:::bucket' is not an IAM role ARN"
    assert result.outcomes[0].name == "typo"


def test_a_second_run_carries_the_accounts_findings_csv_rows_with_their_diff_status(
    two_profiles: None, reports_root: Path
) -> None:
    """all-findings.csv rows are the account's findings.csv rows, diff_status included: the
    second run is compared with the first, as ``scan`` compares runs in one reports root."""
    runs = []
    with mock_aws():
        iam = boto3.Session(profile_name="ops").client("iam")
        iam.create_user(UserName="console-bob")
        iam.create_login_profile(UserName="console-bob", Password="Seeded-Passw0rd!")
        for when in (NOW, NOW + timedelta(hours=1)):
            runs.append(
                audit_accounts(
                    boto3.Session(profile_name="ops"),
                    targets_from_profiles(["ops"]),
                    AuditorConfig(),
                    reports_root=reports_root,
                    max_workers=1,
                    now=when,
                )
            )
    first, second = (run.outcomes[0] for run in runs)
    assert second.status is AccountStatus.OK, second.reason
    assert first.findings_rows, "console-bob without MFA must be a finding"
    assert {row[-1] for row in first.findings_rows} == {""}
    assert {row[-1] for row in second.findings_rows} == {"unchanged"}
    assert second.findings_csv is not None
    own = second.findings_csv.read_bytes()
    paths = write_org_summary(runs[1], reports_root / "organization", generated_at=NOW)
    assert paths[2].read_bytes() == own
