"""``warm_up_analysis`` builds, in the background, what the analysis needs first.

The privileged-action index is cached per settings (``auditor.policy.actions.privilege_model``),
so the analysis that follows a scan's collection finds it built instead of waiting for it.
"""

from __future__ import annotations

import threading

from auditor.config import AuditorConfig
from auditor.pipeline import warm_up_analysis
from auditor.policy.actions import privilege_model


def test_warm_up_builds_the_index_the_analysis_then_reuses() -> None:
    config = AuditorConfig()
    privilege_model.cache_clear()
    warm_up_analysis(config)
    workers = [t for t in threading.enumerate() if t.name == "warm-up"]
    assert workers
    assert all(t.daemon for t in workers)  # never keeps a scan from exiting
    for worker in workers:
        worker.join(timeout=60)
    assert privilege_model.cache_info().currsize == 1
    assert privilege_model(config.analysis.privilege) is privilege_model(config.analysis.privilege)
    assert privilege_model.cache_info().misses == privilege_model.cache_info().currsize == 1
