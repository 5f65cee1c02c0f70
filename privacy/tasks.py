"""Scheduled privacy tasks (Django's tasks framework)."""

from django.tasks import task

from privacy.access import prune_access_packages
from privacy.retention import retention_sweep


@task
def retention_sweep_task() -> dict[str, int]:
    """Run the retention sweep; schedule daily."""
    return retention_sweep()


@task
def prune_access_packages_task() -> int:
    """Delete expired access packages and their files; schedule hourly or daily."""
    return prune_access_packages()
