"""The collector: the only code that talks to AWS, and it only reads.

``collect_snapshot`` reads one account into a frozen ``Snapshot`` through guarded clients;
``load_aws_cli_export`` builds the same record from files exported with the AWS CLI, so an account
can be audited without giving this tool credentials.
"""

from __future__ import annotations

from auditor.collector.collect import collect_snapshot
from auditor.collector.credential_report import parse_credential_report
from auditor.collector.export import load_aws_cli_export
from auditor.collector.guard import ALLOWED_OPERATIONS, install_read_only_guard
from auditor.collector.permissions import REQUIRED_IAM_POLICY
from auditor.collector.session import build_session

__all__ = [
    "ALLOWED_OPERATIONS",
    "REQUIRED_IAM_POLICY",
    "build_session",
    "collect_snapshot",
    "install_read_only_guard",
    "load_aws_cli_export",
    "parse_credential_report",
]
