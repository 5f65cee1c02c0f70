"""The steps every case service takes: history, status moves, the checks before acting, audit.

Shared by rights.cases, rights.corrections and rights.objections, so each writes a case's
history and moves its status the one way.
"""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import ConsentEvent, Customer
from privacy import audit
from rights.models import DataSubjectRequest, RequestEvent

Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status

# How a decision letter went out, as the case history notes it.
SENT_BY_EMAIL = gettext_lazy("sähköpostilla")
TO_BE_POSTED = gettext_lazy("ei sähköpostiosoitetta: postitetaan tulosteena")


def add_event(case: DataSubjectRequest, kind: str, user=None, message: str | Promise = "") -> None:
    """Append a step to the case's history (in the caller's transaction).

    A label is noted in Finnish, whatever the language of the page the customer filed from:
    the access package and the staff panel read it back in their reader's language
    (rights.access_display.event_message).
    """
    with translation.override("fi"):
        message = str(message)
    RequestEvent.objects.create(request=case, kind=kind, actor=user, message=message)


def move_to(case: DataSubjectRequest, status: str) -> None:
    """Set the case's status, refusing any move TRANSITIONS does not allow."""
    if not case.can_move_to(status):
        if not case.is_open:
            raise ValidationError(_("Pyyntö on jo ratkaistu."), code="closed")
        raise ValidationError(
            _("Pyyntöä ei voi siirtää tilasta ”%(from)s” tilaan ”%(to)s”.")
            % {"from": case.get_status_display(), "to": Status(status).label},
            code="transition",
        )
    case.status = status


def require_open(case: DataSubjectRequest) -> None:
    """Refuse to act on a decided case."""
    if not case.is_open:
        raise ValidationError(_("Pyyntö on jo ratkaistu."), code="closed")


def require_verified(case: DataSubjectRequest) -> Customer:
    """Return the case's customer, refusing an unverified or unlinked case."""
    require_open(case)
    if case.status == Status.RECEIVED or case.customer is None:
        raise ValidationError(
            _("Pyytäjän henkilöllisyys on todennettava ja hänet yhdistettävä asiakkaaseen."),
            code="not_verified",
        )
    return case.customer


def consent_via(case: DataSubjectRequest | None) -> str:
    """Return how a consent or ban set for the case came in (the portal or staff)."""
    if case is not None and case.channel == DataSubjectRequest.Channel.PORTAL:
        return ConsentEvent.Via.PORTAL
    return ConsentEvent.Via.STAFF


def audit_case(case: DataSubjectRequest, user, action: str, **details) -> None:
    """Record the handling of the case in the audit log."""
    audit.record(
        actor=user,
        action=action,
        customer_id=case.customer_id,
        object_label=audit.object_label(case),
        details={"request": case.pk, **details},
    )
