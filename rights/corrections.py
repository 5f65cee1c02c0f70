"""Correction (GDPR Art. 16): proposed, decided and applied values, and telling recipients (19)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers import validators as v
from customers.models import Customer
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
        and name != "source"
    ]


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
    customer.clean()
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Korjausta ei voi tehdä: arvo on jo toisen asiakkaan käytössä."), code="unique"
        ) from exc
    now = timezone.now()
    CorrectionItem.objects.filter(pk__in=[i.pk for i in items]).update(
        state=CorrectionItem.State.APPLIED, applied_at=now
    )
    changed = {item.field_name for item in items}
    notifications = (
        list_recipients_to_notify(case=case, customer=customer, fields=changed) if changed else []
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


@transaction.atomic
def mark_recipients_notified(*, case: DataSubjectRequest, method: str, user=None) -> int:
    """Record that every listed recipient not yet told has now been told (GDPR Art. 19)."""
    if not method.strip():
        raise ValidationError(_("Kerro, miten vastaanottajille ilmoitettiin."), code="method")
    pending = case.notifications.filter(notified_at__isnull=True)
    recipients = sorted(set(pending.values_list("recipient", flat=True)))
    if not recipients:
        raise ValidationError(_("Ilmoitettavia vastaanottajia ei ole."), code="none")
    count = pending.update(
        notified_at=timezone.now(),
        notified_by=user if getattr(user, "is_authenticated", False) else None,
        method=method.strip(),
    )
    add_event(case, RequestEvent.Kind.RECIPIENTS_NOTIFIED, user, ", ".join(recipients))
    return count
