"""YAML config → frozen, validated settings.

Every error names the file and the key (``config.yaml: collector.poll_timeout_seconds: must be a
positive number``) because the person reading it is fixing a scheduled job, not debugging Python.
Unknown keys are errors too: a misspelt ``exemptoins`` silently ignored would reopen findings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import ConfigError, escape_controls
from auditor.models import Severity
from auditor.policy.types import PrivilegeSettings


@dataclass(frozen=True)
class Exemption:
    """An accepted risk: one rule for matching principals, with a reason and an expiry date."""

    rule_id: str
    principal: str
    """A principal name or an ``fnmatch`` glob (``svc-*``)."""
    reason: str
    expires: dt.date
    ticket: str = ""


@dataclass(frozen=True)
class AwsSettings:
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None


@dataclass(frozen=True)
class CollectorSettings:
    poll_timeout_seconds: float = 120.0
    """How long to wait for the credential report before recording it as incomplete."""
    poll_initial_delay_seconds: float = 1.0
    max_attempts: int = 5
    """botocore retries (adaptive mode) for throttled or failing calls: 5 means up to 6 tries.
    A silent endpoint is bounded separately (5 s connect, 20 s read, two tries)."""
    mfa_device_workers: int = 8
    """Concurrent ``iam:ListMFADevices`` calls (one per user whose device types they can change);
    the client's adaptive retries pace them under IAM's per-account throttling."""
    identity_center_workers: int = 8
    """IAM Identity Center reads (one set of calls per permission set, one per assigned account
    and set) run this many at once; botocore's adaptive retries absorb the throttling."""
    identity_center: bool = True
    """Read IAM Identity Center; ``False`` (``--no-identity-center``) skips it on purpose, and
    the report says so."""
    identity_center_region: str | None = None
    """Region of the Identity Center instance; ``None`` means the session's region."""


@dataclass(frozen=True)
class AnalysisSettings:
    fresh_mfa_age_seconds: int = 60
    stale_mfa_age_seconds: int = 86_400
    max_mfa_age_seconds: int = 3_600
    """An ``aws:MultiFactorAuthAge`` limit above this counts as no limit (``age_unbounded``)."""
    credential_report_max_age_hours: float = 24.0
    privilege: PrivilegeSettings = field(default_factory=PrivilegeSettings)


@dataclass(frozen=True)
class RuleSettings:
    """A rule that can be turned off or given another severity (``rules.<rule id>``)."""

    enabled: bool = True
    severity: Severity | None = None
    """``None``: the rule's default severity."""


CONFIGURABLE_RULES = frozenset({"privileged_user_phishable_mfa"})
"""Rules whose policy is a choice of the organization (phishing-resistant MFA is advice from
CISA and NIST, not yet an AWS control), so the config may turn them off or reweigh them. The
other rules are exempted per principal, with a reason and an expiry."""


@dataclass(frozen=True)
class AccountTarget:
    """One account to audit in a multi-account run: by profile, or by role to assume."""

    account_id: str | None = None
    role_arn: str | None = None
    profile: str | None = None
    name: str = ""


@dataclass(frozen=True)
class OrganizationSettings:
    role_name: str = "OrganizationAccountAccessRole"
    external_id: str | None = None
    max_workers: int = 4
    accounts: tuple[AccountTarget, ...] = ()
    """Explicit targets for teams without Organizations access (used instead of ListAccounts)."""


@dataclass(frozen=True)
class AuditorConfig:
    aws: AwsSettings = field(default_factory=AwsSettings)
    collector: CollectorSettings = field(default_factory=CollectorSettings)
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    fail_on: Severity = Severity.HIGH
    output_dir: Path = Path("reports")
    organization: OrganizationSettings = field(default_factory=OrganizationSettings)
    exemptions: tuple[Exemption, ...] = ()
    invalid_exemptions: tuple[str, ...] = ()
    rules: Mapping[str, RuleSettings] = field(default_factory=dict)
    """Per-rule settings, keyed by rule id (only ``CONFIGURABLE_RULES``)."""
    """Malformed exemption entries, described; the analyzer reports each as a finding."""
    source: str = "<defaults>"


_TOP_KEYS = {
    "aws",
    "collector",
    "analysis",
    "fail_on",
    "output_dir",
    "organization",
    "exemptions",
    "rules",
}


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so ``expires: 2027-13-45`` reaches our own
    validation (an ``exemption_invalid`` finding) instead of failing inside PyYAML."""


_ConfigLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_config(path: Path | None) -> AuditorConfig:
    """Read ``path`` (or return defaults when ``None``)."""
    if path is None:
        return AuditorConfig()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            escape_controls(f"{path}: not a UTF-8 text file (byte {error.start})")
        ) from None
    except OSError as error:
        raise ConfigError(
            escape_controls(f"{path}: cannot read config: {error.strerror or error}")
        ) from None
    try:
        data = yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(escape_controls(f"{path}: not valid YAML{where}")) from None
    return parse_config(data or {}, str(path))


def parse_config(data: Any, origin: str) -> AuditorConfig:
    """Validate the parsed YAML; unknown keys are all reported at once, before other errors."""
    reader = _Reader(origin)
    try:
        config = _parse(reader, data, origin)
    except ConfigError:
        unknown = reader.unknown_keys_error()
        if unknown is not None:
            raise unknown from None
        raise
    unknown = reader.unknown_keys_error()
    if unknown is not None:
        raise unknown
    return config


def _parse(reader: _Reader, data: Any, origin: str) -> AuditorConfig:
    top = reader.mapping(data, "", _TOP_KEYS)
    aws = reader.mapping(top.get("aws", {}), "aws", {"profile", "region", "endpoint_url"})
    collector_section = reader.mapping(
        top.get("collector", {}),
        "collector",
        {*_number_fields(CollectorSettings()), *_COLLECTOR_OTHER_KEYS},
    )
    collector = reader.numbers(
        {k: v for k, v in collector_section.items() if k not in _COLLECTOR_OTHER_KEYS},
        "collector",
        CollectorSettings(),
    )
    collector.update(_identity_center_settings(reader, collector_section))
    analysis_section = reader.mapping(
        top.get("analysis", {}), "analysis", {*_number_fields(AnalysisSettings()), "privileged"}
    )
    analysis = reader.numbers(
        {k: v for k, v in analysis_section.items() if k != "privileged"},
        "analysis",
        AnalysisSettings(),
    )
    exemptions, invalid = _exemptions(reader, top.get("exemptions", []))
    return AuditorConfig(
        aws=AwsSettings(
            profile=reader.optional_str(aws, "aws.profile"),
            region=reader.optional_str(aws, "aws.region"),
            endpoint_url=reader.optional_str(aws, "aws.endpoint_url"),
        ),
        collector=CollectorSettings(**collector),
        analysis=AnalysisSettings(
            **analysis, privilege=_privilege(reader, analysis_section.get("privileged", {}))
        ),
        organization=_organization(reader, top.get("organization", {})),
        fail_on=reader.severity(top, "fail_on", Severity.HIGH),
        output_dir=Path(reader.optional_str(top, "output_dir") or "reports"),
        exemptions=exemptions,
        invalid_exemptions=invalid,
        rules=_rules(reader, top.get("rules", {})),
        source=origin,
    )


_COLLECTOR_OTHER_KEYS = frozenset({"identity_center", "identity_center_region"})


def _identity_center_settings(reader: _Reader, section: Mapping[str, Any]) -> dict[str, Any]:
    enabled = section.get("identity_center", True)
    if not isinstance(enabled, bool):
        raise reader.error("collector.identity_center", f"must be true or false, got {enabled!r}")
    return {
        "identity_center": enabled,
        "identity_center_region": reader.optional_str(section, "collector.identity_center_region"),
    }


def _number_fields(defaults: object) -> dict[str, int | float]:
    """The positive-number settings of a settings record, with their defaults."""
    return {
        f.name: getattr(defaults, f.name)
        for f in dataclasses.fields(defaults)  # type: ignore[arg-type]
        if type(getattr(defaults, f.name)) in (int, float)
    }


def _privilege(reader: _Reader, data: Any) -> PrivilegeSettings:
    keys = {
        "access_levels",
        "add_action_patterns",
        "exclude_action_patterns",
        "exclude_services",
        "policy_arns",
    }
    section = reader.mapping(data, "analysis.privileged", keys)
    defaults = PrivilegeSettings()
    levels = reader.str_list(section, "analysis.privileged.access_levels")
    known_levels = {"Permissions management", "Write", "Read", "List", "Tagging"}
    for level in levels or ():
        if level not in known_levels:
            raise reader.error(
                "analysis.privileged.access_levels",
                f"{level!r} is not one of {', '.join(sorted(known_levels))}",
            )
    arns = reader.str_list(section, "analysis.privileged.policy_arns")
    return PrivilegeSettings(
        access_levels=frozenset(levels) if levels is not None else defaults.access_levels,
        extra_action_patterns=tuple(
            reader.str_list(section, "analysis.privileged.add_action_patterns") or ()
        ),
        excluded_action_patterns=tuple(
            reader.str_list(section, "analysis.privileged.exclude_action_patterns") or ()
        ),
        excluded_services=frozenset(
            service.lower()
            for service in reader.str_list(section, "analysis.privileged.exclude_services") or ()
        ),
        privileged_policy_arns=tuple(arns) if arns is not None else defaults.privileged_policy_arns,
    )


def _organization(reader: _Reader, data: Any) -> OrganizationSettings:
    section = reader.mapping(
        data, "organization", {"role_name", "external_id", "max_workers", "accounts"}
    )
    defaults = OrganizationSettings()
    accounts_data = section.get("accounts", [])
    if not isinstance(accounts_data, list):
        raise reader.error("organization.accounts", "must be a list")
    accounts = []
    for index, entry in enumerate(accounts_data):
        key = f"organization.accounts[{index}]"
        item = reader.mapping(entry, key, {"account_id", "role_arn", "profile", "name"})
        account_id = item.get("account_id")
        if account_id is not None:
            account_id = str(account_id)
            if not (len(account_id) == 12 and account_id.isdigit()):
                raise reader.error(f"{key}.account_id", "must be a 12-digit AWS account id")
        target = AccountTarget(
            account_id=account_id,
            role_arn=reader.optional_str(item, f"{key}.role_arn"),
            profile=reader.optional_str(item, f"{key}.profile"),
            name=reader.optional_str(item, f"{key}.name") or "",
        )
        if (target.role_arn is None) == (target.profile is None):
            raise reader.error(key, "give exactly one of role_arn or profile")
        accounts.append(target)
    return OrganizationSettings(
        role_name=reader.optional_str(section, "organization.role_name") or defaults.role_name,
        external_id=reader.optional_str(section, "organization.external_id"),
        max_workers=int(reader.positive(section, "organization.max_workers", defaults.max_workers)),
        accounts=tuple(accounts),
    )


def _rules(reader: _Reader, data: Any) -> dict[str, RuleSettings]:
    section = reader.mapping(data, "rules", set(CONFIGURABLE_RULES))
    settings = {}
    for rule_id, entry in section.items():
        key = f"rules.{rule_id}"
        item = reader.mapping(entry, key, {"enabled", "severity"})
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            raise reader.error(f"{key}.enabled", f"must be true or false, got {enabled!r}")
        severity = _rule_severity(reader, item, f"{key}.severity") if "severity" in item else None
        settings[str(rule_id)] = RuleSettings(enabled=enabled, severity=severity)
    return settings


def _rule_severity(reader: _Reader, item: Mapping[str, Any], key: str) -> Severity:
    value = item["severity"]
    try:
        return Severity(str(value).lower())
    except ValueError:
        allowed = ", ".join(s.value for s in Severity)
        raise reader.error(key, f"{value!r} is not one of {allowed}") from None


def _exemptions(reader: _Reader, data: Any) -> tuple[tuple[Exemption, ...], tuple[str, ...]]:
    """Valid exemptions, and descriptions of malformed ones (reported as findings, not fatal).

    A malformed exemption must not stop the scheduled audit, and must not silently exempt
    anything either: it exempts nothing and becomes a finding of its own.
    """
    if not isinstance(data, list):
        raise reader.error("exemptions", "must be a list")
    valid: list[Exemption] = []
    invalid: list[str] = []
    for index, entry in enumerate(data):
        where = f"exemptions[{index}]"
        if not isinstance(entry, Mapping):
            invalid.append(f"{where}: must be a mapping with rule, principal, reason and expires")
            continue
        unknown = set(entry) - {"rule", "principal", "reason", "expires", "ticket"}
        missing = [k for k in ("rule", "principal", "reason", "expires") if not entry.get(k)]
        if unknown:
            names = ", ".join(sorted(escape_controls(str(name)) for name in unknown))
            invalid.append(f"{where}: unknown key(s) {names}")
            continue
        if missing:
            invalid.append(f"{where}: missing {', '.join(missing)}")
            continue
        expires = entry["expires"]
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                invalid.append(f"{where}.expires: {expires!r} is not a YYYY-MM-DD date")
                continue
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        if not isinstance(expires, dt.date):
            invalid.append(f"{where}.expires: must be a YYYY-MM-DD date")
            continue
        valid.append(
            Exemption(
                rule_id=str(entry["rule"]),
                principal=str(entry["principal"]),
                reason=str(entry["reason"]),
                expires=expires,
                ticket=str(entry.get("ticket") or ""),
            )
        )
    return tuple(valid), tuple(invalid)


class _Reader:
    """Typed access to the parsed YAML that reports ``file: key: problem``."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.unknown: list[tuple[str, set[str]]] = []
        """Unknown keys met so far, each with its section's allowed keys: reported together."""

    def error(self, key: str, problem: str) -> ConfigError:
        """``file: key: problem`` on one line, whatever characters the file's keys hold."""
        return ConfigError(escape_controls(f"{self.origin}: {key}: {problem}"))

    def unknown_keys_error(self) -> ConfigError | None:
        """Every unknown key of the file in one error (a typo hunt in one run, not five)."""
        if not self.unknown:
            return None
        listed = "; ".join(
            f"{key}: unknown key (allowed: {', '.join(sorted(allowed))})"
            for key, allowed in self.unknown
        )
        return ConfigError(
            escape_controls(f"{self.origin}: {listed}"),
            hint="check the spelling against config.example.yaml",
        )

    def mapping(self, data: Any, key: str, allowed: set[str]) -> Mapping[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, Mapping):
            raise self.error(key or "<top level>", "must be a mapping")
        for name in data:
            if name not in allowed:
                self.unknown.append((f"{key}.{name}" if key else str(name), allowed))
        return data

    def optional_str(self, data: Mapping[str, Any], key: str) -> str | None:
        value = data.get(key.rsplit(".", 1)[-1])
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, "must be a non-empty string")
        return value

    def numbers(self, data: Any, section: str, defaults: object) -> dict[str, Any]:
        """Every positive-number field of ``defaults`` read from ``section`` (an int field stays
        an int); a key that is not such a field is an error naming it."""
        fields = _number_fields(defaults)
        values = self.mapping(data, section, set(fields))
        return {
            name: type(default)(self.positive(values, f"{section}.{name}", default))
            for name, default in fields.items()
        }

    def positive(self, data: Mapping[str, Any], key: str, default: float) -> float:
        value = data.get(key.rsplit(".", 1)[-1], default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise self.error(key, f"must be a positive number, got {value!r}")
        return float(value)

    def str_list(self, data: Mapping[str, Any], key: str) -> list[str] | None:
        value = data.get(key.rsplit(".", 1)[-1])
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, "must be a list of non-empty strings")
        return list(value)

    def severity(self, data: Mapping[str, Any], key: str, default: Severity) -> Severity:
        value = data.get(key, default.value)
        try:
            return Severity(str(value).lower())
        except ValueError:
            allowed = ", ".join(s.value for s in Severity)
            raise self.error(key, f"{value!r} is not one of {allowed}") from None
