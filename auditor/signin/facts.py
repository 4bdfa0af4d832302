"""Per-principal sign-in facts other rules and tables use, read from ``SigninEvidence``.

``identity_center_mfa_unverified`` (the Identity Center rule) cannot see a user's MFA devices:
no public API returns them. A user whose every successful sign-in in the window used a second
factor is evidence that MFA is enforced for them; ``identity_center_mfa_proven`` is that fact,
so the rule can cite it without knowing CloudTrail.
"""

from __future__ import annotations

from auditor.signin.records import PrincipalSignins, SigninEvidence, SigninKind


def identity_center_mfa_proven(evidence: SigninEvidence | None, user: str) -> bool | None:
    """``True``: signed in at least once in the window and every sign-in used TOTP or WebAuthn.
    ``False``: some sign-in used no second factor. ``None``: sign-ins were not read, the user did
    not sign in, or MFA was decided elsewhere (an external IdP) or not visible.

    ``user`` is the identity-store user name or user id.
    """
    entry = evidence.find(SigninKind.IDENTITY_CENTER, user) if evidence else None
    if entry is None or entry.successes == 0:
        return None
    if entry.without_mfa:
        return False
    if entry.with_mfa == entry.successes:
        return True
    return None


def signin_summary(entry: PrincipalSignins) -> str:
    """``14 without MFA, 2 with, last 2026-11-30`` for tables and evidence."""
    parts = [f"{entry.without_mfa} without MFA", f"{entry.with_mfa} with MFA"]
    if entry.external_idp:
        parts.append(f"{entry.external_idp} through an external IdP")
    if entry.last is not None:
        parts.append(f"last {entry.last:%Y-%m-%d}")
    return ", ".join(parts)
