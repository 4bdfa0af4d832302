"""Reference constructors, so every mapping is spelt the same way.

Each CIS number below was checked against AWS Security Hub's "Identity and Access Management
controls" page (its "Related requirements" lines list the CIS v5.0.0 and v3.0.0 numbers per
control) and against the CIS v5.0 / v3.0 requirement texts; a rule with no verified control has
none and says why in ``references_note``. Security Hub control ids are the consolidated,
standard-agnostic ids (IAM.4, IAM.9 …), hence the version label.
"""

from __future__ import annotations

from auditor.analyzer.spec import CIS_AWS, CISA, NIST_800_63B, SECURITY_HUB, DocLink, Reference

SECURITY_HUB_VERSION = "consolidated controls"

_CIS_TITLES = {
    "MFA for root": "Ensure MFA is enabled for the 'root' user account",
    "hardware MFA for root": "Ensure hardware MFA is enabled for the 'root' user account",
    "no root access key": "Ensure no 'root' user account access key exists",
    "console MFA": (
        "Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a "
        "console password"
    ),
}


NO_CONTROL_NOTE = (
    "No CIS AWS Foundations or Security Hub control evaluates MFA conditions in policies "
    "(IAM.1 and IAM.21 judge broad grants, not MFA)."
)


def cis(version: str, control: str, topic: str, relation: str = "same check") -> Reference:
    return Reference(CIS_AWS, version, control, _CIS_TITLES[topic], relation)


def hub(control: str, title: str, relation: str = "same check") -> Reference:
    return Reference(SECURITY_HUB, SECURITY_HUB_VERSION, control, title, relation)


def doc(title: str, url: str) -> DocLink:
    return DocLink(title, url)


GLOBAL_KEYS_DOC = doc(
    "AWS global condition context keys (aws:MultiFactorAuthPresent, aws:MultiFactorAuthAge)",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
)
MFA_API_DOC = doc(
    "Secure API access with MFA",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html",
)
SELF_MANAGE_MFA_DOC = doc(
    "AWS: Allows MFA-authenticated IAM users to manage their own MFA device",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
    "reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only.html",
)
CONDITION_OPERATORS_DOC = doc(
    "IAM JSON policy elements: Condition operators",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
)
CREDENTIAL_REPORT_DOC = doc(
    "Generate credential reports for your AWS account",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
)
ENABLE_MFA_DOC = doc(
    "AWS Multi-factor authentication in IAM",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html",
)

NIST_AAL3 = Reference(
    NIST_800_63B,
    "SP 800-63B-4 (2025)",
    "AAL3",
    "Authenticator assurance level 3 requires a phishing-resistant authenticator "
    "(verifier-impersonation resistance); OTP codes do not qualify",
    "partial",
)
CISA_PHISHING_RESISTANT = Reference(
    CISA,
    "fact sheet, October 2022",
    "Implementing Phishing-Resistant MFA",
    "FIDO/WebAuthn authentication is the phishing-resistant form; app-based OTP and "
    "hardware tokens are not",
    "partial",
)
FIDO_DOC = doc(
    "Assign a passkey or security key in the AWS Management Console",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_fido.html",
)
