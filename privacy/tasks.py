"""Scheduled privacy tasks (Django's tasks framework)."""

from django.tasks import task

from privacy.retention import retention_sweep


@task
def retention_sweep_task() -> dict[str, int]:
    """Run the retention sweep; schedule daily."""
    return retention_sweep()
