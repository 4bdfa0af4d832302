"""Options shared by several commands, defined once so their names and help cannot drift."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from auditor.models import Severity


class FailOn(str, enum.Enum):
    """``--fail-on``: a severity, or ``none`` (findings never make the exit code 3)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"
    NONE = "none"


def fail_on_threshold(choice: FailOn | None, default: Severity) -> Severity | None:
    """The severity that makes the exit code 3; ``None`` for ``--fail-on none``."""
    if choice is None:
        return default
    return None if choice is FailOn.NONE else Severity(choice.value)


ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="YAML config file (see config.example.yaml)."),
]
ProfileOption = Annotated[str | None, typer.Option(help="AWS named profile to use.")]
RegionOption = Annotated[str | None, typer.Option(help="AWS region for STS/IAM endpoints.")]
EndpointOption = Annotated[
    str | None,
    typer.Option("--endpoint-url", help="Send AWS requests to this endpoint (e.g. a moto_server)."),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="Write reports into this folder (default reports/<account>/<time>/)."
    ),
]
FailOnOption = Annotated[
    FailOn | None,
    typer.Option(
        "--fail-on",
        case_sensitive=False,
        help="Exit 3 when an open finding has at least this severity (default: high; none: never).",
    ),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="LIST",
        help="Comma-separated report formats: html,csv,json,ocsf,asff. With --out -, only json "
        "(the findings JSON on stdout).",
    ),
]
BaselineOption = Annotated[
    Path | None,
    typer.Option(help="A previous run's findings.json (or its folder) to diff against."),
]
ExcelOption = Annotated[
    bool,
    typer.Option(
        "--excel/--no-bom",
        help="CSVs start with a UTF-8 BOM so Excel reads non-ASCII (default); --no-bom omits it.",
    ),
]
XlsxOption = Annotated[
    bool, typer.Option("--xlsx", help="Also write report.xlsx (needs openpyxl).")
]
VerboseOption = Annotated[
    bool | None,
    typer.Option(
        "--verbose/--quiet",
        "-v/-q",
        help="-v: progress lines with timestamps; -q: print nothing unless an error (the exit "
        "code speaks). Default: progress when stderr is a terminal.",
    ),
]
IdentityCenterRegionOption = Annotated[
    str | None,
    typer.Option(
        "--identity-center-region",
        help="Region of the IAM Identity Center instance (default: the session's region).",
    ),
]
NoIdentityCenterOption = Annotated[
    bool,
    typer.Option(
        "--no-identity-center",
        help="Skip IAM Identity Center on purpose (the report says it was skipped).",
    ),
]
