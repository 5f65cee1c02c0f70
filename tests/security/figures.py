"""Figures the security tests count as they run, summed over xdist workers at the end.

Each worker appends `{"name": ..., "count": ...}` lines to one file; the controlling process
prints the totals in the terminal summary and writes them to var/security-figures.json, from
which docs/reliability-access.md is updated.
"""

import json
import os
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
LINES = BASE_DIR / "var" / "security-figures.jsonl"
TOTALS = BASE_DIR / "var" / "security-figures.json"


def count(name: str, n: int = 1) -> None:
    """Add n to a figure of this run."""
    LINES.parent.mkdir(parents=True, exist_ok=True)
    # One short line per write, opened for appending: lines from two workers never interleave.
    with LINES.open("a") as f:
        f.write(json.dumps({"name": name, "count": n, "pid": os.getpid()}) + "\n")


def reset() -> None:
    LINES.unlink(missing_ok=True)


def totals() -> dict[str, int]:
    if not LINES.exists():
        return {}
    summed: Counter[str] = Counter()
    for line in LINES.read_text().splitlines():
        row = json.loads(line)
        summed[row["name"]] += row["count"]
    return dict(sorted(summed.items()))


def write_totals() -> dict[str, int]:
    figures = totals()
    if figures:
        TOTALS.write_text(json.dumps(figures, indent=2) + "\n")
    return figures
