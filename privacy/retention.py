"""Retention steps that apps outside the rights app register for the daily sweep.

The rights app's sweep (rights.retention) erases customers and prunes the records it owns; an app
whose own records outlive their retention (the API's idempotency keys and call log, import
reports) registers a step here from its `personal_data` module, beside the declaration of the
rule the step enforces. The sweep runs every registered step, so it never imports the apps above.
"""

import datetime as dt
from collections.abc import Callable
from typing import Protocol


class SweepStep(Protocol):
    def __call__(self, *, now: dt.datetime, dry_run: bool = False) -> int:
        """Prune what is past retention at `now` (or, with dry_run, count it); return how many."""
        ...


_steps: dict[str, SweepStep] = {}


def register_sweep_step(key: str, step: SweepStep) -> None:
    """Register `step` under `key`, the name the sweep's report gives its count."""
    if key in _steps and _steps[key] is not step:
        raise ValueError(f"The sweep step {key!r} is registered twice.")
    _steps[key] = step


def sweep_steps() -> list[tuple[str, Callable[..., int]]]:
    """Return the registered steps as (key, step), in registration order."""
    return list(_steps.items())
