"""Counts the reliability tests collect, printed at the end of the run (tests/conftest.py).

Each test adds what it tried; with pytest-xdist every worker sends its counts to the controller,
which adds them up. docs/reliability.md quotes a real run of these figures.
"""

from collections import defaultdict

FIGURES: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))


def add(section: str, target: str, **counts: int) -> None:
    """Add counts for one target of a section (faults, fuzz, names, concurrency, worker)."""
    row = FIGURES[section][target]
    for name, value in counts.items():
        row[name] = row.get(name, 0) + value


def merge(data: dict) -> None:
    """Add the counts a pytest-xdist worker sent."""
    for section, targets in data.items():
        for target, counts in targets.items():
            add(section, target, **counts)


def as_dict() -> dict:
    return {
        section: {t: dict(c) for t, c in targets.items()} for section, targets in FIGURES.items()
    }


def summary_lines(*, leave_out: tuple[str, ...] = ()) -> list[str]:
    lines = []
    for section in sorted(set(FIGURES) - set(leave_out)):
        lines.append(f"[{section}]")
        for target in sorted(FIGURES[section]):
            counts = FIGURES[section][target]
            lines.append(
                f"  {target}: " + ", ".join(f"{name}={counts[name]}" for name in sorted(counts))
            )
    return lines
