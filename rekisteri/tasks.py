"""Enqueueing background tasks safely, and requeueing tasks a dead worker left behind.

Every task in the project is idempotent (re-running it has no further effect), so a task that
was interrupted can simply be run again: what must not happen is that it is forgotten.
"""

import datetime as dt
import hashlib
import logging

from django.db import connection, transaction
from django.tasks import Task, TaskResultStatus
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone

logger = logging.getLogger(__name__)

# A task still "running" after this long has lost its worker (no task of ours runs this long).
STALE_AFTER = dt.timedelta(minutes=30)
# A task claimed this recently may belong to a worker that has not yet taken its lock.
START_GRACE = dt.timedelta(minutes=1)

# While it lives, each database worker holds a PostgreSQL advisory lock named after its id, on a
# connection of its own that Django never closes; the server releases it the moment the
# process dies. A task marked running whose worker's lock is free was left by a worker that is
# gone. The lock's first key marks it as ours ("REKI").
_WORKER_LOCK_CLASS = 0x52454B49
_worker_lock: tuple[str, object] | None = None


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


def _worker_lock_key(worker_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(worker_id.encode(), digest_size=4).digest(), signed=True)


def hold_worker_lock(worker_id: str) -> None:
    """Take the advisory lock that tells `recover_tasks` this worker is alive (PostgreSQL only).

    Called as each task starts (`on_task_started`); the lock and its connection are kept for the
    life of the process, and taken again if that connection was lost.
    """
    global _worker_lock
    if connection.vendor != "postgresql":
        return
    if _worker_lock is not None:
        held_id, held = _worker_lock
        if held_id == worker_id and not held.closed:
            return
        held.close()
        _worker_lock = None
    held = connection.get_new_connection(connection.get_connection_params())
    held.autocommit = True
    taken = held.execute(
        "SELECT pg_try_advisory_lock(%s, %s)", [_WORKER_LOCK_CLASS, _worker_lock_key(worker_id)]
    ).fetchone()[0]
    if not taken:
        # Another live process uses the same worker id: its tasks are not ours to vouch for.
        logger.warning("worker id %s is in use by another process", worker_id)
    _worker_lock = (worker_id, held)


def on_task_started(sender, task_result, **kwargs) -> None:
    """Take the worker's liveness lock as a database worker starts a task (a signal receiver).

    Never raises: the task runs whether or not the lock could be taken (without it, the cron's
    recover_tasks may run it a second time, which every task tolerates).
    """
    from django_tasks_db import DatabaseBackend

    # django-tasks-db sends the backend instance, Django's own backends the class.
    backend = sender if isinstance(sender, type) else type(sender)
    if not (issubclass(backend, DatabaseBackend) and task_result.worker_ids):
        return
    try:
        hold_worker_lock(task_result.worker_ids[-1])
    except Exception:
        logger.exception("could not take the worker's liveness lock")


def worker_is_alive(worker_id: str) -> bool:
    """Return whether a worker still holds its liveness lock (always True off PostgreSQL)."""
    if connection.vendor != "postgresql":
        return True
    key = [_WORKER_LOCK_CLASS, _worker_lock_key(worker_id)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        if not cursor.fetchone()[0]:
            return True
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
    return False


def requeue_interrupted_tasks(
    *, worker_id: str | None = None, stale_after: dt.timedelta = STALE_AFTER
) -> int:
    """Put tasks a dead worker was running back in the queue; return how many.

    With `worker_id`, every task that worker is marked as running (called as the worker
    starts, when none of them can be running). Otherwise (cron) tasks whose worker is gone (it
    no longer holds its lock) and tasks running longer than `stale_after`. Only the database
    backend keeps such rows.
    """
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.running()
    if worker_id is not None:
        ids = [r.pk for r in running if r.worker_ids and r.worker_ids[-1] == worker_id]
    else:
        now = timezone.now()
        ids = list(running.filter(started_at__lt=now - stale_after).values_list("pk", flat=True))
        alive: dict[str, bool] = {}
        for task in running.filter(started_at__lt=now - START_GRACE).exclude(pk__in=ids):
            owner = task.worker_ids[-1] if task.worker_ids else None
            if owner is not None and owner not in alive:
                alive[owner] = worker_is_alive(owner)
            if owner is not None and not alive[owner]:
                ids.append(task.pk)
    running = running.filter(pk__in=ids)
    count = running.update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("requeued %d interrupted tasks", count, extra={"event": "tasks_requeued"})
    return count


def in_database_backend() -> bool:
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
