"""``AuditResult.principals``: one ``PrincipalRow`` per IAM user, role and root, worst first.

The rows are what ``#exposed`` and ``principals.csv`` show, so their field meanings are the
contract documented on ``auditor.models.PrincipalRow``. They are computed after the rules ran,
from the access paths of each principal (``PrincipalPaths``) and the open findings naming it;
this module only ranks and words them, it decides no verdict of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from auditor.analyzer.context import AnalysisContext, UserFacts
from auditor.models import (
    AccessPath,
    CredentialReportRow,
    Finding,
    FindingStatus,
    MfaDecidedBy,
    MfaEnforcement,
    PrincipalRow,
    PrincipalType,
    Reach,
    Severity,
)
from auditor.records import record

REQUIRES_MFA = (MfaEnforcement.ENFORCED, MfaEnforcement.AGE_UNBOUNDED)
"""Gates under which no request without MFA gets through (a stale MFA session still needs MFA)."""
_REACH_RANK = {Reach.NONE: 0, Reach.PRIVILEGED: 1, Reach.UNKNOWN: 2, Reach.ADMIN: 3}


@record
class PrincipalPaths:
    """What the access graph says about one principal: its paths to privilege and its facts."""

    principal_type: PrincipalType
    name: str
    arn: str
    paths: tuple[AccessPath, ...]
    unknown: bool = False
    """Some policy on a path could not be read or evaluated."""
    has_mfa: bool | None = None
    device_types: tuple[str, ...] = ()
    active_keys: int = 0
    last_used: datetime | None = None


def path_reach(path: AccessPath) -> Reach:
    return Reach.ADMIN if path.admin else Reach.PRIVILEGED


def open_without_mfa(path: AccessPath) -> bool:
    """Usable without MFA proven by IAM: its IAM gate does not require MFA, on an IAM path."""
    return path.decided_by is MfaDecidedBy.IAM and path.gate not in REQUIRES_MFA


def worst_reach(reaches: Iterable[Reach]) -> Reach:
    return max(reaches, key=_REACH_RANK.__getitem__, default=Reach.NONE)


def principal_rows(
    ctx: AnalysisContext, principals: Sequence[PrincipalPaths], findings: Sequence[Finding]
) -> tuple[PrincipalRow, ...]:
    """Every principal's row, ranked by ``exposure`` (worst first), then by type and name."""
    by_arn: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.status is FindingStatus.OPEN:
            by_arn[finding.principal_arn].append(finding)
    rows = [_row(ctx, item, by_arn.get(item.arn, [])) for item in principals]
    order = {PrincipalType.ROOT: 0, PrincipalType.USER: 1, PrincipalType.ROLE: 2}
    rows.sort(key=lambda r: (-r.exposure, order.get(r.principal_type, 3), r.name))
    return tuple(rows)


def _row(ctx: AnalysisContext, item: PrincipalPaths, findings: list[Finding]) -> PrincipalRow:
    paths = item.paths
    if not paths and not item.unknown:
        return _unprivileged_row(ctx, item, findings)
    reach = worst_reach(path_reach(p) for p in paths)
    if item.unknown and reach is not Reach.ADMIN:
        reach = Reach.UNKNOWN
    open_paths = [p for p in paths if open_without_mfa(p)]
    without = worst_reach(path_reach(p) for p in open_paths)
    if item.unknown and without is Reach.NONE:
        without = Reach.UNKNOWN
    enforced = _mfa_enforced(item, paths)
    exposure = _exposure(item, paths, open_paths, reach, without)
    worst = severity_of(findings)
    return PrincipalRow(
        account_id=ctx.account_id,
        principal_type=item.principal_type,
        name=item.name,
        arn=item.arn,
        privileged=None if reach is Reach.UNKNOWN else reach is not Reach.NONE,
        reach=reach,
        privileged_via=tuple(dict.fromkeys(_via(p) for p in paths)),
        reach_without_mfa=without,
        mfa_device_types=item.device_types,
        mfa_enforced=enforced,
        last_used=item.last_used,
        open_rules=tuple(sorted({f.rule_id for f in findings})),
        worst_severity=worst,
        exposure=exposure,
        fix=_fix(item, findings, exposure),
        paths=paths,
    )


def _unprivileged_row(
    ctx: AnalysisContext, item: PrincipalPaths, findings: list[Finding]
) -> PrincipalRow:
    """``_row`` for a principal with no path to privilege and nothing unread (most users of a
    large account): every ranking field is "none", so none is computed; with no open finding
    either, there is nothing to word or fix."""
    open_rules: tuple[str, ...] = ()
    worst: Severity | None = None
    fix = ""
    if findings:
        open_rules = tuple(sorted({f.rule_id for f in findings}))
        worst = severity_of(findings)
        fix = _fix(item, findings, 0)
    return PrincipalRow(
        account_id=ctx.account_id,
        principal_type=item.principal_type,
        name=item.name,
        arn=item.arn,
        privileged=False,
        reach=Reach.NONE,
        privileged_via=(),
        reach_without_mfa=Reach.NONE,
        mfa_device_types=item.device_types,
        mfa_enforced="not_applicable",
        last_used=item.last_used,
        open_rules=open_rules,
        worst_severity=worst,
        exposure=0,
        fix=fix,
        paths=(),
    )


def _via(path: AccessPath) -> str:
    """``group:Admins (AdministratorAccess)`` or ``role:Deploy → role:Admin``: the hops after the
    principal itself (its own policies are named by the one-hop path)."""
    hops = path.hops[1:] or path.hops
    return " → ".join(hops)


def _mfa_enforced(item: PrincipalPaths, paths: Sequence[AccessPath]) -> str:
    """The weakest gate on the principal's privileged paths, in ``PrincipalRow`` words."""
    if not paths:
        return "unknown" if item.unknown else "not_applicable"
    iam = [p for p in paths if p.decided_by is MfaDecidedBy.IAM]
    gates = [p.gate for p in iam]
    if MfaEnforcement.NOT_ENFORCED in gates:
        return "none"
    if MfaEnforcement.UNKNOWN in gates or item.unknown:
        return "unknown"
    if MfaEnforcement.BYPASSABLE in gates:
        return "bypassable"
    human = [p for p in paths if p.decided_by is not MfaDecidedBy.NOT_HUMAN]
    if len(iam) < len(human):
        return "outside_iam"
    if not human:
        return "not_applicable"
    return "enforced"


def _exposure(
    item: PrincipalPaths,
    paths: Sequence[AccessPath],
    open_paths: Sequence[AccessPath],
    reach: Reach,
    without: Reach,
) -> int:
    """The ranking key documented on ``PrincipalRow.exposure``."""
    human = [p for p in paths if p.decided_by is not MfaDecidedBy.NOT_HUMAN]
    if not human and not item.unknown:
        return 0
    no_condition = [p for p in open_paths if p.gate is MfaEnforcement.NOT_ENFORCED]
    if item.has_mfa is False and any(p.admin for p in no_condition):
        return 5
    keyed = item.active_keys > 0 and any(
        p.gate in (MfaEnforcement.NOT_ENFORCED, MfaEnforcement.BYPASSABLE) for p in open_paths
    )
    if keyed or any(p.gate is MfaEnforcement.BYPASSABLE for p in open_paths):
        return 4
    if without is not Reach.NONE or reach is Reach.UNKNOWN:
        return 3
    if any(p.decided_by is not MfaDecidedBy.IAM for p in human):
        return 2
    return 1


def _fix(item: PrincipalPaths, findings: list[Finding], exposure: int) -> str:
    """The first line of the remediation of the worst open finding; else what the rank says."""
    if findings:
        worst = max(findings, key=lambda f: (f.severity.rank, f.rule_id))
        first = worst.remediation.partition("\n")[0]
        return _named(first, item, worst)
    if exposure == 2:
        return "Confirm that the identity provider or Identity Center requires MFA for this path."
    if exposure >= 3 and item.principal_type is PrincipalType.USER and item.has_mfa is not True:
        return "Enrol an MFA device and require MFA in the policies that grant the privilege."
    if exposure >= 3 and item.principal_type is PrincipalType.USER:
        return "Require MFA in the policies that grant the privilege (the card shows the policy)."
    if exposure >= 3:
        return "Require MFA in the trust policy of the roles on this principal's paths."
    return ""


_PLACEHOLDER = {PrincipalType.USER: "<user>", PrincipalType.ROLE: "<role>"}
"""The placeholder a rule's remediation uses for the principal a row is about."""


def _named(step: str, item: PrincipalPaths, finding: Finding) -> str:
    """``step`` with the row's principal (and the finding's group) in place of the placeholders.

    A rule's remediation is written for every principal, so it says ``<user>``; a row is about
    one principal, whose name the reader would otherwise have to look up and type in. The
    rule texts stay generic because findings carry them as they are.
    """
    placeholder = _PLACEHOLDER.get(item.principal_type)
    if placeholder:
        step = step.replace(placeholder, item.name)
    if finding.group_name:
        step = step.replace("<group>", finding.group_name)
    return step


def user_facts_fields(
    facts: UserFacts,
) -> tuple[bool | None, tuple[str, ...], int, datetime | None]:
    """``has_mfa``, device types, active keys and last use of a user, as rows show them."""
    devices = facts.device_kinds
    kinds = tuple([kind.value for kind in devices]) if devices else ()
    if not kinds and facts.has_mfa is None:
        kinds = ("unknown",)
    return facts.has_mfa, kinds, facts.active_keys or 0, last_used(facts.row)


def last_used(row: CredentialReportRow | None) -> datetime | None:
    """The latest of password last used and both access keys' last use."""
    if row is None:
        return None
    latest: datetime | None = None
    for value in (
        row.password_last_used,
        row.access_key_1.last_used_date,
        row.access_key_2.last_used_date,
    ):
        if isinstance(value, datetime) and (latest is None or value > latest):
            latest = value
    return latest


def severity_of(findings: Sequence[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)


def graph_paths(ctx: AnalysisContext) -> list[PrincipalPaths]:
    """Every IAM user, role and root with its access paths from the graph."""
    access = ctx.access
    items: list[PrincipalPaths] = []
    for facts in ctx.users:
        if facts.user is None:
            continue
        has_mfa, kinds, keys, used = user_facts_fields(facts)
        effective = ctx.privilege.user_effective(facts.name)
        paths = access.user_paths(facts.name, keys=facts.active_keys != 0)
        unknown = effective.fails_closed or bool(effective.problems)
        row = PrincipalPaths(
            PrincipalType.USER, facts.name, facts.arn, paths, unknown, has_mfa, kinds, keys, used
        )
        items.append(row)
    for role in ctx.snapshot.roles:
        assessed = ctx.privilege.role(role.name)
        unknown = assessed.fails_closed or ctx.privilege.trust(role.name).trust is None
        paths = access.role_paths(role)
        items.append(PrincipalPaths(PrincipalType.ROLE, role.name, role.arn, paths, unknown))
    items.append(root_paths(ctx))
    return items


def root_paths(ctx: AnalysisContext) -> PrincipalPaths:
    """Root can do everything; MFA protects its sign-in, never its access keys."""
    report = ctx.snapshot.credential_report
    row = report.root if report is not None else None
    devices = list(ctx.root_devices)
    has_mfa: bool | None = None if row is None else row.mfa_active or bool(devices)
    if devices:
        kinds: tuple[str, ...] = ("virtual",)
    elif has_mfa:
        kinds = ("hardware_or_fido",)
    else:
        kinds = ("unknown",) if has_mfa is None else ()
    keys = row.active_access_keys if row is not None else 0
    if has_mfa is None:
        gate = MfaEnforcement.UNKNOWN
    elif not has_mfa or keys:
        gate = MfaEnforcement.NOT_ENFORCED if not has_mfa else MfaEnforcement.BYPASSABLE
    else:
        gate = MfaEnforcement.ENFORCED
    path = AccessPath(
        hops=("root",),
        gate=gate,
        decided_by=MfaDecidedBy.IAM,
        admin=True,
        example_actions=("*",),
        description=f"root: every action (*); {gate_words(gate)}",
    )
    return PrincipalPaths(
        PrincipalType.ROOT,
        "root",
        ctx.root_arn,
        (path,),
        False,
        has_mfa,
        kinds,
        keys,
        last_used(row),
    )


def gate_words(gate: MfaEnforcement) -> str:
    return {
        MfaEnforcement.NOT_ENFORCED: "no MFA required",
        MfaEnforcement.UNKNOWN: "MFA requirement unknown",
        MfaEnforcement.BYPASSABLE: "MFA required in the console only (access keys bypass it)",
        MfaEnforcement.AGE_UNBOUNDED: "MFA required (no age limit)",
        MfaEnforcement.ENFORCED: "MFA required",
        MfaEnforcement.NOT_APPLICABLE: "no gate",
    }[gate]
