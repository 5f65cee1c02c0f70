"""Privacy tasks (Django's tasks framework): the retention sweep, access packages, statement PDFs.

Each is idempotent, so a task re-run after its worker died has no further effect.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.tasks import task

from privacy.access import prune_access_packages
from privacy.retention import retention_sweep


@task
def retention_sweep_task() -> dict[str, int]:
    """Run the retention sweep; schedule daily."""
    return retention_sweep()


@task
def prune_access_packages_task() -> int:
    """Delete expired access packages and their files; schedule hourly or daily."""
    return prune_access_packages()


@task
def create_access_package_task(
    customer_id: int, request_id: int | None = None, user_id: int | None = None, since: str = ""
) -> int:
    """Build and store a customer's access package; return its id.

    A request gets one package however often this runs; without a request, a package built
    `since` the task was enqueued (ISO time) is taken as this task's own.
    """
    from customers.models import Customer
    from privacy.access import create_access_package
    from privacy.requests_models import AccessPackage, DataSubjectRequest

    customer = Customer.objects.get(pk=customer_id)
    existing = AccessPackage.objects.filter(customer=customer)
    if request_id is not None:
        existing = existing.filter(request_id=request_id)
    elif since:
        existing = existing.filter(request=None, created_at__gte=dt.datetime.fromisoformat(since))
    else:
        existing = existing.none()
    package = existing.first()
    if package is None:
        package = create_access_package(
            customer=customer,
            request=DataSubjectRequest.objects.get(pk=request_id) if request_id else None,
            user=get_user_model().objects.filter(pk=user_id).first() if user_id else None,
        )
    return package.pk


@task
def render_statement_pdfs_task(version_id: int) -> list[int]:
    """Render and store a published statement's PDF in every language (once each)."""
    from privacy.models import StatementVersion
    from privacy.statement import get_statement_pdf
    from privacy.statement_models import STATEMENT_LANGUAGES

    version = StatementVersion.objects.get(pk=version_id)
    return [get_statement_pdf(version=version, language=lang).pk for lang in STATEMENT_LANGUAGES]
