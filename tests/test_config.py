"""Config loading: every error names the file and the key; exemptions never fail the run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.config import load_config, parse_config
from auditor.errors import ConfigError, escape_controls
from auditor.models import Severity

REPO = Path(__file__).resolve().parents[1]


def test_example_config_is_valid_and_documents_every_section() -> None:
    config = load_config(REPO / "config.example.yaml")
    assert config.aws.profile == "security-audit"
    assert config.fail_on is Severity.HIGH
    assert config.collector.poll_timeout_seconds == 120
    assert (
        "arn:aws:iam::aws:policy/IAMFullAccess" in config.analysis.privilege.privileged_policy_arns
    )
    assert config.exemptions[0].expires == dt.date(2027, 3, 31)
    assert config.exemptions[0].ticket == "SEC-1234"
    assert config.organization.role_name == "OrganizationAccountAccessRole"


def test_missing_file_is_none_defaults() -> None:
    assert load_config(None).fail_on is Severity.HIGH


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"exemptoins": []}, "cfg.yaml: exemptoins: unknown key"),
        ({"fail_on": "severe"}, "cfg.yaml: fail_on: 'severe' is not one of"),
        ({"collector": {"poll_timeout_seconds": -1}}, "collector.poll_timeout_seconds: must be"),
        ({"collector": {"max_attempts": True}}, "collector.max_attempts: must be a positive"),
        ({"aws": {"profile": ""}}, "aws.profile: must be a non-empty string"),
        ({"aws": "prod"}, "cfg.yaml: aws: must be a mapping"),
        (
            {"analysis": {"privileged": {"access_levels": ["Admin"]}}},
            "analysis.privileged.access_levels: 'Admin' is not one of",
        ),
        (
            {"organization": {"accounts": [{"account_id": "12", "profile": "p"}]}},
            "organization.accounts[0].account_id: must be a 12-digit",
        ),
        (
            {"organization": {"accounts": [{"account_id": "123456789012"}]}},
            "organization.accounts[0]: give exactly one of role_arn or profile",
        ),
        ({"exemptions": {"rule": "x"}}, "cfg.yaml: exemptions: must be a list"),
    ],
)
def test_invalid_values_name_file_and_key(data: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "cfg.yaml")
    assert message in str(caught.value)


def test_malformed_exemptions_are_collected_not_fatal() -> None:
    config = parse_config(
        {
            "exemptions": [
                {"rule": "root_no_mfa", "principal": "x", "reason": "r", "expires": "soon"},
                {"rule": "root_no_mfa", "principal": "x", "expires": "2027-01-01"},
                {
                    "rule": "root_no_mfa",
                    "principal": "x",
                    "reason": "r",
                    "expires": "2027-01-01",
                    "owner": "me",
                },
                "root_no_mfa",
                {
                    "rule": "console_user_no_mfa",
                    "principal": "a*",
                    "reason": "ok",
                    "expires": dt.date(2027, 1, 1),
                },
            ]
        },
        "cfg.yaml",
    )
    assert [e.principal for e in config.exemptions] == ["a*"]
    assert len(config.invalid_exemptions) == 4
    assert "exemptions[0].expires: 'soon' is not a YYYY-MM-DD date" in config.invalid_exemptions[0]
    assert "exemptions[1]: missing reason" in config.invalid_exemptions[1]
    assert "unknown key(s) owner" in config.invalid_exemptions[2]


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("aws:\n  profile: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml: not valid YAML \(line \d+\)"):
        load_config(path)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "absent.yaml")


def test_impossible_date_becomes_an_invalid_exemption_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "exemptions:\n"
        "  - {rule: console_user_no_mfa, principal: bob, reason: r, expires: 2027-13-45}\n"
        "  - {rule: console_user_no_mfa, principal: ann, reason: r, expires: 2027-03-31}\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert [e.principal for e in config.exemptions] == ["ann"]
    assert config.exemptions[0].expires == dt.date(2027, 3, 31)
    assert config.invalid_exemptions == (
        "exemptions[0].expires: '2027-13-45' is not a YYYY-MM-DD date",
    )


def test_binary_config_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(ConfigError, match=r"bin.yaml: not a UTF-8 text file"):
        load_config(path)


def test_a_key_with_a_newline_is_escaped_so_the_error_stays_one_line(tmp_path: Path) -> None:
    """A config error is one line (logs and cron mail are read by line); the key is shown as
    the file spells it, ``\\n`` escaped."""
    path = tmp_path / "c.yaml"
    path.write_text('collector:\n  "poll\\ntimeout": 5\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"{path}: collector.poll\\ntimeout: unknown key" in message
    assert len(message.splitlines()) == 1


def test_an_exemption_key_with_a_newline_is_escaped_in_its_description() -> None:
    entry = {"rule": "x", "principal": "p", "reason": "r", "expires": "2027-01-01", "a\nb": 1}
    config = parse_config({"exemptions": [entry]}, "cfg.yaml")
    assert config.invalid_exemptions == ("exemptions[0]: unknown key(s) a\\nb",)


def test_escape_controls_escapes_what_breaks_a_line_or_a_terminal_and_keeps_the_rest() -> None:
    assert escape_controls("a\nb\r\tc\x1b[31m\u2028\u202e") == (
        "a\\nb\\r\\tc\\x1b[31m\\u2028\\u202e"
    )
    assert escape_controls("Zoë → C:\\cfg.yaml") == "Zoë → C:\\cfg.yaml"
