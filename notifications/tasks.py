"""Background tasks for outgoing mail."""

from django.tasks import task

# The module, not its functions: services enqueue this task, so the two import each other.
from notifications import services


@task
def deliver_email_task(email_id: int) -> str:
    """Send one queued message (idempotent: a message is sent once)."""
    return services.deliver_email(email_id=email_id)
