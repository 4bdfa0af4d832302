"""IAM Identity Center in the analysis: what each permission set grants in each account
(``sets``), who holds it (``grants``), and the principal rows of Identity Center users (``rows``).

Everything here is pure: the collector read Identity Center into the snapshot, and the policy
engine judges the permission sets' documents as it judges any IAM principal's.
"""

from __future__ import annotations

from auditor.analyzer.identity_center.sets import PermissionSetIndex, SetVerdict

__all__ = ["PermissionSetIndex", "SetVerdict"]
