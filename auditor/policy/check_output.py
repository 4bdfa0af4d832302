"""The four ``check-policy`` outputs, chosen by ``CheckFormat``; each renders one ``CheckReport``.

Text is for people (one line per problem, the file named once); JSON for scripts; SARIF for
code scanning; JUnit for CI test reports. The exit code is the report's in every format.
"""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any

from auditor.policy.check import CheckReport
from auditor.policy.junit import junit_xml
from auditor.policy.sarif import sarif_document


class CheckFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


def render_check(report: CheckReport, fmt: CheckFormat, *, base: Path | None = None) -> str:
    """The stdout text of ``check-policy --format fmt`` (errors go to stderr separately)."""
    if fmt is CheckFormat.JSON:
        return json.dumps(check_json(report), indent=2) + "\n"
    if fmt is CheckFormat.SARIF:
        return json.dumps(sarif_document(report, base=base), indent=2) + "\n"
    if fmt is CheckFormat.JUNIT:
        return junit_xml(report)
    return "".join(f"{line}\n" for line in text_lines(report))


def text_lines(report: CheckReport) -> list[str]:
    return [
        f"{file.where(p)}: {p.severity}: {p.message}. Advice: {p.advice}"
        for file, p in report.problems
    ]


def check_json(report: CheckReport) -> dict[str, Any]:
    """``{"problems": [...], "errors": [...], "summary": {...}}`` (a public interface)."""
    return {
        "problems": [
            {
                "file": str(file.path),
                "line": file.line_of(p),
                "policy": p.policy_name,
                "statement": p.statement_id,
                "rule": p.rule,
                "severity": p.severity,
                "blocking": p.blocks,
                "message": p.message,
                "advice": p.advice,
            }
            for file, p in report.problems
        ],
        "errors": [{"file": str(file.path), "message": str(file.error)} for file in report.broken],
        "summary": {
            "problems": len(report.problems),
            "blocking": report.blocking,
            "files_checked": len(report.files) - len(report.broken),
            "exit_code": report.exit_code,
        },
    }
