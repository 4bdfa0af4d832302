"""discover_accounts on moto Organizations; targets_from_profiles against a config file.

AWS Organizations API reference, ListAccounts: paginated, callable from the management account
or a delegated administrator; ``State`` supersedes ``Status`` (retired September 2026).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from moto import mock_aws

from auditor.config import AccountTarget, OrganizationSettings
from auditor.errors import AccessDeniedError, CollectionError, ReadOnlyViolation, UsageError
from auditor.org import discover_accounts, targets_from_profiles
from auditor.org.guard import install_org_guard

MANAGEMENT = "123456789012"  # moto's default account is the management account


@pytest.fixture
def org(org_env: None) -> Iterator[dict[str, str]]:
    """An organization: management account, two active members and one suspended."""
    with mock_aws():
        client = boto3.client("organizations")
        client.create_organization(FeatureSet="ALL")
        ids: dict[str, str] = {}
        for name in ("prod", "dev <b>", "closed"):
            status = client.create_account(AccountName=name, Email=f"{len(ids)}@example.com")
            ids[name] = status["CreateAccountStatus"]["AccountId"]
        client.close_account(AccountId=ids["closed"])
        yield ids


def test_active_members_get_a_role_and_the_callers_account_uses_its_own_credentials(
    org: dict[str, str],
) -> None:
    targets = discover_accounts(boto3.Session(), OrganizationSettings(role_name="AuditRole"))
    by_id = {t.account_id: t for t in targets}
    assert set(by_id) == {MANAGEMENT, org["prod"], org["dev <b>"]}  # suspended left out
    assert by_id[org["prod"]] == AccountTarget(
        account_id=org["prod"],
        role_arn=f"arn:aws:iam::{org['prod']}:role/AuditRole",
        name="prod",
    )
    assert by_id[org["dev <b>"]].name == "dev <b>"
    assert by_id[MANAGEMENT].role_arn is None
    assert [t.account_id for t in targets] == sorted(str(i) for i in by_id)


def test_include_and_exclude_filter(org: dict[str, str]) -> None:
    settings = OrganizationSettings()
    only = discover_accounts(boto3.Session(), settings, include=[org["prod"]])
    assert [t.account_id for t in only] == [org["prod"]]
    assert only[0].role_arn == f"arn:aws:iam::{org['prod']}:role/OrganizationAccountAccessRole"
    rest = discover_accounts(boto3.Session(), settings, exclude=[MANAGEMENT, org["prod"]])
    assert [t.account_id for t in rest] == [org["dev <b>"]]


def test_unknown_or_inactive_included_accounts_are_named(org: dict[str, str]) -> None:
    with pytest.raises(UsageError) as raised:
        discover_accounts(
            boto3.Session(), OrganizationSettings(), include=["999999999999", org["closed"]]
        )
    message = str(raised.value)
    assert "not in the organization: 999999999999" in message
    assert f"not ACTIVE: {org['closed']} (SUSPENDED)" in message


def test_malformed_ids_and_empty_selection_are_usage_errors(org: dict[str, str]) -> None:
    with pytest.raises(UsageError, match="not a 12-digit AWS account id: 12345"):
        discover_accounts(boto3.Session(), OrganizationSettings(), exclude=["12345"])
    everyone = [MANAGEMENT, org["prod"], org["dev <b>"]]
    with pytest.raises(UsageError, match="no active account"):
        discover_accounts(boto3.Session(), OrganizationSettings(), exclude=everyone)


def test_invalid_role_name_is_a_usage_error(org: dict[str, str]) -> None:
    with pytest.raises(UsageError, match="not a valid IAM role name"):
        discover_accounts(boto3.Session(), OrganizationSettings(role_name="bad role*"))


def test_many_accounts_are_listed_across_pages(org_env: None) -> None:
    with mock_aws():
        client = boto3.client("organizations")
        client.create_organization(FeatureSet="ALL")
        for n in range(24):
            client.create_account(AccountName=f"a{n}", Email=f"{n}@example.com")
        first_page = client.list_accounts(MaxResults=10)
        assert "NextToken" in first_page  # the emulator really pages
        targets = discover_accounts(boto3.Session(), OrganizationSettings())
    assert len(targets) == 25


def test_an_account_outside_the_management_account_gets_a_named_error(org_env: None) -> None:
    """AWS answers AccessDenied (or AWSOrganizationsNotInUseException) outside the management
    or delegated administrator account; moto does not emulate that, so the answer is injected."""
    session = boto3.Session()
    session.events.register(
        "before-call.organizations.ListAccounts",
        _access_denied,  # type: ignore[arg-type]  # botocore stubs: handlers may answer
    )
    with mock_aws(), pytest.raises(AccessDeniedError) as raised:
        discover_accounts(session, OrganizationSettings())
    assert str(raised.value).startswith(
        "organizations:ListAccounts: AccessDeniedException: You don't have permissions"
    )
    assert raised.value.hint is not None
    assert "--profiles" in raised.value.hint


def test_an_empty_listing_is_an_error_not_an_empty_audit(org_env: None) -> None:
    with mock_aws(), pytest.raises(CollectionError, match="returned no accounts"):
        discover_accounts(boto3.Session(), OrganizationSettings())


def _access_denied(**_: object) -> tuple[AWSResponse, dict[str, object]]:
    error = {"Code": "AccessDeniedException", "Message": "You don't have permissions\nto list"}
    response = AWSResponse(
        "https://organizations.us-east-1.amazonaws.com/", 400, HTTPHeaders(), None
    )
    return response, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}


def test_role_arns_use_the_organizations_partition(
    org_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    gov = [
        {
            "Id": "210987654321",
            "Arn": "arn:aws-us-gov:organizations::123456789012:account/o-x/210987654321",
            "Name": "gov",
            "State": "ACTIVE",
        },
        {"Id": "310987654321", "Name": "old-api", "Status": "ACTIVE"},
    ]
    monkeypatch.setattr("auditor.org.discovery._list_accounts", lambda *_: gov)
    with mock_aws():
        targets = discover_accounts(boto3.Session(), OrganizationSettings(role_name="R"))
    assert [t.role_arn for t in targets] == [
        "arn:aws-us-gov:iam::210987654321:role/R",
        "arn:aws:iam::310987654321:role/R",
    ]


def test_the_org_guard_refuses_writes_and_allows_the_runners_reads(org_env: None) -> None:
    with mock_aws():
        client = boto3.client("organizations")
        install_org_guard(client)
        with pytest.raises(ReadOnlyViolation, match="organizations:CreateAccount"):
            client.create_account(AccountName="x", Email="x@example.com")
        sts = boto3.client("sts")
        install_org_guard(sts)
        assert sts.get_caller_identity()["Account"] == MANAGEMENT
        with pytest.raises(ReadOnlyViolation, match="sts:GetSessionToken"):
            sts.get_session_token()


def test_profiles_become_targets_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text("[profile prod]\nregion = eu-west-1\n[profile dev]\n[default]\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    assert targets_from_profiles(["prod", " dev"]) == [
        AccountTarget(profile="prod", name="prod"),
        AccountTarget(profile="dev", name="dev"),
    ]
    with pytest.raises(UsageError, match="unknown AWS profile\\(s\\): typo"):
        targets_from_profiles(["prod", "typo"])
    with pytest.raises(UsageError, match="repeated profile\\(s\\): dev"):
        targets_from_profiles(["dev", "dev"])
    with pytest.raises(UsageError, match="comma-separated"):
        targets_from_profiles(["prod", ""])


def test_a_page_token_that_repeats_is_an_error_not_an_endless_listing(
    org_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ListAccounts is paged by hand (so every page goes through the translating client); a
    token that comes back again would otherwise loop for ever."""

    class Looping:
        calls = 0

        def list_accounts(self, **_: object) -> dict[str, object]:
            self.calls += 1
            return {"Accounts": [{"Id": "210987654321", "State": "ACTIVE"}], "NextToken": "t"}

    looping = Looping()
    monkeypatch.setattr("auditor.org.discovery.organizations_client", lambda *_, **__: looping)
    with mock_aws(), pytest.raises(CollectionError, match="same page token twice"):
        discover_accounts(boto3.Session(), OrganizationSettings())
    assert looping.calls == 2
