"""Test-only tasks that stop at a known point the first time they run, so a test can kill the
worker there. Only tests enqueue them; the worker imports them by their dotted path."""

import time
from pathlib import Path

from django.db import connection
from django.tasks import task

from integrations.imports import run_import_job

# How long a blocked task waits to be killed; far longer than any test takes to kill it.
BLOCK_SECONDS = 120


def _block(marker: Path) -> None:
    marker.write_text("blocked")
    time.sleep(BLOCK_SECONDS)


@task
def import_blocking_in_transaction(job_id: int, marker: str) -> None:
    """Run an import job; the first time, stop inside its write transaction, rows written."""
    path = Path(marker)

    def stop_before_outcome(execute, sql, params, many, context):
        # The job's outcome is the import transaction's last write.
        outcome = sql.startswith('UPDATE "integrations_importjob"') and connection.in_atomic_block
        if outcome and not path.exists():
            _block(path)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(stop_before_outcome):
        run_import_job(job_id=job_id)


@task
def import_blocking_after_commit(job_id: int, marker: str) -> None:
    """Run an import job; the first time, stop once it has committed, before the task ends."""
    path = Path(marker)
    run_import_job(job_id=job_id)
    if not path.exists():
        _block(path)


@task
def block_once(marker: str) -> None:
    """Stop the first time it runs, until the test kills the worker; return at once later."""
    path = Path(marker)
    if not path.exists():
        _block(path)
