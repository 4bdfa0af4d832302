"""``check-policy --format junit``: JUnit XML, which every CI system shows as test results.

One test suite per file and one test case per statement that has problems, plus one passing
case per file without any: a failure per blocking gap (the build's red), and advisories as
``system-out`` text so they are visible without failing. A file that could not be read is one
case with an ``error``. The shape follows the JUnit XML that Jenkins, GitLab and GitHub
reporters read (``testsuites`` / ``testsuite`` / ``testcase`` / ``failure``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from auditor.policy.check import CheckReport, FileCheck
from auditor.policy.types import LintProblem


def junit_xml(report: CheckReport) -> str:
    """The XML document (UTF-8 declaration included) for one ``check-policy`` run."""
    suites = ET.Element("testsuites", name="mfa-auditor check-policy")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for file in report.files:
        suite = _suite(file)
        suites.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _suite(file: FileCheck) -> ET.Element:
    suite = ET.Element("testsuite", name=str(file.path))
    if file.error is not None:
        case = ET.SubElement(suite, "testcase", name=str(file.path), classname=str(file.path))
        ET.SubElement(case, "error", message=str(file.error), type="InputError")
        _counts(suite, tests=1, failures=0, errors=1)
        return suite
    by_statement: dict[str, list[LintProblem]] = defaultdict(list)
    for problem in file.problems:
        by_statement[file.where(problem)].append(problem)
    if not by_statement:
        ET.SubElement(suite, "testcase", name=f"{file.path}: no problems", classname=str(file.path))
    failures = 0
    for where, problems in by_statement.items():
        case = ET.SubElement(suite, "testcase", name=where, classname=str(file.path))
        for problem in problems:
            text = f"{problem.message}. Advice: {problem.advice}"
            if problem.blocks:
                failures += 1
                failure = ET.SubElement(case, "failure", message=problem.message, type=problem.rule)
                failure.text = f"line {file.line_of(problem)}: {text}"
        advisories = [p for p in problems if not p.blocks]
        if advisories:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(f"{p.severity} [{p.rule}]: {p.message}" for p in advisories)
    _counts(suite, tests=max(1, len(by_statement)), failures=failures, errors=0)
    return suite


def _counts(suite: ET.Element, *, tests: int, failures: int, errors: int) -> None:
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
