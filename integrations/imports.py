"""CSV imports started from the staff panel and run as background tasks."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.csv_import import ImportFileError, import_customers
from integrations.models import ImportJob

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
def enqueue_import_job(*, job: ImportJob) -> ImportJob:
    """Save an uploaded import and run it as a task once the upload is committed."""
    from integrations.tasks import run_import_job_task

    job.status = ImportJob.Status.QUEUED
    job.save()
    transaction.on_commit(lambda: run_import_job_task.enqueue(job_id=job.pk))
    return job


def run_import_job(*, job_id: int) -> ImportJob:
    """Run a queued import and store its outcome and report on the job; clear the upload."""
    job = ImportJob.objects.get(pk=job_id)
    if job.is_finished:
        return job
    try:
        report = import_customers(
            data=bytes(job.data or b""),
            dry_run=job.is_dry_run,
            progress=JobProgress(job),
            actor=job.created_by,
            audit_details={"import_job": job.pk},
        )
    except ImportFileError as exc:
        job.status = ImportJob.Status.REJECTED
        job.message = str(exc)
    except Exception:
        job.status = ImportJob.Status.FAILED
        job.message = _("Tuonti epäonnistui odottamattomasti; mitään ei tallennettu.")
        job.finished_at = timezone.now()
        job.data = None
        job.save()
        raise
    else:
        rows = report.rows if job.is_dry_run else report.rejected
        job.report = [row.as_dict() for row in rows[:MAX_REPORTED_ROWS]]
        job.total_rows = job.processed_rows = len(report.rows)
        job.created_count = report.count("create")
        job.updated_count = report.count("update")
        job.unchanged_count = report.count("unchanged")
        job.rejected_count = report.count("reject")
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
    return job
