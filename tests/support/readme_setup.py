"""The README's two set-up lines, read from the README itself so CI and the test cannot drift.

``.ci/run`` runs them (``python3 tests/support/readme_setup.py 1`` prints line 1), and
``tests/test_readme_setup.py`` runs them in a fresh clone with a Python that refuses global pip.
The lines are the first ``bash`` block under ``## Set-up``; it must hold exactly two commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "## Set-up"


def setup_lines(text: str) -> tuple[str, str]:
    """(install and run the demo, install the test extras and run the tests)."""
    section = text[text.index(HEADING) :]
    block = section[section.index("```bash\n") + len("```bash\n") :]
    lines = [line for line in block[: block.index("```")].splitlines() if line.strip()]
    if len(lines) != 2:
        raise ValueError(f"README {HEADING}: expected two command lines, found {len(lines)}")
    return lines[0], lines[1]


if __name__ == "__main__":
    print(setup_lines(README.read_text(encoding="utf-8"))[int(sys.argv[1]) - 1])
