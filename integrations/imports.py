"""CSV imports started from the staff panel and run as background tasks."""

import datetime as dt

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# The module, not the task: the task calls back into this module.
from integrations import tasks
from integrations.csv_import import ImportFileError, ImportReport, import_customers
from integrations.models import ImportJob, ImportMapping
from rekisteri.tasks import enqueue

# Stored reports are capped: a file of 100,000 bad rows needs its first reasons, not all of them.
MAX_REPORTED_ROWS = 2000
PROGRESS_EVERY = 5000


class JobProgress:
    """Write the check's progress to the job row; outside the import's transaction, so the
    staff panel sees it while the task runs."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.done = 0
        self.reported = 0

    def start(self, total: int) -> None:
        ImportJob.objects.filter(pk=self.job.pk).update(
            status=ImportJob.Status.CHECKING, total_rows=total, processed_rows=0
        )

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.done - self.reported >= PROGRESS_EVERY:
            self.reported = self.done
            ImportJob.objects.filter(pk=self.job.pk).update(processed_rows=self.done)

    def writing(self) -> None:
        ImportJob.objects.filter(pk=self.job.pk).update(
            status=ImportJob.Status.WRITING, processed_rows=self.done
        )


@transaction.atomic
def enqueue_import_job(*, job: ImportJob, save_mapping_as: str = "") -> ImportJob:
    """Save an uploaded import and run it as a task if, and only if, the upload commits.

    With `save_mapping_as`, the job's column mapping is kept under that name for later files.
    """
    job.status = ImportJob.Status.QUEUED
    job.save()
    if save_mapping_as and job.mapping:
        ImportMapping.objects.create(
            name=save_mapping_as, columns=job.mapping, created_by=job.created_by
        )
    enqueue(tasks.run_import_job_task, job_id=job.pk)
    return job


class _AlreadyImported(Exception):
    """Another run of the same job committed first; this run's write is rolled back."""


def _store_outcome(job: ImportJob, report: ImportReport) -> None:
    rows = report.rows if job.is_dry_run else report.rejected
    job.report = [row.as_dict() for row in rows[:MAX_REPORTED_ROWS]]
    job.total_rows = job.processed_rows = len(report.rows)
    job.created_count = report.count("create")
    job.updated_count = report.count("update")
    job.unchanged_count = report.count("unchanged")
    job.rejected_count = report.count("reject")
    job.columns = {
        "source": report.source,
        "kind": report.kind,
        # Pairs, not an object: jsonb would sort the file's columns by name.
        "used": list(report.columns.items()),
        "unknown": report.ignored_columns,
        "skipped": report.skipped_columns,
    }
    if report.rejected and not job.is_dry_run:
        job.status = ImportJob.Status.REJECTED
        job.message = _("%(count)s riviä hylättiin; mitään ei tallennettu.") % {
            "count": len(report.rejected)
        }
    else:
        job.status = ImportJob.Status.DONE
        job.message = report.summary()
    job.finished_at = timezone.now()
    job.data = None
    job.save()


def _store_written(job: ImportJob, report: ImportReport) -> None:
    """Record a written import's outcome in the import's own transaction, once."""
    # The lock makes a second run of the same job (a retried task) wait, then see it done.
    if ImportJob.objects.select_for_update().get(pk=job.pk).is_finished:
        raise _AlreadyImported
    _store_outcome(job, report)


def run_import_job(*, job_id: int) -> ImportJob:
    """Run a queued import and store its outcome and report on the job; clear the upload.

    The rows and the job's outcome commit together: a run interrupted anywhere leaves either
    both or neither, and a database error leaves the job queued with its file, so running it
    again (the task retried, or `recover_tasks`) completes it exactly once.
    """
    job = ImportJob.objects.get(pk=job_id)
    if job.is_finished:
        return job
    queued = {
        "status": job.status,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
    }
    try:
        report = import_customers(
            data=bytes(job.data or b""),
            dry_run=job.is_dry_run,
            progress=JobProgress(job),
            actor=job.created_by,
            audit_details={"import_job": job.pk},
            on_written=lambda report: _store_written(job, report),
            mapping=job.mapping or None,
            source=_("Tiedosto %(name)s") % {"name": job.file_name},
        )
    except _AlreadyImported:
        return ImportJob.objects.get(pk=job_id)
    except ImportFileError as exc:
        job.status = ImportJob.Status.REJECTED
        job.message = str(exc)
    except DatabaseError:
        # Nothing was written (the write is one transaction): put the job back as it was, with
        # its file, for the retry. If the database is still away this fails too, which is fine.
        ImportJob.objects.filter(pk=job.pk).update(**queued)
        raise
    except Exception:
        job.status = ImportJob.Status.FAILED
        job.message = _("Tuonti epäonnistui odottamattomasti; mitään ei tallennettu.")
        job.finished_at = timezone.now()
        job.data = None
        job.save()
        raise
    else:
        if not report.written:
            # A dry run or a rejected file: only the job row changes, in one statement.
            _store_outcome(job, report)
        return job
    job.finished_at = timezone.now()
    job.data = None
    job.save()
    return job


def requeue_unfinished_imports(*, older_than: dt.timedelta) -> int:
    """Enqueue again the imports left queued (their task failed on a database error)."""
    waiting = ImportJob.objects.filter(
        status=ImportJob.Status.QUEUED, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for job_id in waiting.iterator():
        tasks.run_import_job_task.enqueue(job_id=job_id)
        count += 1
    return count
