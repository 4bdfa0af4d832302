"""MFA-enforcement levels in words: badge labels, and a role card's two gates.

A role is reached by assuming it, so its card's headline verdict is how it can be reached (the
analyzer takes the better of the trust policy and the permission policies: MFA proven at either
gate suffices). A reviewer still needs both halves, e.g. "once assumed: AdministratorAccess, no
MFA condition, none needed because MFA was required to assume the role", so the card shows each
gate on its own line; the words are chosen here so the template only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.models import MfaEnforcement, PrincipalCard, PrincipalType

ENFORCEMENT_LABELS = {
    MfaEnforcement.NOT_ENFORCED: "MFA not enforced",
    MfaEnforcement.UNKNOWN: "MFA unknown (policy not evaluated)",
    MfaEnforcement.BYPASSABLE: "Bypassable with access keys",
    MfaEnforcement.AGE_UNBOUNDED: "MFA age not limited",
    MfaEnforcement.ENFORCED: "MFA enforced",
    MfaEnforcement.NOT_APPLICABLE: "No privileged actions",
}
"""Every level has a label (a test iterates the enum), so a new level cannot render blank."""


WORST_FIRST: tuple[MfaEnforcement, ...] = tuple(
    sorted(MfaEnforcement, key=lambda level: -level.rank)
)
"""Every level, worst first: the order of the filters and of the summary's enforcement list."""


def enforcement_levels() -> list[tuple[str, str]]:
    """Every level, worst first, for the users and groups filters."""
    return [(level.value, ENFORCEMENT_LABELS[level]) for level in WORST_FIRST]


REQUIRES_MFA = (MfaEnforcement.ENFORCED, MfaEnforcement.AGE_UNBOUNDED)

_TRUST_WORDS = {
    MfaEnforcement.NOT_ENFORCED: "IAM principals may assume it without MFA.",
    MfaEnforcement.UNKNOWN: (
        "The trust policy could not be evaluated: whether assuming it needs MFA is unknown."
    ),
    MfaEnforcement.BYPASSABLE: (
        "MFA is required in the console only: long-term access keys may assume it without MFA."
    ),
    MfaEnforcement.AGE_UNBOUNDED: (
        "MFA is required to assume it, with no limit on how old the MFA sign-in may be."
    ),
    MfaEnforcement.ENFORCED: "MFA is required to assume it.",
    MfaEnforcement.NOT_APPLICABLE: "No IAM principal may assume it.",
}


@dataclass(frozen=True)
class Gate:
    """One line of a role card: who may pass this gate, and whether MFA is needed there."""

    title: str
    value: str
    """The badge's class: an ``MfaEnforcement`` value, ``muted`` (another gate decides), or
    ``""`` for no badge."""
    label: str
    text: str


def role_gates(card: PrincipalCard) -> tuple[Gate, ...]:
    """The trust gate and the permissions gate of a role card; ``()`` for other cards."""
    permissions = card.permissions_enforcement
    if card.principal_type is not PrincipalType.ROLE or permissions is None:
        return ()
    trust = card.trust_enforcement
    if trust is None:
        reach = Gate(
            "To assume it (trust policy)",
            "",
            "",
            "Only services or federated users may assume it; they cannot prove MFA to IAM, "
            "so its permission policies decide.",
        )
    else:
        reach = Gate(
            "To assume it (trust policy)",
            trust.value,
            ENFORCEMENT_LABELS[trust],
            _TRUST_WORDS[trust],
        )
    # Muted when the trust policy already requires MFA: these policies need no MFA condition,
    # and a red badge there would read as a gap the headline does not have.
    covered = trust is not None and trust in REQUIRES_MFA and trust.rank < permissions.rank
    once = Gate(
        f"Once assumed ({_names(card.policies)})",
        "muted" if covered else permissions.value,
        ENFORCEMENT_LABELS[permissions],
        _permissions_words(trust, permissions),
    )
    return (reach, once)


def _permissions_words(trust: MfaEnforcement | None, permissions: MfaEnforcement) -> str:
    if trust is None or trust is permissions:
        return ""
    if trust.rank < permissions.rank and trust in REQUIRES_MFA:
        return (
            "No MFA condition is needed in these policies: MFA was required to assume the role, "
            "and the session carries it into every call."
        )
    if trust.rank < permissions.rank:
        return "Weaker than the trust policy, which decides the headline."
    return (
        "These policies refuse privileged actions to a session assumed without MFA, so they "
        "decide the headline."
    )


def _names(policies: tuple[str, ...], shown: int = 3) -> str:
    if not policies:
        return "no policy recorded"
    names = ", ".join(policies[:shown])
    rest = len(policies) - shown
    return names if rest <= 0 else f"{names} and {rest} more"
