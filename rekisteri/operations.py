"""Recovering what a dead worker or a failed delivery left behind, and the daily jobs.

This module knows every app's recovery and daily work, so it sits at the top with the URLs and
the management commands: no app imports it.
"""

import datetime as dt

from django.core.management import call_command

from integrations.imports import requeue_unfinished_imports
from notifications.services import prune_sent_emails, requeue_pending_emails
from rekisteri.tasks import in_database_backend, requeue_interrupted_tasks
from rights.ledger import catch_up_ledger_file
from rights.tasks import retention_sweep_task, send_deadline_reminders_task

# An import still queued after this long lost its task (it failed on a database error).
QUEUED_IMPORT_AFTER = dt.timedelta(minutes=10)

# The daily jobs: tasks that take no arguments (run by `manage.py run_daily`).
DAILY_TASKS = (retention_sweep_task, send_deadline_reminders_task)


def recover_tasks(*, worker_id: str | None = None) -> dict[str, int]:
    """Requeue what a dead worker or a failed delivery left behind; return counts.

    Also appends to the erasure ledger file any erasure a failed write left out of it.
    """
    counts = {
        "pending_mail": requeue_pending_emails(),
        "queued_imports": requeue_unfinished_imports(older_than=QUEUED_IMPORT_AFTER),
    }
    if in_database_backend():
        counts["interrupted_tasks"] = requeue_interrupted_tasks(worker_id=worker_id)
    # Last: it fails (loudly) while the ledger file cannot be written.
    counts["ledger_lines_caught_up"] = catch_up_ledger_file()
    return counts


def run_daily_jobs(*, inline: bool = False) -> dict[str, str]:
    """Enqueue each daily task (or, with `inline`, run it here); return what each became.

    Safe to run more than once a day: every daily task is idempotent.
    """
    recover_tasks()
    outcome = {}
    for task in DAILY_TASKS:
        if inline:
            outcome[task.name] = f"done: {task.call()}"
        else:
            result = task.enqueue()
            outcome[task.name] = f"enqueued ({result.status})"
    outcome["pruned_sent_mail_records"] = str(prune_sent_emails())
    if in_database_backend():
        # Finished task rows hold only ids; a fortnight of them is enough to look back on.
        call_command("prune_db_task_results", min_age_days=14, verbosity=0)
    return outcome
