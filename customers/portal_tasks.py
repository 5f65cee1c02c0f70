"""Mail sent by the portal, as a task so that no request waits for the mail server."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task


@task
def send_portal_mail(*, to: str, subject: str, body: str) -> None:
    """Send one plain-text message from the portal."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
