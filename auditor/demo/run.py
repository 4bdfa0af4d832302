"""The whole demo collection: seed the sample company into an embedded moto, collect it with the
real collector over HTTP, and add root's row from the data file (visibly, see ``root.py``).

Lives here rather than in the pipeline because it is the only place that writes to an AWS
endpoint (the seeder's deliberately unguarded client), and that must stay inside the demo.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from auditor.config import CollectorSettings, Exemption
from auditor.models import Snapshot


def collect_demo_snapshot(
    settings: CollectorSettings, *, progress: Callable[[str], None] | None = None
) -> tuple[Snapshot, tuple[Exemption, ...]]:
    """The demo account's snapshot (``source="demo"``) and the data file's exemptions."""
    from auditor.collector import collect_snapshot
    from auditor.demo.loader import load_demo_data
    from auditor.demo.root import apply_demo_root
    from auditor.demo.seed import seed_account
    from auditor.demo.server import demo_session, embedded_moto

    data = load_demo_data()
    with embedded_moto() as endpoint_url:
        session = demo_session(endpoint_url)
        if progress:
            progress(f"demo: seeding the sample company into moto at {endpoint_url}")
        seed_account(session.client("iam", endpoint_url=endpoint_url), data)
        snapshot = collect_snapshot(session, settings, endpoint_url=endpoint_url, progress=progress)
    return dataclasses.replace(apply_demo_root(snapshot, data), source="demo"), data.exemptions
