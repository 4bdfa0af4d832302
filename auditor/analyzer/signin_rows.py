"""Sign-in columns of the principals table: ``last_signin``, ``last_signin_mfa``,
``signins_without_mfa`` on each ``PrincipalRow`` that sign-in evidence covers.

Call ``with_signins(rows, snapshot.signins)`` once the rows exist. Without evidence every row
keeps ``None`` in all three ("not read"). With evidence, a principal that did not sign in gets
``signins_without_mfa = 0`` and ``last_signin = None``: read, and no sign-in in the window.
Role rows get ``last_signin`` only: CloudTrail's ``MFAUsed`` is meaningless for role sessions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from auditor.models import PrincipalRow, PrincipalType
from auditor.signin.records import PrincipalSignins, SigninEvidence, SigninKind

_KINDS = {
    PrincipalType.USER: SigninKind.IAM_USER,
    PrincipalType.ROOT: SigninKind.ROOT,
    PrincipalType.ROLE: SigninKind.ROLE_SESSION,
    PrincipalType.IDENTITY_CENTER_USER: SigninKind.IDENTITY_CENTER,
}
_ROOT_NAME = "<root_account>"


def with_signins(
    rows: Iterable[PrincipalRow], evidence: SigninEvidence | None
) -> tuple[PrincipalRow, ...]:
    """``rows`` with their sign-in fields filled from ``evidence`` (unchanged when ``None``)."""
    if evidence is None:
        return tuple(rows)
    return tuple(_fill(row, evidence) for row in rows)


def _fill(row: PrincipalRow, evidence: SigninEvidence) -> PrincipalRow:
    kind = _KINDS.get(row.principal_type)
    if kind is None:
        return row
    entry = _entry(row, kind, evidence)
    if kind is SigninKind.ROLE_SESSION:
        return dataclasses.replace(row, last_signin=entry.last if entry else None)
    if entry is None:
        return dataclasses.replace(
            row, last_signin=None, last_signin_mfa=None, signins_without_mfa=0
        )
    return dataclasses.replace(
        row,
        last_signin=entry.last,
        last_signin_mfa=entry.last_mfa,
        signins_without_mfa=entry.without_mfa,
    )


def _entry(
    row: PrincipalRow, kind: SigninKind, evidence: SigninEvidence
) -> PrincipalSignins | None:
    if kind is SigninKind.ROOT:
        return evidence.find(kind, _ROOT_NAME)
    found = evidence.find(kind, row.name)
    if found is None and kind is SigninKind.IDENTITY_CENTER and "user/" in row.arn:
        # arn:aws:identitystore:::user/<user id>: events may name the user by id only
        found = evidence.find(kind, row.arn.rsplit("user/", 1)[-1])
    return found
