"""Frozen records shared by every stage: the snapshot the collector produces, and the findings.

Nothing past the collector sees a boto3 dict or a raw credential-report string: ``"true"``,
``"N/A"``, ``"not_supported"`` and ``"no_information"`` are parsed once, into the types below.
Policy documents stay as decoded JSON (``PolicyDocument``) because the policy engine owns their
meaning. Every record is JSON-serialisable through ``auditor.snapshot_io``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditor.identity_center_models import IdentityCenterData
from auditor.mfa_devices import (
    MfaDeviceKind as MfaDeviceKind,
)
from auditor.mfa_devices import (
    OrganizationFeatures,
    RootCredentials,
    UserMfaDevices,
)
from auditor.records import record
from auditor.signin.records import SigninEvidence

SNAPSHOT_SCHEMA_VERSION = 2
"""Version 2 added ``user_mfa_devices``, ``organization_features``, ``root_credentials``,
``signins`` and ``identity_center``;
version-1 snapshots still load, with those defaulted (see ``auditor.snapshot_io``)."""
READABLE_SNAPSHOT_VERSIONS = frozenset({1, 2})

PolicyDocument = Mapping[str, Any]
"""A decoded IAM policy document (the JSON object with ``Version`` and ``Statement``)."""


class Unavailable(str, enum.Enum):
    """The credential report's explicit "no value" markers, kept distinct on purpose.

    ``N/A`` means the credential does not exist; ``no_information`` means it exists but was never
    used (or AWS has no data); ``not_supported`` appears on the root row. Collapsing them into
    ``None`` would turn "never used" into "does not exist" in a report.
    """

    NOT_APPLICABLE = "N/A"
    NO_INFORMATION = "no_information"
    NOT_SUPPORTED = "not_supported"


TimeValue = datetime | Unavailable
FlagValue = bool | Unavailable


@dataclass(frozen=True)
class AccessKeyStatus:
    """One of the two access-key slots in a credential-report row."""

    active: bool
    last_rotated: TimeValue
    last_used_date: TimeValue
    last_used_region: str | Unavailable
    last_used_service: str | Unavailable


@dataclass(frozen=True)
class CertificateStatus:
    """One of the two signing-certificate slots in a credential-report row."""

    active: bool
    last_rotated: TimeValue


@dataclass(frozen=True)
class CredentialReportRow:
    """One user's row, or root's (``user == "<root_account>"``)."""

    user: str
    arn: str
    user_creation_time: TimeValue
    password_enabled: FlagValue
    password_last_used: TimeValue
    password_last_changed: TimeValue
    password_next_rotation: TimeValue
    mfa_active: bool
    access_key_1: AccessKeyStatus
    access_key_2: AccessKeyStatus
    cert_1: CertificateStatus
    cert_2: CertificateStatus

    @property
    def is_root(self) -> bool:
        return self.user == ROOT_USER_NAME

    @property
    def active_access_keys(self) -> int:
        return int(self.access_key_1.active) + int(self.access_key_2.active)

    @property
    def has_console_password(self) -> bool:
        return self.password_enabled is True


ROOT_USER_NAME = "<root_account>"


@dataclass(frozen=True)
class CredentialReport:
    generated_time: datetime
    rows: tuple[CredentialReportRow, ...]

    @property
    def root(self) -> CredentialReportRow | None:
        return next((row for row in self.rows if row.is_root), None)

    def for_user(self, name: str) -> CredentialReportRow | None:
        return next((row for row in self.rows if row.user == name and not row.is_root), None)


@dataclass(frozen=True)
class InlinePolicy:
    name: str
    document: PolicyDocument | None
    """``None`` when it could not be read (not JSON): kept so its holder is judged ``unknown``."""


@dataclass(frozen=True)
class AttachedPolicy:
    """A reference to a managed policy; its document lives in ``Snapshot.policies``."""

    arn: str
    name: str


@dataclass(frozen=True)
class ManagedPolicy:
    arn: str
    name: str
    policy_id: str | None
    path: str
    default_version_id: str | None
    document: PolicyDocument | None
    """The default version's document; ``None`` when it could not be read (incomplete data)."""
    attachment_count: int | None
    is_aws_managed: bool


@dataclass(frozen=True)
class User:
    name: str
    arn: str
    user_id: str
    path: str
    create_date: datetime | None
    groups: tuple[str, ...]
    inline_policies: tuple[InlinePolicy, ...]
    attached_policies: tuple[AttachedPolicy, ...]
    permissions_boundary_arn: str | None
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    name: str
    arn: str
    group_id: str
    path: str
    create_date: datetime | None
    inline_policies: tuple[InlinePolicy, ...]
    attached_policies: tuple[AttachedPolicy, ...]


@dataclass(frozen=True)
class Role:
    name: str
    arn: str
    role_id: str
    path: str
    create_date: datetime | None
    trust_policy: PolicyDocument
    inline_policies: tuple[InlinePolicy, ...]
    attached_policies: tuple[AttachedPolicy, ...]
    permissions_boundary_arn: str | None
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VirtualMfaDevice:
    serial_number: str
    user_arn: str | None
    """``None`` for a device created but assigned to nobody."""
    enable_date: datetime | None


@dataclass(frozen=True)
class CollectionGap:
    """Something the collector could not read. Rules depending on ``source`` report ``unknown``.

    ``source`` is one of ``CollectionSource``'s values.
    """

    source: str
    reason: str


class CollectionSource(str, enum.Enum):
    CREDENTIAL_REPORT = "credential_report"
    ROOT_CREDENTIALS = "root_credentials"
    AUTHORIZATION_DETAILS = "authorization_details"
    VIRTUAL_MFA_DEVICES = "virtual_mfa_devices"
    ACCOUNT_SUMMARY = "account_summary"
    PASSWORD_POLICY = "password_policy"  # noqa: S105 - a source name, not a secret
    ACCOUNT_ALIASES = "account_aliases"
    POLICY_DOCUMENTS = "policy_documents"
    MFA_DEVICES = "mfa_devices"
    """Per-user ``ListMFADevices``: which device types; only ``privileged_user_phishable_mfa``
    depends on it, and that rule says itself when a privileged user's types are unknown."""
    ORGANIZATION_FEATURES = "organization_features"
    SIGNIN_EVENTS = "signin_events"
    """CloudTrail sign-in events: one gap per region (or query) that could not be read."""
    IDENTITY_CENTER = "identity_center"


CONTEXT_ONLY_SOURCES = frozenset(
    {
        CollectionSource.ACCOUNT_SUMMARY.value,
        CollectionSource.PASSWORD_POLICY.value,
        CollectionSource.ACCOUNT_ALIASES.value,
        CollectionSource.MFA_DEVICES.value,
        CollectionSource.ORGANIZATION_FEATURES.value,
    }
)
"""Sources shown in reports for context; no rule's verdict depends on them (the root rules use
the account summary only to recognise a centrally managed root, and without it they still fire).
AWS CLI exports cannot contain them, so an export-based audit can still be complete."""


def verdict_gaps(gaps: tuple[CollectionGap, ...]) -> tuple[CollectionGap, ...]:
    """The gaps that some verdict depends on: these, and only these, make an audit incomplete."""
    return tuple(gap for gap in gaps if gap.source not in CONTEXT_ONLY_SOURCES)


@dataclass(frozen=True)
class Snapshot:
    """Everything collected from one account at one time: the collector → analyzer contract."""

    schema_version: int
    tool_version: str
    source: str
    """How it was made: ``aws``, ``aws-cli-export`` or ``demo``."""
    account_id: str
    account_alias: str | None
    caller_arn: str | None
    collected_at: datetime
    credential_report: CredentialReport | None
    users: tuple[User, ...]
    groups: tuple[Group, ...]
    roles: tuple[Role, ...]
    policies: tuple[ManagedPolicy, ...]
    """Managed policies attached to at least one principal (AWS-managed ones included)."""
    virtual_mfa_devices: tuple[VirtualMfaDevice, ...]
    account_summary: Mapping[str, int] | None
    password_policy: Mapping[str, Any] | None
    """``None`` with no gap recorded means the account has no password policy (a fact)."""
    gaps: tuple[CollectionGap, ...] = ()
    notes: tuple[str, ...] = ()
    """Plain-language remarks shown in reports (e.g. how the demo supplies root's row)."""
    user_mfa_devices: tuple[UserMfaDevices, ...] = ()
    """Every user's devices (schema 2); empty in version-1 snapshots and AWS CLI exports, where
    a non-virtual device reads ``hardware_or_fido``."""
    organization_features: OrganizationFeatures | None = None
    """``iam:ListOrganizationsFeatures`` (schema 2); ``None`` when not asked."""
    root_credentials: RootCredentials | None = None
    """Root's credentials read through ``sts:AssumeRoot`` (``--audit-member-roots`` only)."""
    signins: SigninEvidence | None = None
    """Sign-in evidence from CloudTrail; ``None`` means not read (never "no sign-ins")."""
    identity_center: IdentityCenterData | None = None
    """IAM Identity Center as read from this account (schema version 2); ``None`` when the
    snapshot has none (a version 1 snapshot, or an export without Identity Center files)."""

    def gap_for(self, source: CollectionSource) -> CollectionGap | None:
        return next((gap for gap in self.gaps if gap.source == source.value), None)

    def policy(self, arn: str) -> ManagedPolicy | None:
        return next((policy for policy in self.policies if policy.arn == arn), None)


# --------------------------------------------------------------------------------------------
# Findings: what the analyzer hands to the reporters.
# --------------------------------------------------------------------------------------------


class Severity(str, enum.Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used for ``--fail-on`` and for sorting."""
        return {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}[self.value]


class FindingStatus(str, enum.Enum):
    OPEN = "open"
    EXEMPTED = "exempted"
    UNKNOWN = "unknown"
    """The rule could not be evaluated because data was missing; ``detail`` says which."""


class PrincipalType(str, enum.Enum):
    ROOT = "root"
    USER = "user"
    GROUP = "group"
    ROLE = "role"
    MFA_DEVICE = "mfa_device"
    ACCOUNT = "account"
    EXEMPTION = "exemption"
    IDENTITY_CENTER_USER = "identity_center_user"


class MfaEnforcement(str, enum.Enum):
    """Whether a principal's policies require MFA for the privileged actions they allow.

    Ordered from worst to best by ``rank``; a principal's verdict is its worst action's.
    """

    NOT_ENFORCED = "not_enforced"
    """Allowed in a console session signed in without MFA."""
    UNKNOWN = "unknown"
    """Some policy of the principal could not be read or evaluated, so the answer may be anything
    from ``not_enforced`` to ``enforced``. Never the policy engine's own verdict: the analyzer
    writes it on summaries and cards. Ranked just below ``not_enforced`` (a known gap outranks a
    possible one) and above every level that requires MFA in some context, so it sorts and
    counts with the gaps and never with the compliant levels."""
    BYPASSABLE = "bypassable"
    """Denied without MFA in the console, but allowed with long-term access keys."""
    AGE_UNBOUNDED = "age_unbounded"
    """MFA required, but no ``aws:MultiFactorAuthAge`` limit: a stale MFA session suffices."""
    ENFORCED = "enforced"
    NOT_APPLICABLE = "n/a"
    """The principal is allowed no privileged action."""

    @property
    def rank(self) -> int:
        """Higher is worse."""
        return {
            "not_enforced": 5,
            "unknown": 4,
            "bypassable": 3,
            "age_unbounded": 2,
            "enforced": 1,
            "n/a": 0,
        }[self.value]


@record
class Finding:
    account_id: str
    rule_id: str
    severity: Severity
    status: FindingStatus
    principal_type: PrincipalType
    principal_name: str
    principal_arn: str
    group_name: str
    """The group that makes the principal privileged, or ``""``."""
    title: str
    detail: str
    """One sentence naming the principal and the reason."""
    remediation: str
    evidence: Mapping[str, str] = field(default_factory=dict)
    exemption_reason: str = ""
    exemption_expires: str = ""
    exemption_ticket: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity across runs, used by the run-to-run diff."""
        return (self.account_id, self.rule_id, self.principal_arn, self.group_name)


@record
class UserSummary:
    """One row of ``users.csv`` and the HTML users table."""

    name: str
    arn: str
    password_enabled: FlagValue
    password_last_used: TimeValue
    mfa_active: bool | None
    """``None`` when the credential report had no row for this user."""
    mfa_device_types: tuple[MfaDeviceKind, ...]
    active_access_keys: int
    groups: tuple[str, ...]
    privileged: bool
    privileged_via: tuple[str, ...]
    """e.g. ``group:Admins (AdministratorAccess)``, or ``user:raj.patel (LegacyFullAccess)`` for
    the user's own policies."""
    mfa_enforcement: MfaEnforcement


@record
class GroupSummary:
    """One row of ``groups.csv``: every group, privileged or not."""

    name: str
    arn: str
    members: tuple[str, ...]
    members_without_mfa: tuple[str, ...]
    policies: tuple[str, ...]
    privileged: bool
    mfa_enforcement: MfaEnforcement


@record
class DecidingStatement:
    """A statement that decides MFA enforcement, shown highlighted in the HTML report."""

    policy_name: str
    statement_id: str
    """The ``Sid``, or ``#<index>`` when the statement has none."""
    effect: str
    statement_json: str
    why: str


@dataclass(frozen=True)
class PrincipalCard:
    """A privileged group, user or role as the HTML report shows it."""

    principal_type: PrincipalType
    name: str
    arn: str
    policies: tuple[str, ...]
    mfa_enforcement: MfaEnforcement
    privileged_actions_sample: tuple[str, ...]
    deciding_statements: tuple[DecidingStatement, ...]
    members: tuple[tuple[str, bool | None], ...] = ()
    """Group members and whether each has an MFA device (``None``: unknown)."""
    remediation_policy_json: str = ""
    trust_enforcement: MfaEnforcement | None = None
    """Role cards: whether the trust policy requires MFA to assume the role (``unknown``: it
    could not be evaluated). ``None`` for groups and users, and for roles that no IAM principal
    may assume (services, federation), which cannot prove MFA to IAM."""
    permissions_enforcement: MfaEnforcement | None = None
    """Role cards: the verdict of the role's permission policies, i.e. once it is assumed.
    ``mfa_enforcement`` is then the better of the two gates: MFA proven at either suffices."""


class MfaDecidedBy(str, enum.Enum):
    """Who decides whether MFA is proven on a hop of an access path."""

    IAM = "iam"
    """IAM policy conditions (``aws:MultiFactorAuthPresent`` / ``Age``) decide: an exact gate."""
    IDENTITY_CENTER = "identity_center"
    """Identity Center issues the session; its MFA setting (no public API) decides."""
    EXTERNAL_IDP = "external_idp"
    """A SAML or OIDC provider (or Identity Center's external IdP) decides."""
    OTHER_ACCOUNT = "other_account"
    """A principal of another AWS account: that account's policies and MFA decide."""
    NOT_HUMAN = "not_human"
    """An AWS service principal or service-linked role: no person signs in on this path."""


@record
class AccessPath:
    """One way a principal reaches privileged actions, hop by hop, with the weakest MFA gate.

    ``hops`` names each node as ``<type>:<name>`` from the principal itself to the node whose
    policies grant the actions (``("user:dana", "role:Deploy", "role:Admin")``; a principal's
    own policies are a one-hop path). ``gate`` is the weakest IAM gate along the path (the
    ``MfaEnforcement`` scale); ``decided_by`` says when MFA is decided outside IAM on some hop,
    in which case ``gate`` covers only the IAM-decided hops.
    """

    hops: tuple[str, ...]
    gate: MfaEnforcement
    decided_by: MfaDecidedBy
    admin: bool
    """The target can perform every action (``*``) or holds an administrator-equivalent grant."""
    example_actions: tuple[str, ...]
    description: str
    """One sentence a reviewer reads, e.g. ``user dana → role Deploy → role Admin: every action
    (*); no MFA on any hop``."""


class Reach(str, enum.Enum):
    """What a principal can reach, as one word a reviewer ranks by."""

    ADMIN = "admin"
    PRIVILEGED = "privileged"
    NONE = "none"
    UNKNOWN = "unknown"
    """Some policy could not be read or evaluated."""


@record
class PrincipalRow:
    """One row of ``principals.csv`` and, when ``exposed``, of the report's ``#exposed`` table.

    One row per principal of every kind (IAM user, role, root, Identity Center user), built from
    the access graph: a role chain or an Identity Center permission set counts like a group.
    Machine values here; reporters turn them into words for people.
    """

    account_id: str
    principal_type: PrincipalType
    name: str
    arn: str
    privileged: bool | None
    """``None``: unknown (a policy on some path could not be read or evaluated)."""
    reach: Reach
    privileged_via: tuple[str, ...]
    """e.g. ``group:Admins (AdministratorAccess)``, ``role:Deploy → role:Admin``,
    ``permission_set:AdministratorAccess (group Ops) in 111111111111``."""
    reach_without_mfa: Reach
    """The privilege reachable on some path whose gate does not require MFA (``none`` when every
    privileged path requires it; ``unknown`` when a gate could not be evaluated)."""
    mfa_device_types: tuple[str, ...]
    """Each device's type, e.g. ``("fido", "virtual")``; ``("unknown",)`` when it cannot be known;
    ``()`` when the principal has no device (or cannot have one, e.g. a role)."""
    mfa_enforced: str
    """``enforced``, ``bypassable``, ``none``, ``outside_iam`` or ``unknown``: the weakest gate on
    the principal's privileged paths (``not_applicable`` when it reaches nothing privileged)."""
    last_used: datetime | None
    """The latest of password last used and access keys last used (``None``: never / unknown)."""
    open_rules: tuple[str, ...]
    """Rule ids of the open findings naming this principal."""
    worst_severity: Severity | None
    """The worst severity among those open findings (``None`` when there are none)."""
    exposure: int
    """Ranking key, higher is worse: 5 admin reach with no MFA device and no MFA condition;
    4 privileged reach through access keys or a bypassable condition; 3 other privileged reach
    without MFA; 2 MFA decided outside IAM (Identity Center, IdP, another account); 1 privileged
    but MFA enforced; 0 nothing privileged. ``unknown`` privilege ranks 3."""
    fix: str
    """The one remediation a reviewer should apply first, naming this principal (a rule's
    ``<user>`` / ``<role>`` and, when the finding names one, ``<group>`` filled in)."""
    paths: tuple[AccessPath, ...] = ()
    last_signin: datetime | None = None
    """Latest successful console / Identity Center sign-in in the CloudTrail window, if read."""
    last_signin_mfa: bool | None = None
    """Whether that sign-in used MFA (``None``: no sign-in evidence)."""
    signins_without_mfa: int | None = None
    """Successful sign-ins without MFA inside the window (``None``: no sign-in evidence read)."""

    @property
    def exposed(self) -> bool:
        """Shown in ``#exposed``: can do privileged things without MFA proven by IAM."""
        return self.exposure >= 2


@dataclass(frozen=True)
class RuleOutcome:
    """Whether a rule ran, and why not when it could not."""

    rule_id: str
    evaluated: bool
    reason: str = ""

    @property
    def rechecked(self) -> bool:
        """Ran on its data this time: an evaluated rule whose optional source was read (a
        ``not read: …`` reason says it was not), so a finding it no longer reports is fixed."""
        return self.evaluated and not self.reason.startswith(NOT_READ_PREFIX)


NOT_READ_PREFIX = "not read: "


@dataclass(frozen=True)
class AuditResult:
    """The analyzer's output: everything the reporters need, and nothing from AWS."""

    account_id: str
    account_alias: str | None
    collected_at: datetime
    credential_report_generated_at: datetime | None
    tool_version: str
    source: str
    findings: tuple[Finding, ...]
    users: tuple[UserSummary, ...]
    groups: tuple[GroupSummary, ...]
    cards: tuple[PrincipalCard, ...]
    rule_outcomes: tuple[RuleOutcome, ...]
    gaps: tuple[CollectionGap, ...]
    notes: tuple[str, ...] = ()
    principals: tuple[PrincipalRow, ...] = ()
    """Every principal, worst exposure first (see ``PrincipalRow.exposure``)."""

    @property
    def complete(self) -> bool:
        """Every rule was evaluated and no data a verdict depends on is missing.

        Gaps in context-only sources (``CONTEXT_ONLY_SOURCES``) are reported but do not make
        the audit incomplete: no verdict depends on them. An analysis that recorded no rule
        outcomes at all is not complete.
        """
        return (
            bool(self.rule_outcomes)
            and all(outcome.evaluated for outcome in self.rule_outcomes)
            and not self.verdict_gaps
        )

    @property
    def verdict_gaps(self) -> tuple[CollectionGap, ...]:
        return verdict_gaps(self.gaps)

    @property
    def context_gaps(self) -> tuple[CollectionGap, ...]:
        """Gaps shown for context only (no verdict depends on them)."""
        return tuple(gap for gap in self.gaps if gap.source in CONTEXT_ONLY_SOURCES)
