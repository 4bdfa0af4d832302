"""``auditor.policy`` has no import cycles, so each module can be read (and tested) bottom-up.

Issue 9 broke the circles ``engine``↔``explain``↔``trust``, ``actions``↔``unknown``,
``coverage``↔``evaluate`` and ``group``↔``principal``. Imports are read with ``ast``, so
imports under ``TYPE_CHECKING`` and inside functions count too: a cycle hidden from the
interpreter is still a cycle for a reader.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import auditor.policy

PACKAGE = "auditor.policy"
ROOT = Path(auditor.policy.__file__).parent
MODULES = sorted(m.name for m in pkgutil.iter_modules([str(ROOT)]))


def _imports(module: str) -> set[str]:
    """The sibling modules ``module`` imports (``auditor.policy`` itself is its ``__init__``)."""
    tree = ast.parse((ROOT / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative: from .x import y
                base = f"{PACKAGE}.{base}"
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        for name in names:
            if name == PACKAGE:
                found.add("__init__")
            elif name.startswith(PACKAGE + "."):
                head = name[len(PACKAGE) + 1 :].split(".", 1)[0]
                if head in MODULES:
                    found.add(head)
    found.discard(module)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path of module names, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_on_its_own(module: str) -> None:
    imported = importlib.import_module(f"{PACKAGE}.{module}")
    assert imported.__name__ == f"{PACKAGE}.{module}"


def test_no_import_cycle_among_policy_modules() -> None:
    graph = {module: _imports(module) for module in [*MODULES, "__init__"]}
    assert graph["engine"] >= {"explain", "trust"}  # the parser sees real imports
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_public_api_is_unchanged() -> None:
    """The graph engineer and the CLI call these names (``auditor.policy.__all__``)."""
    assert set(auditor.policy.__all__) >= {
        "ActionAssessment",
        "Decision",
        "Explanation",
        "LintProblem",
        "NamedPolicy",
        "ParsedPolicy",
        "PolicyEngine",
        "PrincipalAssessment",
        "PrivilegeSettings",
        "RequestContext",
        "StatementRef",
        "TrustAssessment",
        "explanation_to_json",
        "lint_policy",
        "parse_policy_document",
    }
    for name in auditor.policy.__all__:
        assert getattr(auditor.policy, name) is not None
