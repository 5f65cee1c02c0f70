"""Enqueueing background tasks safely, and recovering tasks a dead worker left behind.

Every task in the project is idempotent (re-running it has no further effect), so a task that
was interrupted can simply be run again: what must not happen is that it is forgotten.
"""

import datetime as dt
import logging

from django.core.management import call_command
from django.db import transaction
from django.tasks import Task, TaskResultStatus
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# A task still "running" after this long has lost its worker (no task of ours runs this long).
STALE_AFTER = dt.timedelta(minutes=30)
# An import still queued after this long lost its task (it failed on a database error).
QUEUED_IMPORT_AFTER = dt.timedelta(minutes=10)


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


# The daily jobs, as dotted paths of tasks that take no arguments (run by `manage.py run_daily`).
DAILY_TASKS = (
    "rights.tasks.retention_sweep_task",
    "rights.tasks.send_deadline_reminders_task",
)


def recover_tasks(*, worker_id: str | None = None) -> dict[str, int]:
    """Requeue what a dead worker or a failed delivery left behind; return counts."""
    from integrations.imports import requeue_unfinished_imports
    from notifications.services import requeue_pending_emails

    counts = {
        "pending_mail": requeue_pending_emails(),
        "queued_imports": requeue_unfinished_imports(older_than=QUEUED_IMPORT_AFTER),
    }
    if _in_database_backend():
        counts["interrupted_tasks"] = requeue_interrupted_tasks(worker_id=worker_id)
    return counts


def run_daily_jobs(*, inline: bool = False) -> dict[str, str]:
    """Enqueue each daily task (or, with `inline`, run it here); return what each became.

    Safe to run more than once a day: every daily task is idempotent.
    """
    recover_tasks()
    outcome = {}
    for path in DAILY_TASKS:
        task = import_string(path)
        if inline:
            outcome[task.name] = f"done: {task.call()}"
        else:
            result = task.enqueue()
            outcome[task.name] = f"enqueued ({result.status})"
    from notifications.services import prune_sent_emails

    outcome["pruned_sent_mail_records"] = str(prune_sent_emails())
    if _in_database_backend():
        # Finished task rows hold only ids; a fortnight of them is enough to look back on.
        call_command("prune_db_task_results", min_age_days=14, verbosity=0)
    return outcome


def _in_database_backend() -> bool:
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
