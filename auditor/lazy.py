"""``lazy_exports``: a package's public names imported from their modules on first use (PEP 562).

A package ``__init__`` that imports every module makes importing one light submodule (the
``--format`` check, the config's settings types) pay for all of them: pandas and jinja2 for the
reporters, the whole engine for the policy package. The CLI's start-up is the time a scan
spends before its first AWS call, so those packages export lazily.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``homes`` maps each name to its submodule;
    the value found is stored in ``namespace`` (the package's globals), so it is looked up once."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    return __getattr__
