"""The demo account: a sample company seeded into an embedded moto for ``mfa-auditor scan --demo``.

The flow the CLI runs::

    data = load_demo_data()
    with embedded_moto() as endpoint_url:
        session = demo_session(endpoint_url)
        seed_account(session.client("iam", endpoint_url=endpoint_url), data)
        snapshot = collect_snapshot(session, ..., endpoint_url=endpoint_url)
    snapshot = apply_demo_root(snapshot, data)

moto itself is imported only inside ``embedded_moto()``, so importing this package does not
need the ``demo`` extra; the rule ids come from ``auditor.analyzer.rule_ids``, which needs no
pandas.
"""

from __future__ import annotations

from auditor.analyzer.rule_ids import RULE_IDS
from auditor.demo.loader import DEMO_DATA, load_demo_data, parse_demo_data
from auditor.demo.model import (
    DemoAccount,
    DemoError,
    DemoGroup,
    DemoPolicy,
    DemoRole,
    DemoRoot,
    DemoUser,
    ExpectedGap,
    RootMfa,
)
from auditor.demo.root import apply_demo_root
from auditor.demo.run import collect_demo_snapshot
from auditor.demo.seed import seed_account
from auditor.demo.server import demo_session, embedded_moto

__all__ = [
    "DEMO_DATA",
    "RULE_IDS",
    "DemoAccount",
    "DemoError",
    "DemoGroup",
    "DemoPolicy",
    "DemoRole",
    "DemoRoot",
    "DemoUser",
    "ExpectedGap",
    "RootMfa",
    "apply_demo_root",
    "collect_demo_snapshot",
    "demo_session",
    "embedded_moto",
    "load_demo_data",
    "parse_demo_data",
    "seed_account",
]
