"""Frozen sign-in records: one parsed CloudTrail event, one principal's totals, what was read.

These are the only sign-in types that leave ``auditor.signin``: the snapshot stores
``SigninEvidence``, the rules and the principals table read it. Nothing here imports the rest
of the tool, so ``auditor.models`` can import it without a cycle.

``SigninEvidence`` present with no entry for a principal means "no sign-in in the window";
``Snapshot.signins is None`` means "not read". The two are never the same thing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class SigninKind(str, enum.Enum):
    """Who signed in, as CloudTrail's ``userIdentity`` says it."""

    IAM_USER = "iam_user"
    ROOT = "root"
    ROLE_SESSION = "role_session"
    """An assumed-role or federated session (SAML, OIDC, Identity Center's permission-set roles,
    ``GetFederationToken``). CloudTrail writes ``MFAUsed: No`` for these even when the identity
    provider did MFA, so their MFA is never judged from this event."""
    IDENTITY_CENTER = "identity_center_user"


class IcFactors(str, enum.Enum):
    """What one Identity Center sign-in (one ``AuthWorkflowID``) proved."""

    MFA = "mfa"
    """A ``TOTP`` or ``WEBAUTHN`` verification succeeded in the workflow."""
    NO_MFA = "no_mfa"
    """Only ``PASSWORD`` (or ``EMAIL_OTP``) was verified."""
    EXTERNAL_IDP = "external_idp"
    """``EXTERNAL_IDP``: the external identity provider decided MFA; CloudTrail cannot say."""
    UNKNOWN = "unknown"
    """Signed in, but no credential verification of the workflow was in what was read."""


@dataclass(frozen=True)
class SigninEvent:
    """One sign-in-related CloudTrail record, parsed once (see ``auditor.signin.parse``)."""

    kind: SigninKind
    event_name: str
    """``ConsoleLogin`` or one of Identity Center's three sign-in events."""
    account_id: str
    """The account the event was recorded in (``recipientAccountId``)."""
    name: str
    """IAM user name, ``<root_account>``, role name, or the Identity Center user name (its user
    id when the event carries no name)."""
    arn: str
    time: datetime
    region: str
    source_ip: str
    success: bool
    mfa_used: bool | None = None
    """``ConsoleLogin``'s ``MFAUsed`` for IAM users and root; ``None`` for everything else."""
    mfa_identifier: str = ""
    workflow_id: str = ""
    credential_type: str = ""
    user_id: str = ""
    """Identity Center: ``userIdentity.onBehalfOf.userId`` (the identity-store user id)."""


@dataclass(frozen=True)
class PrincipalSignins:
    """One principal's successful sign-ins inside the window, and the failed ones counted."""

    kind: SigninKind
    account_id: str
    name: str
    arn: str
    successes: int
    with_mfa: int
    without_mfa: int
    """IAM users and root: ``MFAUsed`` No; Identity Center: no second factor in the workflow."""
    failures: int
    first: datetime | None
    last: datetime | None
    last_mfa: bool | None
    """Whether the latest successful sign-in used MFA (``None``: unknown, or decided outside)."""
    first_without_mfa: datetime | None
    last_without_mfa: datetime | None
    addresses_without_mfa: tuple[str, ...]
    """Up to three source addresses of sign-ins without MFA, in the order first seen."""
    mfa_devices: tuple[str, ...] = ()
    """``MFAIdentifier`` values seen (device ARNs or serials), up to three."""
    mfa_device_types: tuple[str, ...] = ()
    """``fido`` (``u2f/``), ``virtual`` (``mfa/``) or ``hardware_totp`` (a plain serial)."""
    external_idp: int = 0
    """Identity Center sign-ins whose MFA the external identity provider decided."""
    unknown_factors: int = 0
    """Identity Center sign-ins whose verifications were not in what was read."""
    regions: tuple[str, ...] = ()
    user_id: str = ""
    credential_types: tuple[str, ...] = ()
    """Identity Center: every credential type verified in the user's successful sign-ins."""


@dataclass(frozen=True)
class RegionFailure:
    region: str
    reason: str


@dataclass(frozen=True)
class SigninCoverage:
    """What was read, for the data-completeness banner: source, window, regions, counts."""

    source: str
    """``lookup_events``, ``cloudtrail_files`` or ``athena``."""
    window_start: datetime
    window_end: datetime
    days: int
    regions_read: tuple[str, ...]
    regions_failed: tuple[RegionFailure, ...] = ()
    files_read: int = 0
    records_read: int = 0
    signin_events: int = 0
    unknown_shapes: int = 0
    """Sign-in events whose shape the parser does not know: skipped, counted, named in a note."""
    outside_window: int = 0
    other_accounts: int = 0
    """Sign-in events of other accounts (an organization trail), not attributed to this one."""
    earliest_record: datetime | None = None
    latest_record: datetime | None = None
    """Oldest and newest record read (files and Athena), to show how much of the window the
    data really covers."""
    api_calls: int = 0


@dataclass(frozen=True)
class SigninEvidence:
    """Sign-in evidence for one account: the snapshot's ``signins`` field."""

    coverage: SigninCoverage
    principals: tuple[PrincipalSignins, ...] = ()
    notes: tuple[str, ...] = ()

    def find(self, kind: SigninKind, name: str) -> PrincipalSignins | None:
        """The principal's totals; for Identity Center users ``name`` may also be the user id."""
        for entry in self.principals:
            if entry.kind is kind and (
                entry.name == name or (entry.user_id and entry.user_id == name)
            ):
                return entry
        return None

    @property
    def complete(self) -> bool:
        return not self.coverage.regions_failed
