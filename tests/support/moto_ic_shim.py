"""``moto_server`` with the one Identity Center read moto 5.2.5 lacks answered as AWS answers it.

moto does not implement ``GetPermissionsBoundaryForPermissionSet`` (nor the write that sets a
boundary), so over HTTP it answers 500. Since no boundary can exist in moto, every set has none,
and for a set without a boundary AWS answers ``ResourceNotFoundException`` (API reference,
GetPermissionsBoundaryForPermissionSet, Errors). This shim adds exactly that answer and nothing
else; the unshimmed 500 is tested too (it is a gap). Run as ``python -m tests.support.moto_ic_shim
-H 127.0.0.1 -p PORT``.
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


if __name__ == "__main__":
    install()
    from moto.server import main

    main(sys.argv[1:])
