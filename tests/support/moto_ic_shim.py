"""``moto_server`` with the one Identity Center read moto 5.2.5 lacks answered as AWS answers it.

moto does not implement ``GetPermissionsBoundaryForPermissionSet`` (nor the write that sets a
boundary), so over HTTP it answers 500. Since no boundary can exist in moto, every set has none,
and for a set without a boundary AWS answers ``ResourceNotFoundException`` (API reference,
GetPermissionsBoundaryForPermissionSet, Errors). This shim adds exactly that answer and nothing
else; the unshimmed 500 is tested too (it is a gap). ``provision_to_targets`` fixes moto's
provisioning to the caller's account only (organization tests). Run as
``python -m tests.support.moto_ic_shim -H 127.0.0.1 -p PORT``.
"""

from __future__ import annotations

import sys


def install() -> None:
    from moto.ssoadmin.exceptions import ResourceNotFoundException
    from moto.ssoadmin.responses import SSOAdminResponse

    def get_permissions_boundary_for_permission_set(self: SSOAdminResponse) -> str:
        arn = self._get_param("PermissionSetArn")
        raise ResourceNotFoundException(f"Permissions boundary not found for {arn}")

    SSOAdminResponse.get_permissions_boundary_for_permission_set = (  # type: ignore[attr-defined]
        get_permissions_boundary_for_permission_set
    )


def provision_to_targets() -> None:
    """moto's ``ProvisionPermissionSet`` ignores ``TargetId`` ("provisioned to the caller's
    account"), so ``ListAccountsForProvisionedPermissionSet`` names the management account for
    sets assigned in member accounts. AWS provisions a set to each account it is assigned in
    (IAM Identity Center User Guide, "Permission sets"): answer with the assignments' accounts."""
    from moto.ssoadmin.models import SSOAdminBackend

    def list_accounts(
        self: SSOAdminBackend, instance_arn: str, permission_set_arn: str
    ) -> list[str]:
        return sorted(
            {
                a.target_id
                for a in self.account_assignments
                if a.instance_arn == instance_arn and a.permission_set_arn == permission_set_arn
            }
        )

    SSOAdminBackend.list_accounts_for_provisioned_permission_set = list_accounts  # type: ignore[method-assign]


if __name__ == "__main__":
    install()
    provision_to_targets()
    from moto.server import main

    main(sys.argv[1:])
