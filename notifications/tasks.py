"""Background tasks for outgoing mail."""

from django.tasks import task

from notifications.services import deliver_email


@task
def deliver_email_task(email_id: int) -> str:
    """Send one queued message (idempotent: a message is sent once)."""
    return deliver_email(email_id=email_id)
