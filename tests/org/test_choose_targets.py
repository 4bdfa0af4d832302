"""Which accounts a multi-account run audits: profiles, else the config's list, else the org."""

from __future__ import annotations

import boto3
import pytest

from auditor.config import AccountTarget, OrganizationSettings
from auditor.errors import UsageError
from auditor.org import choose_targets

LISTED = (
    AccountTarget(account_id="111111111111", role_arn="arn:aws:iam::111111111111:role/A"),
    AccountTarget(profile="staging", name="staging"),
)


def test_config_accounts_are_used_as_given_without_listing_the_org() -> None:
    session = boto3.Session(region_name="us-east-1")  # would fail if ListAccounts were called
    assert choose_targets(session, OrganizationSettings(accounts=LISTED)) == list(LISTED)


def test_filters_do_not_apply_to_config_accounts() -> None:
    with pytest.raises(UsageError, match="used as given"):
        choose_targets(
            boto3.Session(region_name="us-east-1"),
            OrganizationSettings(accounts=LISTED),
            include=["111111111111"],
        )


def test_profiles_win_over_config_accounts(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config"
    config.write_text("[profile prod]\nregion = eu-west-1\n", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    targets = choose_targets(
        boto3.Session(region_name="us-east-1"),
        OrganizationSettings(accounts=LISTED),
        profiles=["prod"],
    )
    assert targets == [AccountTarget(profile="prod", name="prod")]
