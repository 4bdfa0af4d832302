"""``check-policy --format sarif``: SARIF 2.1.0 for GitHub code scanning and other SAST viewers.

One result per problem, at the statement's line in the file, with a ``ruleId`` from
``LINT_RULES`` (whose help text code scanning shows beside the alert). Blocking gaps are
``error``; advisories ``warning`` or ``note``. Files that could not be read become tool
execution notifications, so the upload still happens and the failure is visible.
Format: OASIS SARIF 2.1.0 (``docs.oasis-open.org/sarif/sarif/v2.1.0``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.policy.check import CheckReport
from auditor.policy.lint_rules import LINT_RULES

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mfa-auditor/mfa-auditor"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def sarif_document(report: CheckReport, *, base: Path | None = None) -> dict[str, Any]:
    """The SARIF log of one run; file URIs are relative to ``base`` (default: the cwd)."""
    root = (base or Path.cwd()).resolve()
    used = sorted({problem.rule for _, problem in report.problems}, key=list(LINT_RULES).index)
    results = [
        {
            "ruleId": problem.rule,
            "ruleIndex": used.index(problem.rule),
            "level": "error" if problem.blocks else _LEVEL.get(problem.severity, "warning"),
            "message": {"text": f"{problem.message}. Advice: {problem.advice}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(file.path, root)},
                        "region": {"startLine": file.line_of(problem)},
                    },
                    "logicalLocations": [
                        {"name": problem.statement_id, "fullyQualifiedName": file.where(problem)}
                    ],
                }
            ],
        }
        for file, problem in report.problems
    ]
    notifications = [
        {
            "level": "error",
            "message": {"text": str(file.error)},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": _uri(file.path, root)}}}
            ],
        }
        for file in report.broken
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "mfa-auditor",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule_id) for rule_id in used],
            }
        },
        "results": results,
        "invocations": [
            {
                "executionSuccessful": not notifications,
                "toolExecutionNotifications": notifications,
            }
        ],
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _rule(rule_id: str) -> dict[str, Any]:
    rule = LINT_RULES[rule_id]
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.help},
        "help": {
            "text": rule.help,
            "markdown": f"{rule.help}\n\n[AWS documentation]({rule.help_uri})",
        },
        "helpUri": rule.help_uri,
    }


def _uri(path: Path, root: Path) -> str:
    """A relative URI when the file is under ``root`` (what code scanning maps to the repo)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return resolved.as_uri()
