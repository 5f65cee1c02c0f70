"""Mail for the staff who handle data-subject requests, and the decision letters to requesters.

Staff mail names requests by reference, kind and deadline only, never by the person: mail
leaves the register's access control and audit log, so it carries a link instead of the data.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import OutgoingEmail
from notifications.services import queue_email
from rights.models import DataSubjectRequest

# Requests due within this many days are in the daily summary, beside the overdue ones.
REMINDER_HORIZON_DAYS = 7
# Holding this permission is what makes a staff member a request handler.
HANDLER_PERMISSION = "rights.change_datasubjectrequest"


def request_handlers() -> QuerySet:
    """Return the active staff members with an email address who may handle requests."""
    return (
        get_user_model()
        .objects.with_perm(
            HANDLER_PERMISSION,
            include_superusers=True,
            backend="staff.auth_backends.ModelBackendOneQuery",
        )
        .filter(is_staff=True)
        .exclude(email="")
        .order_by("pk")
    )


def _admin_url(case: DataSubjectRequest) -> str:
    path = reverse("admin:rights_datasubjectrequest_case", args=[case.pk])
    return settings.SITE_URL.rstrip("/") + path


def _line(case: DataSubjectRequest, today: dt.date) -> dict:
    return {
        "reference": case.reference,
        "kind": case.get_kind_display(),
        "status": case.get_status_display(),
        "due_date": case.due_date,
        "days_late": max(0, (today - case.due_date).days),
        "url": _admin_url(case),
    }


def due_requests(*, today: dt.date) -> tuple[list[DataSubjectRequest], list[DataSubjectRequest]]:
    """Return the open requests that are overdue and those due within the horizon."""
    horizon = today + dt.timedelta(days=REMINDER_HORIZON_DAYS)
    open_requests = list(
        DataSubjectRequest.objects.open().filter(due_date__lte=horizon).order_by("due_date", "pk")
    )
    overdue = [r for r in open_requests if r.due_date < today]
    due_soon = [r for r in open_requests if r.due_date >= today]
    return overdue, due_soon


@transaction.atomic
def send_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Queue today's summary of overdue and soon-due requests to every request handler.

    Nothing is sent on a day with nothing due. Each handler gets at most one summary a day,
    however often this runs (the outbox key names the day and the handler). Returns how many
    summaries were queued by this run.
    """
    today = today or timezone.localdate()
    overdue, due_soon = due_requests(today=today)
    if not overdue and not due_soon:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "today": today,
            "horizon": REMINDER_HORIZON_DAYS,
            "overdue": [_line(r, today) for r in overdue],
            "due_soon": [_line(r, today) for r in due_soon],
            "queue_url": settings.SITE_URL.rstrip("/")
            + reverse("admin:rights_datasubjectrequest_changelist"),
        }
        subject = _(
            "Tietosuojapyyntöjen määräajat %(date)s: %(overdue)d myöhässä, %(soon)d erääntyy pian"
        ) % {"date": today.strftime("%d.%m.%Y"), "overdue": len(overdue), "soon": len(due_soon)}
        body = render_to_string("rights/email/deadline_reminder.txt", context)
    queued = 0
    for user in request_handlers():
        _email, created = queue_email(
            key=f"deadline-reminder:{today.isoformat()}:{user.pk}",
            kind=OutgoingEmail.Kind.DEADLINE_REMINDER,
            recipient=user.email,
            subject=subject,
            body=body,
        )
        queued += created
    return queued


@transaction.atomic
def notify_new_request(*, case: DataSubjectRequest) -> int:
    """Tell every request handler that a request has arrived and when it is due."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Uusi tietosuojapyyntö %(reference)s") % {"reference": case.reference}
        body = render_to_string(
            "rights/email/new_request.txt",
            {"request": _line(case, timezone.localdate())},
        )
    handlers = list(request_handlers())
    for user in handlers:
        queue_email(
            key=f"new-request:{case.code}:{user.pk}",
            kind=OutgoingEmail.Kind.STAFF_NOTICE,
            recipient=user.email,
            subject=subject,
            body=body,
        )
    return len(handlers)


def letter_recipient(case: DataSubjectRequest) -> str:
    """Return the address a decision is mailed to: the customer's, else the requester's own."""
    if case.customer is not None and case.customer.email:
        return case.customer.email
    contact = case.requester_contact.strip()
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


@transaction.atomic
def send_decision_letter(*, case: DataSubjectRequest, recipient: str, language: str) -> bool:
    """Queue the request's written decision to the requester; False when there is no address.

    Each decision is mailed once (the outbox key names the request).
    """
    if not recipient or not case.decision_text:
        return False
    with translation.override(language):
        subject = _("Ratkaisu tietosuojapyyntöösi %(reference)s") % {"reference": case.reference}
    queue_email(
        key=f"decision:{case.code}",
        kind=OutgoingEmail.Kind.DECISION_LETTER,
        recipient=recipient,
        subject=subject,
        body=case.decision_text,
        customer=case.customer,
    )
    return True
