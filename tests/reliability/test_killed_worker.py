"""A worker killed with SIGKILL in the middle of a task: the task runs again, its effect once.

The real `manage.py db_worker` runs as a subprocess on the test database; a test-only task
(tests/reliability/worker_tasks.py) runs a CSV import job and stops at a known point, where the
test kills the worker. `recover_tasks --worker-id` (what the worker's unit runs before it starts)
puts the task back, and a worker runs it to the end.
"""

import signal
import subprocess
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from customers.models import Customer
from integrations.models import ImportJob
from privacy.models import AuditEntry
from tests.manage_subprocess import start_db_worker
from tests.reliability import figures, worker_tasks

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CSV = (
    "External ID;First name;Last name;Email\r\n"
    "kill-1;Áilu;O'Brien;ailu.kill@example.fi\r\n"
    "kill-2;Anna-Liisa;Đuđđa;anna-liisa.kill@example.fi\r\n"
).encode()


def _worker(worker_id: str) -> subprocess.Popen:
    return start_db_worker(worker_id, {"MEDIA_ROOT": str(settings.MEDIA_ROOT)})


def _wait_for(marker, worker: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert worker.poll() is None, "the worker stopped before reaching the kill point"
        assert time.monotonic() < deadline, "the task never reached its kill point"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "task",
    [worker_tasks.import_blocking_in_transaction, worker_tasks.import_blocking_after_commit],
    ids=["inside the import transaction", "after the import committed"],
)
def test_a_worker_killed_mid_import_imports_each_row_once(task, settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    job = ImportJob.objects.create(file_name="asiakkaat.csv", data=CSV)
    marker = tmp_path / "blocked"
    task.enqueue(job_id=job.pk, marker=str(marker))

    worker = _worker("palvelin-kill")
    try:
        _wait_for(marker, worker)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert DBTaskResult.objects.get().status == "RUNNING"

    counts = call_command_counts("palvelin-kill")
    assert counts["interrupted_tasks"] == 1
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    job.refresh_from_db()
    assert (job.status, job.created_count, job.data) == (ImportJob.Status.DONE, 2, None)
    imported = Customer.objects.filter(external_id__in=["kill-1", "kill-2"])
    assert sorted(imported.values_list("first_name", flat=True)) == ["Anna-Liisa", "Áilu"]
    added = AuditEntry.objects.filter(
        action=AuditEntry.Action.ADD,
        customer_id__in=imported.values("pk"),
        details__import_job=job.pk,
    )
    assert added.count() == 2
    figures.add("worker", "SIGKILL mid import", kills=1, task_runs=2, effects=1)


def call_command_counts(worker_id: str) -> dict[str, int]:
    """Run `recover_tasks --worker-id` as the worker's unit does; return its counts."""
    from io import StringIO

    out = StringIO()
    call_command("recover_tasks", worker_id=worker_id, stdout=out)
    return {
        name: int(value)
        for name, value in (line.split(": ") for line in out.getvalue().splitlines())
    }
