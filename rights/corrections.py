"""Correction (GDPR Art. 16): proposed, decided and applied values, and telling recipients (19).

Two ways in: a request, whose proposed changes staff decide (`propose_correction`,
`decide_correction`, `apply_corrections`), and the customer's own change of the fields the
declaration lets them change (`change_own_details`), which is made at once and is no request.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from customers import validators as v
from customers.models import Customer
from customers.services import record_activity
from privacy import audit
from privacy.declaration import Erasure, get_declaration
from rights.models import CorrectionItem, DataSubjectRequest, RecipientNotification, RequestEvent
from rights.notices import list_recipients_to_notify
from rights.steps import Kind, add_event, require_open, require_verified


def correctable_fields() -> list[str]:
    """Return the customer fields a correction may change: declared, editable, not kept."""
    decl = get_declaration(Customer)
    return [
        name
        for name, declared in decl.fields.items()
        if declared.erasure != Erasure.KEEP
        and Customer._meta.get_field(name).editable
        # Where the customer came from is a fact of the register; a restriction is set and
        # lifted by its own request (GDPR Art. 18), never corrected.
        and name not in ("source", "is_restricted")
    ]


def self_service_fields() -> list[str]:
    """Return the customer fields the declaration lets the customer change themselves."""
    return get_declaration(Customer).self_service_fields()


def normalise_correction(customer: Customer, field_name: str, value: str) -> str:
    """Return a proposed value as the register stores it, or raise ValidationError."""
    return v.normalise_field(field_name, value, customer.country)


@transaction.atomic
def propose_correction(
    *, case: DataSubjectRequest, field_name: str, new_value: str, reason: str = "", user=None
) -> CorrectionItem:
    """Record a proposed change to one field, normalised and checked at once."""
    require_open(case)
    if case.kind != Kind.CORRECTION:
        raise ValidationError(_("Vain oikaisupyyntöön voi liittää korjauksia."), code="kind")
    if case.customer is None:
        raise ValidationError(_("Yhdistä pyyntö ensin asiakkaaseen."), code="no_customer")
    if field_name not in correctable_fields():
        raise ValidationError(_("Tätä kenttää ei voi oikaista."), code="field")
    customer = case.customer
    new_value = normalise_correction(customer, field_name, new_value)
    old_value = str(getattr(customer, field_name) or "")
    if new_value == old_value:
        raise ValidationError(_("Uusi arvo on sama kuin nykyinen."), code="unchanged")
    item = CorrectionItem.objects.create(
        request=case,
        field_name=field_name,
        old_value=old_value,
        new_value=new_value,
        reason=reason.strip(),
    )
    add_event(case, RequestEvent.Kind.CORRECTION_PROPOSED, user, field_name)
    return item


@transaction.atomic
def decide_correction(*, item: CorrectionItem, approve: bool, reason: str = "", user=None) -> None:
    """Approve or reject one proposed change; a rejection needs its reasons (Art. 12(4))."""
    require_open(item.request)
    if item.state != CorrectionItem.State.PROPOSED:
        raise ValidationError(_("Korjaus on jo ratkaistu."), code="decided")
    if not approve and not reason.strip():
        raise ValidationError(_("Kirjoita hylkäyksen perustelu."), code="reason")
    item.state = CorrectionItem.State.APPROVED if approve else CorrectionItem.State.REJECTED
    item.decision_reason = reason.strip()
    item.decided_by = user if getattr(user, "is_authenticated", False) else None
    item.decided_at = timezone.now()
    item.save()
    add_event(
        item.request,
        RequestEvent.Kind.CORRECTION_DECIDED,
        user,
        f"{item.field_name}: {item.state}",
    )


@transaction.atomic
def apply_corrections(*, case: DataSubjectRequest, user=None) -> list[RecipientNotification]:
    """Apply every approved correction at once and list the recipients to notify (Art. 19)."""
    customer = require_verified(case)
    if case.corrections.filter(state=CorrectionItem.State.PROPOSED).exists():
        raise ValidationError(
            _("Kaikki ehdotetut korjaukset on ratkaistava ensin."), code="undecided"
        )
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    items = list(case.corrections.filter(state=CorrectionItem.State.APPROVED))
    for item in items:
        setattr(customer, item.field_name, item.new_value)
    _save_corrected(customer)
    now = timezone.now()
    CorrectionItem.objects.filter(pk__in=[i.pk for i in items]).update(
        state=CorrectionItem.State.APPLIED, applied_at=now
    )
    changed = {item.field_name for item in items}
    notifications = (
        list_recipients_to_notify(customer=customer, case=case, fields=changed) if changed else []
    )
    if changed:
        audit.record(
            actor=user,
            action=audit.AuditEntry.Action.CHANGE,
            customer_id=customer.pk,
            object_label=audit.object_label(customer),
            details={"fields": sorted(changed), "request": case.pk},
        )
    add_event(case, RequestEvent.Kind.CORRECTIONS_APPLIED, user, ", ".join(sorted(changed)))
    return notifications


def correction_lines(case: DataSubjectRequest) -> list[str]:
    """Return what was decided on each proposed change, for the decision letter (Art. 12(4))."""
    lines = []
    for item in case.corrections.order_by("id"):
        field = capfirst(Customer._meta.get_field(item.field_name).verbose_name)
        new = v.format_phone(item.new_value) if item.field_name == "phone" else item.new_value
        values = {"field": field, "new": new}
        if item.state == CorrectionItem.State.REJECTED:
            line = _("- %(field)s: ei korjattu. Perustelu: %(reason)s") % {
                **values,
                "reason": item.decision_reason,
            }
        elif new:
            line = _("- %(field)s: korjattu. Nyt tallennettu: %(new)s") % values
        else:
            line = _("- %(field)s: tieto poistettu.") % values
        lines.append(line)
    return lines


def _save_corrected(customer: Customer) -> None:
    """Normalise and save the customer's corrected row; a value another customer has is refused."""
    customer.clean()
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Korjausta ei voi tehdä: arvo on jo toisen asiakkaan käytössä."), code="unique"
        ) from exc


# The audit log's name for who acted: the customer, logged in to the portal, not a user.
SELF_SERVICE_ACTOR = "asiakas omat tiedot -palvelussa"


@transaction.atomic
def change_own_details(
    *, customer: Customer, changes: dict[str, str]
) -> list[RecipientNotification]:
    """Make the customer's own change of their details at once (GDPR Art. 16); no request.

    Only the fields the declaration marks self-service may change: the change is audited in the
    same transaction, and every recipient that received an old value is listed to be told
    (Art. 19). `customer` gets the new values. Returns the notices listed. Raises
    ValidationError, with nothing saved, for another field or a value another customer has.
    """
    allowed = set(self_service_fields())
    if not set(changes) <= allowed:
        raise ValidationError(_("Tätä tietoa voi muuttaa vain asiakaspalvelu."), code="field")
    row = Customer.objects.select_for_update().get(pk=customer.pk)
    changed = set()
    for name, value in changes.items():
        value = normalise_correction(row, name, value)
        if value != str(getattr(row, name) or ""):
            setattr(row, name, value)
            changed.add(name)
    if not changed:
        return []
    _save_corrected(row)
    audit.record(
        actor=None,
        actor_label=SELF_SERVICE_ACTOR,
        action=audit.AuditEntry.Action.CHANGE,
        customer_id=row.pk,
        object_label=audit.object_label(row),
        details={"fields": sorted(changed)},
    )
    record_activity(customer=row)
    for name in changed:
        setattr(customer, name, getattr(row, name))
    return list_recipients_to_notify(customer=row, fields=changed)


def _mark_notified(pending, method: str, user) -> list[str]:
    """Record the pending notices as told, by `method`; return the recipients told."""
    if not method.strip():
        raise ValidationError(_("Kerro, miten vastaanottajille ilmoitettiin."), code="method")
    recipients = sorted(set(pending.values_list("recipient", flat=True)))
    if not recipients:
        raise ValidationError(_("Ilmoitettavia vastaanottajia ei ole."), code="none")
    pending.update(
        notified_at=timezone.now(),
        notified_by=user if getattr(user, "is_authenticated", False) else None,
        method=method.strip(),
    )
    return recipients


@transaction.atomic
def mark_recipients_notified(*, case: DataSubjectRequest, method: str, user=None) -> int:
    """Record that every listed recipient not yet told has now been told (GDPR Art. 19)."""
    pending = case.notifications.filter(notified_at__isnull=True)
    count = pending.count()
    recipients = _mark_notified(pending, method, user)
    add_event(case, RequestEvent.Kind.RECIPIENTS_NOTIFIED, user, ", ".join(recipients))
    return count


@transaction.atomic
def mark_notices_sent(*, notices, method: str, user=None) -> int:
    """Record notices of customers' own changes (no request) as told (GDPR Art. 19)."""
    pending = notices.filter(request__isnull=True, notified_at__isnull=True)
    count = pending.count()
    _mark_notified(pending, method, user)
    return count
