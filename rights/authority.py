"""An authority's request for a customer's data: received, the customer told, the data handed over.

A shop may promise to tell the customer before handing anything to an authority, unless the law
forbids telling (AUTHORITY_REQUESTS_TOLD_FIRST, stated in the statement's disclosures section).
With the promise on, `hand_over` refuses until the customer has been told or the reason telling
was not allowed is written down; either way the record says which.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.models import Customer
from customers.services import record_disclosure
from notifications.services import queue_email
from privacy import audit
from privacy.models import AuditEntry
from rights.models import AuthorityRequest
from statement import registry
from statement.models import StatementRecipient


def _audit(request: AuthorityRequest, user, step: str) -> None:
    audit.record(
        actor=user,
        action=AuditEntry.Action.REQUEST,
        customer_id=request.customer_id,
        object_label=audit.object_label(request),
        details={"authority_request": request.pk, "step": step},
    )


@transaction.atomic
def receive_authority_request(
    *,
    customer: Customer,
    authority: str,
    legal_basis: str,
    requested: str,
    received_at=None,
    user=None,
) -> AuthorityRequest:
    """Record an authority's request for a customer's data, before anything is handed over."""
    errors = {}
    if not authority.strip():
        errors["authority"] = _("Kerro, mikä viranomainen pyysi tietoja.")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Kerro säännös, johon pyyntö perustuu.")
    if not requested.strip():
        errors["requested"] = _("Kerro, mitä tietoja pyydettiin.")
    if errors:
        raise ValidationError(errors)
    request = AuthorityRequest.objects.create(
        customer=customer,
        authority=authority.strip(),
        legal_basis=legal_basis.strip(),
        requested=requested.strip(),
        received_at=received_at or timezone.now(),
        handled_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _audit(request, user, "received")
    return request


@transaction.atomic
def tell_customer(*, request: AuthorityRequest, user=None) -> AuthorityRequest:
    """Mail the customer that an authority asked for their data, and record when."""
    customer = request.customer
    if not customer.email:
        raise ValidationError(
            _("Asiakkaalla ei ole sähköpostiosoitetta: kerro hänelle muuten ja kirjaa aika."),
            code="no_email",
        )
    with translation.override(customer.preferred_language or "fi"):
        subject = _("Viranomainen on pyytänyt tietojasi")
        body = _(
            "%(authority)s on pyytänyt meiltä tietojasi (%(basis)s). Pyydetyt tiedot: "
            "%(requested)s. Luovutamme tiedot, koska laki velvoittaa siihen."
        ) % {
            "authority": request.authority,
            "basis": request.legal_basis,
            "requested": request.requested,
        }
    queue_email(
        key=f"authority-request:{request.pk}",
        kind="portal_notice",
        customer=customer,
        recipient=customer.email,
        subject=subject,
        body=body,
    )
    request.customer_told_at = timezone.now()
    request.save(update_fields=["customer_told_at"])
    _audit(request, user, "customer_told")
    return request


@transaction.atomic
def withhold_telling(*, request: AuthorityRequest, reason: str, user=None) -> AuthorityRequest:
    """Record why the customer may not be told (e.g. the law forbids it during an inquiry)."""
    if not reason.strip():
        raise ValidationError(
            {"telling_withheld_reason": _("Kerro, miksi asiakkaalle ei saa kertoa.")}
        )
    request.telling_withheld_reason = reason.strip()
    request.save(update_fields=["telling_withheld_reason"])
    _audit(request, user, "telling_withheld")
    return request


@transaction.atomic
def hand_over(*, request: AuthorityRequest, fields: list[str], user=None) -> AuthorityRequest:
    """Hand the data to the authority: logged as a disclosure to the registry's authorities.

    With AUTHORITY_REQUESTS_TOLD_FIRST (the statement's promise), refused until the customer has
    been told or the reason telling was not allowed is recorded.
    """
    request = AuthorityRequest.objects.select_for_update().get(pk=request.pk)
    if request.handed_over_at is not None:
        return request
    told = request.customer_told_at is not None or request.telling_withheld_reason
    if settings.AUTHORITY_REQUESTS_TOLD_FIRST and not told:
        raise ValidationError(
            _(
                "Tietosuojaseloste lupaa kertoa asiakkaalle ennen luovutusta: kerro asiakkaalle "
                "ensin tai kirjaa, miksi laki kieltää kertomasta."
            ),
            code="tell_first",
        )
    disclosure = record_disclosure(
        customer=request.customer,
        recipient=registry.recipient_of_kind(StatementRecipient.Kind.AUTHORITY),
        fields=fields,
        reason=_("%(authority)s: %(basis)s")
        % {"authority": request.authority, "basis": request.legal_basis},
    )
    request.disclosure = disclosure
    request.fields = sorted(set(fields))
    request.handed_over_at = disclosure.disclosed_at
    request.save(update_fields=["disclosure", "fields", "handed_over_at"])
    _audit(request, user, "handed_over")
    return request
