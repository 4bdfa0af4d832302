"""Allow ``python -m auditor`` so the tool runs where the console script is not on PATH."""

from auditor.cli import main

main()
