"""The lazily exporting packages (``auditor.lazy``) still give every name they list."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["auditor.policy", "auditor.reporter"])
def test_every_listed_name_resolves_from_its_module(package: str) -> None:
    module = importlib.import_module(package)
    assert sorted(module.__all__) == sorted(module._HOMES)
    for name in module.__all__:
        value = getattr(module, name)
        home = importlib.import_module(f"{package}.{module._HOMES[name]}")
        assert value is getattr(home, name)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


def test_the_format_check_does_not_import_pandas() -> None:
    """``scan`` checks ``--format`` before collecting; pandas loads when reports are written."""
    code = (
        "import sys; from auditor.reporter import parse_formats; parse_formats('html,csv'); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
