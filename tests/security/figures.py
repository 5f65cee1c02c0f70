"""Figures the security tests count as they run, summed over xdist workers at the end.

They are kept with the reliability figures (tests/reliability/figures.py, which carries them
from the workers to the controlling process) under their own section; the controller prints
the totals in the terminal summary and writes them to var/security-figures.json, from which
docs/reliability-access.md is updated.
"""

import json
from pathlib import Path

from tests.reliability import figures as shared

SECTION = "security"
TOTALS = Path(__file__).resolve().parents[2] / "var" / "security-figures.json"


def count(name: str, n: int = 1) -> None:
    """Add n to a figure of this run."""
    shared.add(SECTION, name, count=n)


def totals() -> dict[str, int]:
    return {name: c["count"] for name, c in sorted(shared.FIGURES.get(SECTION, {}).items())}


def write_totals() -> dict[str, int]:
    figures = totals()
    if figures:
        TOTALS.parent.mkdir(parents=True, exist_ok=True)
        TOTALS.write_text(json.dumps(figures, indent=2) + "\n")
    return figures
