"""Queue and deliver outgoing mail through the outbox (notifications.models.OutgoingEmail)."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from customers.models import Customer

# The module, not the task: the task calls back into this module.
from notifications import tasks
from notifications.models import OutgoingEmail
from privacy.vocabulary import OUTGOING_MAIL
from rekisteri.tasks import enqueue

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status


@transaction.atomic
def queue_email(
    *,
    key: str,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    customer: Customer | None = None,
    send_before: dt.datetime | None = None,
) -> tuple[OutgoingEmail, bool]:
    """Store a message under `key` and enqueue its delivery; return (message, created).

    A key that exists already is left as it is: the message is not queued twice.

    The delivery task is enqueued in the caller's transaction, so the message is sent only if
    the change it reports is committed.
    """
    email, created = OutgoingEmail.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "subject": subject,
            "body": body,
            "customer": customer,
            "send_before": send_before,
        },
    )
    if created:
        enqueue(tasks.deliver_email_task, email_id=email.pk)
    return email, created


def _finish(email: OutgoingEmail, status: str) -> None:
    email.status = status
    email.finished_at = timezone.now()
    email.recipient = email.subject = email.body = ""
    email.save(update_fields=["status", "finished_at", "recipient", "subject", "body"])


@transaction.atomic
def deliver_email(*, email_id: int) -> str:
    """Send a pending message once and clear its content; return its status afterwards.

    The row is locked while the message is handed to the mail server, so two deliveries of the
    same message (a retried task) cannot both send it. A failure to send leaves it pending.
    """
    email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
    if email is None:
        return "missing"
    if email.status != Status.PENDING:
        return email.status
    if email.send_before is not None and email.send_before <= timezone.now():
        _finish(email, Status.DISCARDED)
        return email.status
    EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        # A stable Message-ID lets mail systems drop the copy if a delivery is ever repeated
        # after a crash between the mail server's acceptance and this commit.
        headers={"Message-ID": email.message_id},
    ).send()
    _finish(email, Status.SENT)
    logger.info("mail sent", extra={"event": "mail_sent", "task": email.kind})
    return email.status


def requeue_pending_emails(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Enqueue delivery again for messages still pending after `older_than`; return how many.

    Catches messages whose delivery task failed (mail server down) or was lost with a broker.
    Extra deliveries are harmless: deliver_email sends each message once.
    """
    now = timezone.now()
    pending = OutgoingEmail.objects.filter(
        status=Status.PENDING, created_at__lte=now - older_than
    ).values_list("pk", flat=True)
    count = 0
    for email_id in pending.iterator():
        tasks.deliver_email_task.enqueue(email_id=email_id)
        count += 1
    return count


def prune_sent_emails(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the records of messages sent or given up longer ago than OUTGOING_MAIL allows."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=OUTGOING_MAIL.in_days())
    finished = OutgoingEmail.objects.exclude(status=Status.PENDING).filter(finished_at__lt=cutoff)
    if dry_run:
        return finished.count()
    deleted, _by_model = finished.delete()
    return deleted
