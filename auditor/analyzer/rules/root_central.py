"""``root_credentials_present``: the Organization manages root centrally, yet root keeps them.

Enabling centralized root access (``RootCredentialsManagement``) does not delete a member
account's existing root password, access keys or signing certificates (IAM User Guide,
"Centrally manage root access for member accounts"); until they are deleted, whoever holds them
can still sign in or call APIs as root. The fix is a privileged root task from the management
account: ``sts:AssumeRoot`` with the ``IAMDeleteRootUserCredentials`` task policy.

The check also yields the account's centralized-root-access note (which situation applies, or
why it could not be told), so every report says how root was judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.evidence import make_finding
from auditor.analyzer.refs import doc
from auditor.analyzer.root_facts import (
    centrally_managed,
    held_credentials,
    management_note,
    root_row,
)
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import Note, Rule, RuleSpec
from auditor.models import ROOT_USER_NAME, CollectionSource, Finding, PrincipalType, Severity

DELETE_TASK_POLICY = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"


def check_root_credentials_present(ctx: AnalysisContext) -> Iterator[Finding | Note]:
    row = root_row(ctx)
    note = management_note(ctx, row)
    if note is not None:
        yield note
    if not centrally_managed(ctx):
        return
    held = [item for item in held_credentials(ctx, row) if item != "an MFA device"]
    if not held:
        return
    features = ctx.snapshot.organization_features
    organization = features.organization_id if features and features.organization_id else ""
    yield make_finding(
        ctx,
        ROOT_CREDENTIALS_PRESENT,
        principal_type=PrincipalType.ROOT,
        name=ROOT_USER_NAME,
        arn=row.arn or ctx.root_arn,
        detail=(
            f"The Organization{' ' + organization if organization else ''} manages root "
            f"credentials centrally, but this account's root still holds {' and '.join(held)}."
        ),
        evidence={
            "root_credentials_management": "enabled",
            "held": ", ".join(held),
            "active_access_keys": str(row.active_access_keys),
        },
    )


ROOT_CREDENTIALS_PRESENT = RuleSpec(
    id=RuleId.ROOT_CREDENTIALS_PRESENT.value,
    title="Centrally managed root still holds a password or access keys",
    severity=Severity.HIGH,
    rationale=(
        "Central root management lets the management account run root tasks without member "
        "accounts keeping root credentials, but enabling it deletes nothing: a remaining root "
        "password or access key still opens the account as root, outside the Organization's "
        "control."
    ),
    remediation=(
        "From the management account (or the delegated administrator): "
        f"`aws sts assume-root --region us-east-1 --target-principal <account id> "
        f"--task-policy-arn arn={DELETE_TASK_POLICY}`, then with those credentials "
        "`aws iam delete-login-profile`, `aws iam delete-access-key --access-key-id <id>` for "
        "each key, and deactivate root's MFA devices.\n"
        "Or in the IAM console of the management account: Root access management → the "
        "account → Take privileged action → Delete root user credentials."
    ),
    depends_on=(CollectionSource.CREDENTIAL_REPORT, CollectionSource.ROOT_CREDENTIALS),
    references_note=(
        "No CIS AWS Foundations or Security Hub control checks root credentials left behind "
        "after central root management is enabled (IAM.6/IAM.9 treat such a root as not "
        "applicable)."
    ),
    documentation=(
        doc(
            "Centrally manage root access for member accounts",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management",
        ),
        doc(
            "Perform a privileged task on an AWS Organizations member account",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html",
        ),
    ),
)

RULES = (Rule(ROOT_CREDENTIALS_PRESENT, check_root_credentials_present),)
