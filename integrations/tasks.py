from django.tasks import task

# The module, not its functions: imports enqueue this task, so the two import each other.
from integrations import imports


@task()
def run_import_job_task(job_id: int) -> None:
    """Run a CSV import uploaded in the staff panel."""
    imports.run_import_job(job_id=job_id)
