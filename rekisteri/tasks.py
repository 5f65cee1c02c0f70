"""Enqueueing background tasks safely, and requeueing tasks a dead worker left behind.

Every task in the project is idempotent (re-running it has no further effect), so a task that
was interrupted can simply be run again: what must not happen is that it is forgotten.
"""

import datetime as dt
import logging

from django.db import transaction
from django.tasks import Task, TaskResultStatus
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone

logger = logging.getLogger(__name__)

# A task still "running" after this long has lost its worker (no task of ours runs this long).
STALE_AFTER = dt.timedelta(minutes=30)


def _in_database(task: Task) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend | ImmediateBackend)


def enqueue(task: Task, /, **kwargs) -> None:
    """Enqueue `task` so that it runs if, and only if, the caller's transaction commits.

    The database backend stores the task row in the caller's transaction, so the two commit
    or roll back together; the immediate backend runs the task at once, inside it. A broker
    backend (RQ, Celery) is handed the task only after the commit, so its worker never looks
    for rows that are not there yet.
    """
    if _in_database(task):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs), robust=True)


def enqueue_after_commit(task: Task, /, **kwargs) -> None:
    """Enqueue `task` once the caller's transaction has committed.

    For work that may be lost without harm (e.g. rendering a PDF ahead of its first download,
    which would otherwise render it on demand): it never runs inside the caller's transaction.
    """
    transaction.on_commit(lambda: task.enqueue(**kwargs), robust=True)


def requeue_interrupted_tasks(
    *, worker_id: str | None = None, stale_after: dt.timedelta = STALE_AFTER
) -> int:
    """Put tasks a dead worker was running back in the queue; return how many.

    With `worker_id`, every task that worker is marked as running (called as the worker
    starts, when none of them can be running); otherwise tasks running longer than
    `stale_after`. Only the database backend keeps such rows.
    """
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.running()
    if worker_id is not None:
        ids = [r.pk for r in running if r.worker_ids and r.worker_ids[-1] == worker_id]
        running = running.filter(pk__in=ids)
    else:
        running = running.filter(started_at__lt=timezone.now() - stale_after)
    count = running.update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("requeued %d interrupted tasks", count, extra={"event": "tasks_requeued"})
    return count


def in_database_backend() -> bool:
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
