"""The rule ids: one list, importable without pandas (the demo's data-file checks need it).

The ids are a public interface (exemptions in config files, CSV columns, ``expected_gaps`` in the
demo data), so they are written once, here, in report order; the registry builds its rules from
these members and a test checks that every id has exactly one rule.
"""

from __future__ import annotations

import enum


class RuleId(str, enum.Enum):
    """Use ``.value`` where a plain ``str`` is stored (``RuleSpec.id``, ``Finding.rule_id``)."""

    ROOT_NO_MFA = "root_no_mfa"
    ROOT_NO_HARDWARE_MFA = "root_no_hardware_mfa"
    ROOT_ACCESS_KEYS = "root_access_keys"
    ROOT_CREDENTIALS_PRESENT = "root_credentials_present"
    CONSOLE_USER_NO_MFA = "console_user_no_mfa"
    PRIVILEGED_MEMBER_NO_MFA = "privileged_member_no_mfa"
    PRIVILEGED_GROUP_NO_MFA_CONDITION = "privileged_group_no_mfa_condition"
    PRIVILEGED_USER_NO_MFA_CONDITION = "privileged_user_no_mfa_condition"
    MFA_CONDITION_BYPASSABLE = "mfa_condition_bypassable"
    ROLE_ASSUMABLE_WITHOUT_MFA = "role_assumable_without_mfa"
    ROLE_MFA_DECIDED_BY_IDP = "role_mfa_decided_by_idp"
    ACCESS_KEY_PRIVILEGED_NO_MFA = "access_key_privileged_no_mfa"
    PRIVILEGED_USER_PHISHABLE_MFA = "privileged_user_phishable_mfa"
    UNASSIGNED_MFA_DEVICE = "unassigned_mfa_device"
    CONSOLE_SIGNIN_WITHOUT_MFA = "console_signin_without_mfa"
    ROOT_SIGNIN = "root_signin"
    IDENTITY_CENTER_SIGNIN_WITHOUT_MFA = "identity_center_signin_without_mfa"
    IDENTITY_CENTER_MFA_UNVERIFIED = "identity_center_mfa_unverified"
    EXEMPTION_EXPIRED = "exemption_expired"
    EXEMPTION_INVALID = "exemption_invalid"


RULE_IDS: frozenset[str] = frozenset(rule_id.value for rule_id in RuleId)

EXEMPTION_RULE_IDS: frozenset[str] = frozenset(
    {RuleId.EXEMPTION_EXPIRED.value, RuleId.EXEMPTION_INVALID.value}
)
"""Findings about the exemptions list itself: never exempted, so none can hide its own expiry."""
