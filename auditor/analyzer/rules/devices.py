"""``unassigned_mfa_device``: virtual MFA devices created but assigned to nobody.

An unassigned device is usually an abandoned enrolment (a user who gave up half-way, so still
without MFA), sometimes a seed someone kept: either way it should be finished or deleted.
"Unassigned" means ListVirtualMFADevices gives the device no ``User``, whatever its name: a device
named ``root-account-mfa-device`` (the console's old default for root) is not root's unless it is
assigned to root, and an unassigned one is reported like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.context import AnalysisContext
from auditor.analyzer.evidence import make_finding
from auditor.analyzer.refs import ENABLE_MFA_DOC, doc
from auditor.analyzer.rule_ids import RuleId
from auditor.analyzer.spec import Rule, RuleSpec
from auditor.models import CollectionSource, Finding, PrincipalType, Severity


def check_unassigned_mfa_device(ctx: AnalysisContext) -> Iterator[Finding]:
    devices = sorted(ctx.snapshot.virtual_mfa_devices, key=lambda d: d.serial_number)
    for device in devices:
        if device.user_arn:
            continue
        name = device.serial_number.rsplit("/", 1)[-1]
        yield make_finding(
            ctx,
            UNASSIGNED_RULE,
            principal_type=PrincipalType.MFA_DEVICE,
            name=device.serial_number,
            arn=device.serial_number,
            detail=(
                f"Virtual MFA device {name} ({device.serial_number}) was created but is assigned "
                "to nobody: an abandoned enrolment or a leftover seed."
            ),
            evidence={"serial_number": device.serial_number},
        )


UNASSIGNED_RULE = RuleSpec(
    id=RuleId.UNASSIGNED_MFA_DEVICE.value,
    title="Virtual MFA device assigned to nobody",
    severity=Severity.LOW,
    rationale=(
        "A half-finished enrolment usually means a user who still has no MFA; a kept seed could "
        "be assigned later by whoever holds it. Either way the device should be finished or "
        "deleted."
    ),
    remediation=(
        "Find whose enrolment it was (the device name is usually the user name); have them "
        "finish it, or delete it: `aws iam delete-virtual-mfa-device --serial-number <arn>` "
        "(the IAM console does not list unassigned devices)."
    ),
    depends_on=(CollectionSource.VIRTUAL_MFA_DEVICES,),
    references_note="No CIS AWS Foundations or Security Hub control covers unassigned devices.",
    documentation=(
        ENABLE_MFA_DOC,
        doc(
            "ListVirtualMFADevices (AssignmentStatus Unassigned)",
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListVirtualMFADevices.html",
        ),
    ),
)

RULES = (Rule(UNASSIGNED_RULE, check_unassigned_mfa_device),)
