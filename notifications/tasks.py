"""Background tasks for outgoing mail and the daily deadline reminders."""

from django.tasks import task

from notifications.reminders import send_deadline_reminders
from notifications.services import deliver_email


@task
def deliver_email_task(email_id: int) -> str:
    """Send one queued message (idempotent: a message is sent once)."""
    return deliver_email(email_id=email_id)


@task
def send_deadline_reminders_task() -> int:
    """Mail the request handlers today's summary of requests due soon or overdue (once a day)."""
    return send_deadline_reminders()
