"""What enforces each retention rule: the daily sweep's steps, and rules kept by an event.

A retention rule the statement declares (privacy.declaration.Retention) is a promise; this
registry is where its mechanism is named. An app registers, beside the rule in its
`personal_data.py`:

- a sweep step — a function `(now=, dry_run=) -> int` that deletes or anonymises what is past the
  rule at `now` (or counts it) — run daily by the retention sweep (rights.retention), under the
  key its count is reported by; or
- an event enforcement — the function that ends the retention when something happens (a
  suppressed address given a new consent, a restriction list replaced by its next import).

`privacy.checks` fails when a declared rule has no enforcement (privacy.E006), or a registered
enforcement names a rule that no field declares (privacy.E007). The sweep imports no app above it:
it runs whatever is registered here.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from privacy.declaration import Retention


class SweepStep(Protocol):
    def __call__(self, *, now: dt.datetime, dry_run: bool = False) -> int:
        """Prune what is past retention at `now` (or, with dry_run, count it); return how many."""
        ...


@dataclass(frozen=True)
class Enforcement:
    """One mechanism that keeps a retention rule: a sweep step, or a function run on an event."""

    rules: tuple[Retention, ...]
    key: str
    step: SweepStep | None = None
    by: Callable | None = None

    @property
    def mechanism(self) -> str:
        """Return the dotted name of the function that enforces the rule."""
        function = self.step or self.by
        return f"{function.__module__}.{function.__qualname__}"


_enforcements: dict[str, Enforcement] = {}


def _register(enforcement: Enforcement) -> None:
    existing = _enforcements.get(enforcement.key)
    if existing is not None and existing != enforcement:
        raise ValueError(f"The retention enforcement {enforcement.key!r} is registered twice.")
    _enforcements[enforcement.key] = enforcement


def register_sweep_step(key: str, step: SweepStep, *, rules: tuple[Retention, ...]) -> None:
    """Run `step` in the daily sweep to enforce `rules`; its count is reported under `key`."""
    _register(Enforcement(rules=tuple(rules), key=key, step=step))


def register_event_enforcement(rule: Retention, *, by: Callable) -> None:
    """Record that `by` ends `rule`'s retention when its event happens (no sweep needed)."""
    key = f"{rule.key}:{by.__module__}.{by.__qualname__}"
    _register(Enforcement(rules=(rule,), key=key, by=by))


def sweep_steps() -> list[tuple[str, SweepStep]]:
    """Return the registered sweep steps as (key, step), in registration order."""
    return [(e.key, e.step) for e in _enforcements.values() if e.step is not None]


def enforcements() -> list[Enforcement]:
    """Return every registered enforcement, in registration order."""
    return list(_enforcements.values())


def enforcements_of(rule: Retention) -> list[Enforcement]:
    """Return what enforces one rule."""
    return [e for e in _enforcements.values() if rule in e.rules]
