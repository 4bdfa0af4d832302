"""The ``#exposed`` section: who can do privileged things without MFA, worst first, in words.

The reviewer's first question is *who*, so the page opens with one row per exposed principal
(``PrincipalRow.exposed``), in the analyzer's ranking (``PrincipalRow.exposure``), before any
count or chart. Rows are rendered in Python, not by the page's script, so the answer is there
without JavaScript and in print. Machine values (``outside_iam``, ``hardware_or_fido``) become
words here; the CSV and JSON keep the machine values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from auditor.models import AccessPath, MfaDecidedBy, PrincipalRow, PrincipalType, Reach
from auditor.reporter.values import human_date

EXPOSED_LIMIT = 250
"""Rows drawn in the page; the rest are counted and are all in ``principals.csv``. 250
exposed principals already say what needs saying, and the page must stay quick at any size."""
EXAMPLE_ACTIONS = 3
PATHS_SHOWN = 2

TYPE_WORDS = {
    PrincipalType.USER: "IAM user",
    PrincipalType.ROLE: "role",
    PrincipalType.ROOT: "root user",
    PrincipalType.IDENTITY_CENTER_USER: "Identity Center user",
    PrincipalType.GROUP: "group",
}
REACH_WORDS = {
    Reach.ADMIN: "Admin: every action",
    Reach.PRIVILEGED: "Privileged actions",
    Reach.UNKNOWN: "Unknown (not evaluated)",
    Reach.NONE: "Nothing privileged",
}
DEVICE_WORDS = {
    "virtual": "virtual (app)",
    "fido": "FIDO security key",
    "hardware_totp": "hardware TOTP token",
    "hardware_or_fido": "hardware token or FIDO key",
    "unknown": "unknown",
}
MFA_WORDS = {
    "enforced": "enforced",
    "bypassable": "bypassable with access keys",
    "none": "not required",
    "outside_iam": "decided outside IAM",
    "unknown": "unknown",
    "not_applicable": "not applicable",
}
DECIDED_BY_WORDS = {
    MfaDecidedBy.IDENTITY_CENTER: "by Identity Center's MFA setting",
    MfaDecidedBy.EXTERNAL_IDP: "by the external identity provider",
    MfaDecidedBy.OTHER_ACCOUNT: "by the other account",
    MfaDecidedBy.NOT_HUMAN: "no person signs in on this path",
}


def type_words(kind: PrincipalType) -> str:
    return TYPE_WORDS.get(kind, kind.value.replace("_", " "))


def device_words(devices: Iterable[str]) -> str:
    """``"none"`` for no device: a reviewer must never read an empty cell as "fine"."""
    words = [DEVICE_WORDS.get(device, device.replace("_", " ")) for device in devices]
    return ", ".join(words) if words else "none"


@dataclass(frozen=True)
class ExposedRow:
    name: str
    arn: str
    type_label: str
    reach: str
    reach_class: str
    actions: tuple[str, ...]
    paths: tuple[str, ...]
    paths_hidden: int
    devices: str
    mfa: str
    mfa_class: str
    """``mfa_enforced``'s machine value, for the badge colour."""
    mfa_note: str
    last_used: str
    signin: str
    fix: str
    card: str
    """Anchor of the principal's card, or ``""``."""


def _actions(paths: tuple[AccessPath, ...]) -> tuple[str, ...]:
    seen: list[str] = []
    for path in paths:
        for action in path.example_actions:
            if action not in seen:
                seen.append(action)
    return tuple(seen[:EXAMPLE_ACTIONS])


def _mfa_note(row: PrincipalRow) -> str:
    outside = [p.decided_by for p in row.paths if p.decided_by is not MfaDecidedBy.IAM]
    if outside:
        return "MFA decided " + DECIDED_BY_WORDS[outside[0]] + ": not proven safe by IAM"
    if row.mfa_enforced == "outside_iam":
        return "IAM cannot see whether MFA is required on this path: not proven safe"
    return ""


def _when(moment: datetime | None, never: str) -> str:
    return never if moment is None else human_date(moment)


def _signin(row: PrincipalRow) -> str:
    if row.last_signin is None and row.signins_without_mfa is None:
        return ""
    text = "last sign-in " + _when(row.last_signin, "none in the window")
    if row.last_signin_mfa is not None:
        text += " with MFA" if row.last_signin_mfa else " without MFA"
    if row.signins_without_mfa:
        text += f"; {row.signins_without_mfa} without MFA in the window"
    return text


def exposed_row(row: PrincipalRow, card: str = "") -> ExposedRow:
    descriptions = tuple(path.description for path in row.paths) or tuple(row.privileged_via)
    reach = row.reach if row.reach is not Reach.NONE else row.reach_without_mfa
    return ExposedRow(
        name=row.name,
        arn=row.arn,
        type_label=type_words(row.principal_type),
        reach=REACH_WORDS[reach],
        reach_class=reach.value,
        actions=_actions(row.paths),
        paths=descriptions[:PATHS_SHOWN],
        paths_hidden=max(0, len(descriptions) - PATHS_SHOWN),
        devices=device_words(row.mfa_device_types),
        mfa=MFA_WORDS.get(row.mfa_enforced, row.mfa_enforced.replace("_", " ")),
        mfa_class=row.mfa_enforced,
        mfa_note=_mfa_note(row),
        last_used=_when(row.last_used, "never or unknown"),
        signin=_signin(row),
        fix=row.fix,
        card=card,
    )


@dataclass(frozen=True)
class ExposedView:
    rows: tuple[ExposedRow, ...]
    total: int
    admins: int
    outside_iam: int
    hidden: int
    principals: int
    """Every principal in the record (exposed or not): the denominator people ask for."""


def exposed(principals: tuple[PrincipalRow, ...], cards: dict[str, str]) -> ExposedView:
    """The exposed rows in the analyzer's order (worst first); ``cards`` maps ARN → anchor."""
    rows = [row for row in principals if row.exposed]
    return ExposedView(
        rows=tuple(exposed_row(row, cards.get(row.arn, "")) for row in rows[:EXPOSED_LIMIT]),
        total=len(rows),
        admins=sum(1 for row in rows if row.reach_without_mfa is Reach.ADMIN),
        outside_iam=sum(1 for row in rows if row.mfa_enforced == "outside_iam"),
        hidden=max(0, len(rows) - EXPOSED_LIMIT),
        principals=len(principals),
    )
