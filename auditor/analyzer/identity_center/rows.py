"""Identity Center users as ``PrincipalRow``s: who reaches what through which permission set.

Each privileged grant is an ``AccessPath`` user → (group) → permission set → the set's
``AWSReservedSSO_`` role in the account, whose MFA gate is decided by Identity Center
(``MfaDecidedBy.IDENTITY_CENTER``): Identity Center issues the role's credentials itself and AWS
documents no ``aws:MultiFactorAuthPresent`` value for those sessions, so IAM conditions on the
set's policies prove nothing either way. Hence ``mfa_enforced`` is ``outside_iam`` and
``reach_without_mfa`` is ``unknown`` for every privileged user, until sign-in evidence or a
person's verification says more. The access graph links the same hops for the roles in this
account (``graph.edges_identity_center``); these rows also cover assignments in other accounts,
which have no role here.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyzer.evidence import actions_phrase, privileged_sample
from auditor.analyzer.identity_center.grants import Grant, UserGrants
from auditor.analyzer.rule_ids import RuleId
from auditor.models import (
    AccessPath,
    Finding,
    FindingStatus,
    MfaDecidedBy,
    MfaEnforcement,
    PrincipalRow,
    PrincipalType,
    Reach,
    Severity,
)

IC_RULE = RuleId.IDENTITY_CENTER_MFA_UNVERIFIED.value
VERIFY_FIX = (
    "Verify in the IAM Identity Center console (Settings → Authentication → Multi-factor "
    "authentication) that MFA is prompted at every sign-in and a device is required at sign-in, "
    "then record it as an identity_center_mfa_unverified exemption with an expiry"
)


def user_arn(partition: str, user_id: str) -> str:
    """The identity-store user's ARN (Service Authorization Reference, AWS Identity Store:
    resource type ``User``, ``arn:${Partition}:identitystore:::user/${UserId}``)."""
    return f"arn:{partition}:identitystore:::user/{user_id}"


def identity_center_rows(
    account_id: str, partition: str, users: Iterable[UserGrants], findings: Iterable[Finding]
) -> tuple[PrincipalRow, ...]:
    """One row per identity-store user; the open account-level Identity Center finding is
    listed on every user it counts."""
    open_finding = next(
        (f for f in findings if f.rule_id == IC_RULE and f.status is FindingStatus.OPEN), None
    )
    counted = (
        set(open_finding.evidence.get("user_names", "").split(", ")) if open_finding else set()
    )
    rows = [_row(account_id, partition, user, user.user.user_name in counted) for user in users]
    return tuple(sorted(rows, key=lambda row: (-row.exposure, row.name)))


def merge_rows(
    graph_rows: tuple[PrincipalRow, ...], identity_center: tuple[PrincipalRow, ...]
) -> tuple[PrincipalRow, ...]:
    """IAM principals' rows (from the access graph) and Identity Center users', ranked together
    as ``analyzer.exposure`` ranks: worst exposure first, then root, users, roles, the rest."""
    order = {PrincipalType.ROOT: 0, PrincipalType.USER: 1, PrincipalType.ROLE: 2}
    rows = sorted(
        graph_rows + identity_center,
        key=lambda r: (-r.exposure, order.get(r.principal_type, 3), r.name),
    )
    return tuple(rows)


def _row(account_id: str, partition: str, user: UserGrants, counted: bool) -> PrincipalRow:
    reach = user.reach
    held = user.privileged_grants()
    reaches = reach is not Reach.NONE
    return PrincipalRow(
        account_id=account_id,
        principal_type=PrincipalType.IDENTITY_CENTER_USER,
        name=user.user.user_name,
        arn=user.user.user_arn or user_arn(partition, user.user.user_id),
        privileged=user.privileged,
        reach=reach,
        privileged_via=tuple(_via(grant) for grant in held) if reaches else _disabled(user),
        reach_without_mfa=Reach.UNKNOWN if reaches else Reach.NONE,
        mfa_device_types=("unknown",),
        mfa_enforced="outside_iam" if reaches else "not_applicable",
        last_used=None,
        open_rules=(IC_RULE,) if counted else (),
        worst_severity=Severity.MEDIUM if counted else None,
        exposure={Reach.ADMIN: 2, Reach.PRIVILEGED: 2, Reach.UNKNOWN: 3}.get(reach, 0),
        fix=VERIFY_FIX if reaches else "",
        paths=tuple(_path(user.user.user_name, grant) for grant in held) if reaches else (),
    )


def _disabled(user: UserGrants) -> tuple[str, ...]:
    """A disabled user reaches nothing today; what it would regain is still worth naming."""
    if user.user.enabled:
        return ()
    return tuple(
        f"{g.via} (user disabled)" for g in user.grants if g.verdict.reach is not Reach.NONE
    )


def _via(grant: Grant) -> str:
    return grant.via if grant.verdict.reach is not Reach.UNKNOWN else f"{grant.via} (unknown)"


def _path(user_name: str, grant: Grant) -> AccessPath:
    verdict = grant.verdict
    hops = [f"identity_center_user:{user_name}"]
    if grant.group:
        hops.append(f"group:{grant.group}")
    hops.append(f"permission_set:{verdict.permission_set.name}")
    target = f"role:{verdict.role_name}" if verdict.role_name else f"account:{verdict.account_id}"
    hops.append(target)
    assessed = verdict.assessed
    sample = privileged_sample(assessed, 5) if assessed is not None else ()
    if verdict.reach is Reach.UNKNOWN:
        what = "privileges unknown (" + "; ".join(verdict.problems[:2]) + ")"
    else:
        what = actions_phrase(sample)
    readable = " → ".join(hop.replace(":", " ", 1) for hop in hops)
    return AccessPath(
        hops=tuple(hops),
        gate=assessed.verdict if assessed is not None else MfaEnforcement.UNKNOWN,
        decided_by=MfaDecidedBy.IDENTITY_CENTER,
        admin=verdict.reach is Reach.ADMIN,
        example_actions=sample,
        description=(f"{readable} in {verdict.account_id}: {what}; MFA decided by Identity Center"),
    )
