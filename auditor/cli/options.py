"""Options shared by several commands, defined once so their names and help cannot drift."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auditor.models import Severity

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
    Severity | None,
    typer.Option(
        "--fail-on",
        case_sensitive=False,
        help="Exit 3 when an open finding has at least this severity (default: high).",
    ),
]
BaselineOption = Annotated[
    Path | None,
    typer.Option(help="A previous run's findings.json (or its folder) to diff against."),
]
ExcelOption = Annotated[bool, typer.Option("--excel", help="Add a UTF-8 BOM to CSVs for Excel.")]
XlsxOption = Annotated[
    bool, typer.Option("--xlsx", help="Also write report.xlsx (needs openpyxl).")
]
VerboseOption = Annotated[
    bool | None,
    typer.Option(
        "--verbose/--quiet",
        "-v/-q",
        help="Force progress lines on or off (default: on when stderr is a terminal).",
    ),
]
