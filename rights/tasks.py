"""Rights tasks (Django's tasks framework): the retention sweep, access packages, reminders.

Each is idempotent, so a task re-run after its worker died has no further effect.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.tasks import task

from customers.models import Customer
from rights.access import create_access_package, prune_access_packages
from rights.models import AccessPackage, DataSubjectRequest
from rights.reminders import send_deadline_reminders
from rights.retention import retention_sweep


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
            case=DataSubjectRequest.objects.get(pk=request_id) if request_id else None,
            user=get_user_model().objects.filter(pk=user_id).first() if user_id else None,
        )
    return package.pk


@task
def send_deadline_reminders_task() -> int:
    """Mail the request handlers today's summary of requests due soon or overdue (once a day)."""
    return send_deadline_reminders()
