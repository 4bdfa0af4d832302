"""Who a trust policy lets in: its principal labels classified once, for the graph and the rules.

``trustee_place`` says where a label sits for the graph's trust index: this account's root
(``account``: the caller's identity policy decides), a user, role or session of this account
(``principal``: an edge of its own), ``*`` (``anyone``), or ``outside`` (another account, a
service, a federated provider: a terminal).

The role rules need more than this account: the MFA gap is the same when another account is
trusted. IAM User Guide, "Secure API access with MFA", "Scenario: MFA protection for
cross-account delegation", puts the MFA condition in exactly this trust policy, the one place
where the trusting account can demand MFA of another account's users. So ``iam_trustees`` keeps
every IAM principal: ``*`` (anyone), an account (root ARN or bare id), and users, roles or
assumed roles of any account and partition. Service and federated (SAML, OIDC) principals are
left out: they are not IAM users or roles and cannot prove MFA to IAM. A unique id (``AIDA…``,
``AROA…``) is what IAM shows once the principal it named was deleted; nobody can assume the
role through it, so it is left out too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from auditor.policy.types import TrustAssessment

ARN_ACCOUNT = re.compile(r"arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(.+)")
"""Any IAM or STS ARN: its account, then the rest (``user/dana``, ``root``, ``saml-provider/X``)."""
ACCOUNT_ID = re.compile(r"\d{12}")
_IAM_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:(?:iam|sts)::(\d{12}):(?:root|user/.+|role/.+|assumed-role/.+)"
)
_EVERYONE_EXCEPT = "everyone except "


def trustee_place(label: str, account_id: str) -> str:
    """``account`` (this account's root), ``principal`` (a user, role or session of this
    account), ``anyone`` (``*``, or an invalid NotPrincipal), or ``outside`` (another account,
    a service, a federated provider)."""
    if _anyone(label):
        return "anyone"
    if ACCOUNT_ID.fullmatch(label):
        return "account" if label == account_id else "outside"
    match = ARN_ACCOUNT.fullmatch(label)
    if match is None or match.group(1) != account_id:
        return "outside"
    return "account" if match.group(2) == "root" else "principal"


def _anyone(label: str) -> bool:
    return label == "*" or label.startswith(_EVERYONE_EXCEPT)


@dataclass(frozen=True)
class Trustee:
    """An IAM principal a trust policy names; ``account`` is ``None`` for anyone (``*``)."""

    principal: str
    account: str | None
    this_account: bool

    def describe(self) -> str:
        """The principal with whose it is, for one-sentence details."""
        if self.account is None:
            return f"{self.principal} (any AWS account)"
        if ACCOUNT_ID.fullmatch(self.principal):
            return f"account {self.account}" + ("" if self.this_account else " (another account)")
        if self.this_account:
            return self.principal
        return f"{self.principal} (account {self.account}, another account)"


def iam_trustees(trust: TrustAssessment, account_id: str) -> tuple[Trustee, ...]:
    """The IAM principals among ``trust.trusted_principals``, in policy order."""
    found: list[Trustee] = []
    for label in trust.trusted_principals:
        account: str | None
        if _anyone(label):
            account = None
        elif ACCOUNT_ID.fullmatch(label):
            account = label
        elif (match := _IAM_ARN.fullmatch(label)) is not None:
            account = match.group(1)
        else:
            continue
        found.append(Trustee(label, account, account == account_id))
    return tuple(found)


def assumable_by_iam(trust: TrustAssessment, account_id: str) -> bool:
    """IAM principals of this account or of another may assume the role (services excluded)."""
    return trust.assumable_by_iam_principals or bool(iam_trustees(trust, account_id))


def trusted_accounts(trustees: Sequence[Trustee]) -> str:
    """``123… (this account), 210… (another account)``, for evidence."""
    labels: list[str] = []
    for trustee in trustees:
        if trustee.account is None:
            label = "any AWS account"
        else:
            whose = "this account" if trustee.this_account else "another account"
            label = f"{trustee.account} ({whose})"
        if label not in labels:
            labels.append(label)
    return ", ".join(labels)


def fix_principals(trustees: Sequence[Trustee], root_arn: str, partition: str) -> list[str]:
    """Who the fixed trust policy should name: the same principals, ``*`` narrowed to this
    account and bare account ids written as their root ARNs."""
    principals: list[str] = []
    for trustee in trustees:
        if trustee.account is None:
            principal = root_arn
        elif ACCOUNT_ID.fullmatch(trustee.principal):
            principal = f"arn:{partition}:iam::{trustee.account}:root"
        else:
            principal = trustee.principal
        if principal not in principals:
            principals.append(principal)
    return principals or [root_arn]
