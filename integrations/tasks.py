from django.tasks import task

from integrations.imports import run_import_job


@task()
def run_import_job_task(job_id: int) -> None:
    """Run a CSV import uploaded in the staff panel."""
    run_import_job(job_id=job_id)
