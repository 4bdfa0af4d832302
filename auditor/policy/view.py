"""``EngineView``: what ``explain`` and ``trust`` need of the engine, as a protocol.

``PolicyEngine`` calls those modules and satisfies this protocol; naming the protocol instead
of the engine class keeps the import graph of ``auditor.policy`` free of cycles (a test checks).
"""

from __future__ import annotations

from typing import Protocol

from auditor.policy.actions import PrivilegeModel
from auditor.policy.clock import Clock
from auditor.policy.conditions import EvalContext


class EngineView(Protocol):
    """The engine's settings and privileged-action index, read-only."""

    @property
    def max_age(self) -> int: ...

    @property
    def age_label(self) -> str: ...

    @property
    def clock(self) -> Clock | None:
        """The audit time, when the caller gave one (date conditions are then decided)."""

    @property
    def evaluation_contexts(self) -> tuple[EvalContext, ...]: ...

    @property
    def model(self) -> PrivilegeModel: ...

    @property
    def database_version(self) -> str: ...

    def is_privileged_action(self, action: str) -> bool: ...
