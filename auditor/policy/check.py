"""``check-policy`` as a library call: read policy files, lint them, keep what the outputs need.

The outputs (text, JSON, SARIF, JUnit) all render one ``CheckReport``, so they cannot disagree on
what was found or on the exit code. A file that cannot be read or is not a policy is kept as a
``FileCheck`` with its error: the other files are still checked, and the run exits 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.errors import AuditorError, InputError
from auditor.exit_codes import ExitCode
from auditor.fileio import read_json_text
from auditor.policy.lint import lint_policy
from auditor.policy.locate import DocumentSpots, locate_statements
from auditor.policy.types import LintProblem

if TYPE_CHECKING:
    from auditor.policy.engine import PolicyEngine

POLICY_SHAPE_HINT = (
    'a policy file holds one policy document ({"Version": "2012-10-17", "Statement": [...]}) '
    "or a JSON list of them"
)
_JSON_TYPE = {
    str: "a JSON string",
    bool: "true/false",
    int: "a JSON number",
    float: "a JSON number",
}
_INDEXED = re.compile(r"\[(\d+)\]$")


@dataclass(frozen=True)
class PolicyFile:
    """A policy file as read: its text (for line numbers) and its documents, named for reports."""

    path: Path
    text: str
    documents: tuple[tuple[str, Any], ...]


def load_policy_file(path: Path) -> PolicyFile:
    """Read a file holding one policy document or a JSON list of them.

    Raises ``InputError`` (one line, the file named once) when the file is unreadable, not
    JSON, or holds something other than policy objects (e.g. the JSON string ``"s"``).
    """
    text, data = read_json_text(path, "policy file")
    if isinstance(data, list):
        if not data:
            raise InputError(f"{path}: an empty list holds no policy", hint=POLICY_SHAPE_HINT)
        for index, item in enumerate(data):
            _require_object(item, f"{path}: item {index}")
        return PolicyFile(
            path, text, tuple((f"{path.name}[{i}]", doc) for i, doc in enumerate(data))
        )
    _require_object(data, str(path))
    return PolicyFile(path, text, ((path.name, data),))


def _require_object(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        kind = "null" if value is None else _JSON_TYPE.get(type(value), "a JSON list")
        raise InputError(f"{where} holds {kind}, not a policy object", hint=POLICY_SHAPE_HINT)


@dataclass(frozen=True)
class FileCheck:
    """One file's problems, or the error that stopped it from being checked."""

    path: Path
    problems: tuple[LintProblem, ...] = ()
    documents: tuple[DocumentSpots, ...] = ()
    error: AuditorError | None = None

    def line_of(self, problem: LintProblem) -> int:
        """The 1-based line of the problem's statement (the document's line when unknown)."""
        if not self.documents:
            return 1
        match = _INDEXED.search(problem.policy_name)
        index = int(match.group(1)) if match and len(self.documents) > 1 else 0
        document = self.documents[min(index, len(self.documents) - 1)]
        return document.line_of(problem.statement_id)

    def where(self, problem: LintProblem) -> str:
        """``path / statement``, or ``path[1] / statement`` in a list: the file named once."""
        name, policy = self.path.name, problem.policy_name
        where = f"{self.path}{policy[len(name) :]}" if policy.startswith(name) else None
        return f"{where or f'{self.path}: {policy}'} / {problem.statement_id}"


@dataclass(frozen=True)
class CheckReport:
    """Every file of one ``check-policy`` run."""

    files: tuple[FileCheck, ...]

    @property
    def problems(self) -> list[tuple[FileCheck, LintProblem]]:
        return [(file, problem) for file in self.files for problem in file.problems]

    @property
    def broken(self) -> list[FileCheck]:
        return [file for file in self.files if file.error is not None]

    @property
    def blocking(self) -> int:
        return sum(problem.blocks for _, problem in self.problems)

    @property
    def exit_code(self) -> int:
        """2 when a file could not be checked, else 3 on a blocking gap, else 0."""
        broken = self.broken
        if broken and broken[0].error is not None:
            return broken[0].error.exit_code
        return ExitCode.FINDINGS if self.blocking else ExitCode.CLEAN

    def summary(self) -> str:
        checked = len(self.files) - len(self.broken)
        return f"{len(self.problems)} problem(s), {self.blocking} blocking, in {checked} file(s)"


def check_policy_files(paths: Iterable[Path], engine: PolicyEngine) -> CheckReport:
    """Lint every file; an unreadable or malformed one is recorded, not raised."""
    return CheckReport(tuple(_check(path, engine) for path in paths))


def _check(path: Path, engine: PolicyEngine) -> FileCheck:
    try:
        loaded = load_policy_file(path)
        documents = [document for _, document in loaded.documents]
        document: Any = documents if len(documents) > 1 else documents[0]
        problems = lint_policy(document, file=str(path), policy_name=path.name, engine=engine)
    except AuditorError as error:
        return FileCheck(path, error=error)
    return FileCheck(path, tuple(problems), locate_statements(loaded.text))
