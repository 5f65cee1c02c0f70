"""Data-subject requests (GDPR Art. 12 and 15–21) from receipt to a written decision.

Every step is a service here; the staff panel, the command line and the portal call these. Each
writes its history row (RequestEvent) in the same transaction as the change it records, and a
case only moves along `requests_models.TRANSITIONS`.

The steps, for any caller:

- receipt: `receive_request` (staff, any channel) or `receive_portal_request` (the logged-in
  customer; starts verified); an objection to direct marketing bans it at once.
- identity and linking: `link_customer`, `verify_identity`; then `start_request`.
- deadline: `due_date_for`, `extend_deadline` (+ `extension_notice_text`).
- correction: `propose_correction`, `decide_correction`, applied by `fulfil_request`.
- decision: `fulfil_request` (does what the kind requires), `refuse_request`, `withdraw_request`;
  the letter is `request.decision_text`, printed by `render_letter_pdf`.
- after: `mark_recipients_notified` (Art. 19), `lift_restriction` (Art. 18(3)).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers import services as customer_services
from customers import validators as v
from customers.models import BanChannel, BanScope, ConsentEvent, Customer, MarketingBan
from privacy import audit
from privacy.deadlines import add_months
from privacy.declaration import Erasure, get_declaration
from rekisteri.tasks import enqueue
from rights.access import PACKAGE_LIFETIME, create_access_package
from rights.erasure import ErasureResult, erase_customer
from rights.letters import (
    completion_decision_text,
    letter_language,
    portal_url,
    refusal_decision_text,
)
from rights.models import CorrectionItem, DataSubjectRequest, RecipientNotification, RequestEvent
from rights.reminders import letter_recipient, notify_new_request, send_decision_letter
from rights.tasks import create_access_package_task

Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status

# Corrections are normalised exactly as every other path into the register normalises them.
_NORMALISERS = {
    "email": lambda value, customer: v.normalise_email(value),
    "phone": lambda value, customer: v.normalise_phone(value),
    "business_id": lambda value, customer: v.normalise_business_id(value),
    "postal_code": lambda value, customer: v.normalise_postal_code(value, customer.country),
    "country": lambda value, customer: (value or "FI").strip().upper(),
}

# A clock a few minutes apart from the sender's is not an error; a receipt tomorrow is.
_CLOCK_SKEW = dt.timedelta(minutes=5)


def due_date_for(received_at: dt.datetime) -> dt.date:
    """Return the deadline: one month from receipt (GDPR Art. 12(3)), in Finnish local time."""
    return add_months(timezone.localdate(received_at), 1)


def _event(request: DataSubjectRequest, kind: str, user=None, message: str = "") -> None:
    RequestEvent.objects.create(request=request, kind=kind, actor=user, message=message)


def _move(request: DataSubjectRequest, status: str) -> None:
    """Set the case's status, refusing any move TRANSITIONS does not allow."""
    if not request.can_move_to(status):
        if not request.is_open:
            raise ValidationError(_("Pyyntö on jo ratkaistu."), code="closed")
        raise ValidationError(
            _("Pyyntöä ei voi siirtää tilasta ”%(from)s” tilaan ”%(to)s”.")
            % {"from": request.get_status_display(), "to": Status(status).label},
            code="transition",
        )
    request.status = status


def _require_open(request: DataSubjectRequest) -> None:
    if not request.is_open:
        raise ValidationError(_("Pyyntö on jo ratkaistu."), code="closed")


def _require_verified(request: DataSubjectRequest) -> Customer:
    _require_open(request)
    if request.status == Status.RECEIVED or request.customer is None:
        raise ValidationError(
            _("Pyytäjän henkilöllisyys on todennettava ja hänet yhdistettävä asiakkaaseen."),
            code="not_verified",
        )
    return request.customer


def _via(request: DataSubjectRequest | None) -> str:
    if request is not None and request.channel == DataSubjectRequest.Channel.PORTAL:
        return ConsentEvent.Via.PORTAL
    return ConsentEvent.Via.STAFF


def _audit(request: DataSubjectRequest, user, action: str, **details) -> None:
    audit.record(
        actor=user,
        action=action,
        customer_id=request.customer_id,
        object_label=audit.object_label(request),
        details={"request": request.pk, **details},
    )


def validate_received_at(value: dt.datetime) -> None:
    """Refuse a time of receipt in the future; the deadline is counted from it."""
    if value > timezone.now() + _CLOCK_SKEW:
        raise ValidationError(
            {"received_at": _("Vastaanottoaika ei voi olla tulevaisuudessa.")}, code="future"
        )


def _check_choices(*, kind: str, channel: str, ban_channel: str, ban_scope: str, language: str):
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("Valitse pyynnön laji.")
    if channel not in DataSubjectRequest.Channel.values:
        errors["channel"] = _("Valitse, miten pyyntö saapui.")
    if ban_channel and ban_channel not in BanChannel.values:
        errors["ban_channel"] = _("Tuntematon kanava %(value)s.") % {"value": ban_channel}
    if ban_scope and ban_scope not in BanScope.values:
        errors["ban_scope"] = _("Tuntematon kiellon laajuus %(value)s.") % {"value": ban_scope}
    if language and language not in dict(DataSubjectRequest._meta.get_field("language").choices):
        errors["language"] = _("Tuntematon kieli %(value)s.") % {"value": language}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def receive_request(
    *,
    kind: str,
    channel: str,
    requester_name: str = "",
    requester_contact: str = "",
    description: str = "",
    customer: Customer | None = None,
    received_at: dt.datetime | None = None,
    ban_channel: str = "",
    ban_scope: str = "",
    language: str = "",
    user=None,
) -> DataSubjectRequest:
    """Record a request as received, with its deadline one month away.

    A direct-marketing objection for a known customer takes effect at once (GDPR Art. 21(3)).
    """
    _check_choices(
        kind=kind, channel=channel, ban_channel=ban_channel, ban_scope=ban_scope, language=language
    )
    received_at = received_at or timezone.now()
    validate_received_at(received_at)
    request = DataSubjectRequest.objects.create(
        kind=kind,
        channel=channel,
        requester_name=requester_name.strip(),
        requester_contact=requester_contact.strip(),
        description=description.strip(),
        customer=customer,
        received_at=received_at,
        due_date=due_date_for(received_at),
        ban_channel=ban_channel,
        ban_scope=ban_scope,
        language=language,
    )
    _event(request, RequestEvent.Kind.RECEIVED, user, request.get_channel_display())
    if customer is not None and kind == Kind.OBJECTION:
        _apply_objection(request, user)
    notify_new_request(request=request)
    return request


@transaction.atomic
def receive_portal_request(
    *,
    customer: Customer,
    kind: str,
    description: str = "",
    ban_channel: str = "",
    ban_scope: str = "",
    language: str = "",
) -> DataSubjectRequest:
    """Record a request the logged-in customer made in the portal, identity already verified.

    Logging in to the portal proved control of the email address on file (GDPR Art. 12(6)), so
    the case starts verified; the portal then calls `fulfil_request` or leaves it to staff.
    """
    request = receive_request(
        kind=kind,
        channel=DataSubjectRequest.Channel.PORTAL,
        requester_name=customer.full_name,
        requester_contact=customer.email,
        description=description,
        customer=customer,
        ban_channel=ban_channel,
        ban_scope=ban_scope,
        language=language or customer.preferred_language,
    )
    verify_identity(request=request, method=DataSubjectRequest.Verification.PORTAL_LOGIN)
    return request


@transaction.atomic
def link_customer(*, request: DataSubjectRequest, customer: Customer, user=None) -> None:
    """Connect a request to the customer it concerns."""
    _require_open(request)
    if customer.erased_at is not None:
        raise ValidationError(_("Asiakkaan tiedot on jo poistettu."), code="erased")
    request.customer = customer
    request.save(update_fields=["customer"])
    _event(request, RequestEvent.Kind.LINKED, user)
    if request.kind == Kind.OBJECTION:
        _apply_objection(request, user)


@transaction.atomic
def verify_identity(
    *, request: DataSubjectRequest, method: str, user=None, customer: Customer | None = None
) -> None:
    """Record how the requester's identity was verified and by whom (GDPR Art. 12(6))."""
    _require_open(request)
    if method not in DataSubjectRequest.Verification.values:
        raise ValidationError(_("Valitse todentamistapa."), code="method")
    if customer is not None and request.customer_id != customer.pk:
        link_customer(request=request, customer=customer, user=user)
    if request.customer is None:
        raise ValidationError(_("Yhdistä pyyntö ensin asiakkaaseen."), code="no_customer")
    request.verification_method = method
    request.verified_by = user if getattr(user, "is_authenticated", False) else None
    request.verified_at = timezone.now()
    if request.status == Status.RECEIVED:
        _move(request, Status.IDENTITY_VERIFIED)
    request.save(update_fields=["verification_method", "verified_by", "verified_at", "status"])
    _event(
        request,
        RequestEvent.Kind.IDENTITY_VERIFIED,
        user,
        str(DataSubjectRequest.Verification(method).label),
    )


@transaction.atomic
def start_request(*, request: DataSubjectRequest, user=None) -> None:
    """Mark a verified request as being worked on; a no-op when it already is."""
    _require_verified(request)
    if request.status == Status.IDENTITY_VERIFIED:
        _move(request, Status.IN_PROGRESS)
        request.save(update_fields=["status"])
        _event(request, RequestEvent.Kind.STARTED, user)


@transaction.atomic
def extend_deadline(
    *,
    request: DataSubjectRequest,
    months: int,
    reason: str,
    notified_on: dt.date,
    user=None,
) -> dt.date:
    """Extend the deadline by one or two months and return the new one (GDPR Art. 12(3)).

    The extension is allowed for complex or numerous requests, at most two further months in all,
    and only when the person was told, with the reasons, within the first month.
    """
    _require_open(request)
    if not reason.strip():
        raise ValidationError(_("Jatkoajalle on kerrottava peruste."), code="reason")
    total = request.extension_months + months
    if months < 1 or total > 2:
        raise ValidationError(
            _("Määräaikaa voi jatkaa enintään kahdella kuukaudella."), code="too_long"
        )
    received_on = timezone.localdate(request.received_at)
    first_month_ends = due_date_for(request.received_at)
    if notified_on < received_on or notified_on > timezone.localdate():
        raise ValidationError(
            _("Ilmoituspäivän on oltava vastaanoton ja tämän päivän välillä."),
            code="notice_date",
        )
    if notified_on > first_month_ends:
        raise ValidationError(
            _("Jatkoajasta on ilmoitettava ensimmäisen kuukauden kuluessa (%(date)s).")
            % {"date": first_month_ends.strftime("%d.%m.%Y")},
            code="late_notice",
        )
    # Counted from the end of the first month, the stricter of the two readings of 12(3):
    # 31 January → 28 February → 28 April.
    request.due_date = add_months(first_month_ends, total)
    request.extension_months = total
    request.extension_reason = "\n".join(filter(None, [request.extension_reason, reason.strip()]))
    request.extension_notified_on = notified_on
    request.save(
        update_fields=["due_date", "extension_months", "extension_reason", "extension_notified_on"]
    )
    _event(
        request,
        RequestEvent.Kind.EXTENDED,
        user,
        f"{request.due_date:%d.%m.%Y}",
    )
    return request.due_date


@transaction.atomic
def refuse_request(
    *, request: DataSubjectRequest, reason: str, details: str = "", user=None
) -> str:
    """Refuse the request with reasons and return the written decision (GDPR Art. 12(4))."""
    _require_open(request)
    if reason not in DataSubjectRequest.RefusalReason.values:
        raise ValidationError(_("Valitse hylkäyksen peruste."), code="reason")
    if reason == DataSubjectRequest.RefusalReason.OTHER and not details.strip():
        raise ValidationError(_("Kirjoita hylkäyksen perustelut."), code="details")
    _move(request, Status.REFUSED)
    request.language = letter_language(request)
    request.refusal_reason = reason
    request.refusal_details = details.strip()
    request.decision_text = refusal_decision_text(request)
    request.decided_at = timezone.now()
    request.decided_by = user if getattr(user, "is_authenticated", False) else None
    request.save()
    _event(request, RequestEvent.Kind.REFUSED, user, request.get_refusal_reason_display())
    _audit(request, user, audit.AuditEntry.Action.REQUEST, decision="refused")
    send_decision_letter(
        request=request, recipient=letter_recipient(request), language=request.language
    )
    return request.decision_text


@transaction.atomic
def withdraw_request(*, request: DataSubjectRequest, user=None) -> None:
    """Close the request because the person withdrew it."""
    _move(request, Status.WITHDRAWN)
    request.decided_at = timezone.now()
    request.decided_by = user if getattr(user, "is_authenticated", False) else None
    request.save(update_fields=["status", "decided_at", "decided_by"])
    _event(request, RequestEvent.Kind.WITHDRAWN, user)


# Objection and restriction (GDPR Art. 21 and 18).


@transaction.atomic
def set_marketing_ban(
    *,
    customer: Customer,
    channel: str = BanChannel.ALL,
    scope: str = BanScope.DIRECT_MARKETING,
    request: DataSubjectRequest | None = None,
    user=None,
) -> MarketingBan:
    """Ban marketing on a channel and scope from now on; return the active ban.

    The rule itself lives in `customers.services.set_marketing_ban`; this adds the request's
    history and the audit row.
    """
    was_active = MarketingBan.objects.filter(
        customer=customer, channel=channel, scope=scope, lifted_at__isnull=True
    ).exists()
    ban = customer_services.set_marketing_ban(
        customer=customer, channel=channel, scope=scope, via=_via(request)
    )
    if was_active:
        return ban
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.ADD,
        customer_id=customer.pk,
        object_label=audit.object_label(ban),
        details={"request": request.pk if request else None},
    )
    if request is not None:
        _event(
            request,
            RequestEvent.Kind.BAN_SET,
            user,
            f"{ban.get_scope_display()} / {ban.get_channel_display()}",
        )
    return ban


def _apply_objection(request: DataSubjectRequest, user) -> None:
    # GDPR 21(3): after an objection to direct marketing the data may no longer be used for it;
    # a ban that only stops marketing needs no identity check first.
    with translation.override("fi"):
        set_marketing_ban(
            customer=request.customer,
            channel=request.ban_channel or BanChannel.ALL,
            scope=request.ban_scope or BanScope.DIRECT_MARKETING,
            request=request,
            user=user,
        )


@transaction.atomic
def restrict_processing(
    *, customer: Customer, request: DataSubjectRequest | None = None, user=None
) -> None:
    """Mark the customer restricted: only storage and essential processing (GDPR Art. 18).

    Marketing audiences and the retention sweep skip a restricted customer until it is lifted.
    """
    Customer.objects.filter(pk=customer.pk).update(is_restricted=True, updated_at=timezone.now())
    customer.is_restricted = True
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.CHANGE,
        customer_id=customer.pk,
        object_label=audit.object_label(customer),
        details={"fields": ["is_restricted"], "request": request.pk if request else None},
    )
    if request is not None:
        _event(request, RequestEvent.Kind.RESTRICTED, user)
        _notify_list(request, customer, fields=None)


@transaction.atomic
def lift_restriction(
    *,
    customer: Customer,
    request: DataSubjectRequest | None = None,
    user=None,
    notified_on: dt.date | None = None,
) -> None:
    """Lift a restriction; the person must have been told before (GDPR Art. 18(3)).

    `notified_on` is the day staff told the person; without it the lifting is recorded as the
    person's own wish (e.g. from the portal).
    """
    if notified_on is not None and notified_on > timezone.localdate():
        raise ValidationError(_("Ilmoituspäivä ei voi olla tulevaisuudessa."), code="notice_date")
    Customer.objects.filter(pk=customer.pk).update(is_restricted=False, updated_at=timezone.now())
    customer.is_restricted = False
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.CHANGE,
        customer_id=customer.pk,
        object_label=audit.object_label(customer),
        details={"fields": ["is_restricted"], "request": request.pk if request else None},
    )
    if request is not None:
        with translation.override("fi"):
            message = (
                _("Asiakkaalle ilmoitettu %(date)s.") % {"date": notified_on.strftime("%d.%m.%Y")}
                if notified_on
                else _("Poistettu asiakkaan omasta pyynnöstä.")
            )
        _event(request, RequestEvent.Kind.RESTRICTION_LIFTED, user, message)


# Correction (GDPR Art. 16) and notifying recipients (Art. 19).


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
    normaliser = _NORMALISERS.get(field_name)
    return normaliser(value, customer) if normaliser else (value or "").strip()


@transaction.atomic
def propose_correction(
    *, request: DataSubjectRequest, field_name: str, new_value: str, reason: str = "", user=None
) -> CorrectionItem:
    """Record a proposed change to one field, normalised and checked at once."""
    _require_open(request)
    if request.kind != Kind.CORRECTION:
        raise ValidationError(_("Vain oikaisupyyntöön voi liittää korjauksia."), code="kind")
    if request.customer is None:
        raise ValidationError(_("Yhdistä pyyntö ensin asiakkaaseen."), code="no_customer")
    if field_name not in correctable_fields():
        raise ValidationError(_("Tätä kenttää ei voi oikaista."), code="field")
    customer = request.customer
    new_value = normalise_correction(customer, field_name, new_value)
    old_value = str(getattr(customer, field_name) or "")
    if new_value == old_value:
        raise ValidationError(_("Uusi arvo on sama kuin nykyinen."), code="unchanged")
    item = CorrectionItem.objects.create(
        request=request,
        field_name=field_name,
        old_value=old_value,
        new_value=new_value,
        reason=reason.strip(),
    )
    _event(request, RequestEvent.Kind.CORRECTION_PROPOSED, user, field_name)
    return item


@transaction.atomic
def decide_correction(*, item: CorrectionItem, approve: bool, reason: str = "", user=None) -> None:
    """Approve or reject one proposed change; a rejection needs its reasons (Art. 12(4))."""
    _require_open(item.request)
    if item.state != CorrectionItem.State.PROPOSED:
        raise ValidationError(_("Korjaus on jo ratkaistu."), code="decided")
    if not approve and not reason.strip():
        raise ValidationError(_("Kirjoita hylkäyksen perustelu."), code="reason")
    item.state = CorrectionItem.State.APPROVED if approve else CorrectionItem.State.REJECTED
    item.decision_reason = reason.strip()
    item.decided_by = user if getattr(user, "is_authenticated", False) else None
    item.decided_at = timezone.now()
    item.save()
    _event(
        item.request,
        RequestEvent.Kind.CORRECTION_DECIDED,
        user,
        f"{item.field_name}: {item.state}",
    )


def _notify_list(
    request: DataSubjectRequest, customer: Customer, fields: set[str] | None
) -> list[RecipientNotification]:
    """List the recipients that received the given fields (all, when None) (GDPR Art. 19).

    A recipient already listed for the request and not yet told is not listed twice.
    """
    pending = set(
        request.notifications.filter(notified_at__isnull=True).values_list(
            "disclosure_id", flat=True
        )
    )
    notifications = []
    for disclosure in customer.disclosures.all():
        received = set(disclosure.fields or [])
        touched = received if fields is None else received & fields
        if (fields is not None and not touched) or disclosure.pk in pending:
            continue
        notifications.append(
            RecipientNotification(
                request=request,
                disclosure=disclosure,
                recipient=disclosure.recipient,
                fields=sorted(touched),
            )
        )
    return RecipientNotification.objects.bulk_create(notifications)


@transaction.atomic
def apply_corrections(*, request: DataSubjectRequest, user=None) -> list[RecipientNotification]:
    """Apply every approved correction at once and list the recipients to notify (Art. 19)."""
    customer = _require_verified(request)
    if request.corrections.filter(state=CorrectionItem.State.PROPOSED).exists():
        raise ValidationError(
            _("Kaikki ehdotetut korjaukset on ratkaistava ensin."), code="undecided"
        )
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    items = list(request.corrections.filter(state=CorrectionItem.State.APPROVED))
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
    notifications = _notify_list(request, customer, changed) if changed else []
    if changed:
        audit.record(
            actor=user,
            action=audit.AuditEntry.Action.CHANGE,
            customer_id=customer.pk,
            object_label=audit.object_label(customer),
            details={"fields": sorted(changed), "request": request.pk},
        )
    _event(request, RequestEvent.Kind.CORRECTIONS_APPLIED, user, ", ".join(sorted(changed)))
    return notifications


@transaction.atomic
def mark_recipients_notified(*, request: DataSubjectRequest, method: str, user=None) -> int:
    """Record that every listed recipient not yet told has now been told (GDPR Art. 19)."""
    if not method.strip():
        raise ValidationError(_("Kerro, miten vastaanottajille ilmoitettiin."), code="method")
    pending = request.notifications.filter(notified_at__isnull=True)
    recipients = sorted(set(pending.values_list("recipient", flat=True)))
    if not recipients:
        raise ValidationError(_("Ilmoitettavia vastaanottajia ei ole."), code="none")
    count = pending.update(
        notified_at=timezone.now(),
        notified_by=user if getattr(user, "is_authenticated", False) else None,
        method=method.strip(),
    )
    _event(request, RequestEvent.Kind.RECIPIENTS_NOTIFIED, user, ", ".join(recipients))
    return count


# Fulfilling a request.


def _recipient_lines(request: DataSubjectRequest) -> list[str]:
    # Art. 19, second sentence: the person is told who the recipients are.
    recipients = sorted(set(request.notifications.values_list("recipient", flat=True)))
    if not recipients:
        return []
    return [
        "",
        _("Ilmoitamme muutoksesta tietojesi vastaanottajille (19 artikla): %(names)s.")
        % {"names": ", ".join(recipients)},
    ]


def _erasure_lines(result: ErasureResult) -> list[str]:
    lines = [_("Tietosi on poistettu tai anonymisoitu.")]
    # Per kind of record and reason: the last day anything is kept, or the criterion that ends it.
    kept: dict[tuple[str, str], tuple[dt.date | None, set[str]]] = {}
    for item in result.plan.kept:
        last, criteria = kept.get((str(item.model_name), str(item.legal_reason)), (None, set()))
        if item.kept_until and (last is None or item.kept_until > last):
            last = item.kept_until
        if not item.kept_until and item.criterion:
            criteria.add(str(item.criterion))
        kept[(str(item.model_name), str(item.legal_reason))] = (last, criteria)
    if kept:
        lines += ["", _("Seuraavat tiedot säilytetään lakisääteisen syyn vuoksi:")]
        for (model, reason), (last, criteria) in sorted(kept.items()):
            whens = sorted(criteria)
            if last:
                whens.insert(
                    0, _("säilytetään %(date)s asti") % {"date": last.strftime("%d.%m.%Y")}
                )
            lines.append(f"- {model}: {reason} ({'; '.join(whens)})")
    return lines


def _carry_out(
    request: DataSubjectRequest, customer: Customer, user, *, package_now: bool = False
) -> list[str]:
    """Do what the request's kind requires; return the decision's lines about it."""
    lines: list[str] = []
    if request.kind in (Kind.ACCESS, Kind.PORTABILITY):
        if package_now:
            expires_at = create_access_package(
                customer=customer, request=request, user=user
            ).expires_at
        else:
            # Built by the task worker (WeasyPrint takes seconds); it expires no earlier than this.
            enqueue(
                create_access_package_task,
                customer_id=customer.pk,
                request_id=request.pk,
                user_id=user.pk if user is not None else None,
            )
            expires_at = timezone.now() + PACKAGE_LIFETIME
        lines.append(
            _(
                "Tietosi ovat liitteenä, ja voit ladata ne omat tiedot -palvelusta (%(url)s) "
                "%(date)s asti."
            )
            % {
                "url": portal_url(),
                "date": timezone.localtime(expires_at).strftime("%d.%m.%Y"),
            }
        )
    elif request.kind == Kind.CORRECTION:
        apply_corrections(request=request, user=user)
        for item in request.corrections.all():
            lines.append(
                f"- {Customer._meta.get_field(item.field_name).verbose_name}: "
                f"{item.get_state_display()}"
                + (f" ({item.decision_reason})" if item.decision_reason else "")
            )
        lines += _recipient_lines(request)
    elif request.kind == Kind.ERASURE:
        lines += _erasure_lines(erase_customer(customer=customer, request=request, user=user))
        lines += _recipient_lines(request)
    elif request.kind == Kind.RESTRICTION:
        restrict_processing(customer=customer, request=request, user=user)
        lines.append(_("Tietojesi käsittelyä on rajoitettu."))
        lines += _recipient_lines(request)
    elif request.kind == Kind.OBJECTION:
        _apply_objection(request, user)
        lines.append(_("Markkinointikielto on voimassa."))
    return lines


@transaction.atomic
def fulfil_request(
    *, request: DataSubjectRequest, user=None, package_now: bool = False
) -> DataSubjectRequest:
    """Carry out a verified request as its kind requires and complete it with a decision.

    An access package is built by the task worker, unless `package_now` asks for it here (the
    portal's download page, where the customer waits for it).
    """
    customer = _require_verified(request)
    # Read before an erasure clears the address the decision is mailed to.
    recipient = letter_recipient(request)
    start_request(request=request, user=user)
    # The decision is written in the reader's language, so its lines are too.
    language = letter_language(request)
    with translation.override(language):
        lines = _carry_out(request, customer, user, package_now=package_now)
    request.refresh_from_db()
    _move(request, Status.COMPLETED)
    # Kept, so a reprint of the letter is in the same language after the customer's is erased.
    request.language = language
    request.decided_at = timezone.now()
    request.decided_by = user if getattr(user, "is_authenticated", False) else None
    request.decision_text = completion_decision_text(request, lines, language)
    request.save(update_fields=["status", "language", "decided_at", "decided_by", "decision_text"])
    _event(request, RequestEvent.Kind.COMPLETED, user)
    _audit(request, user, audit.AuditEntry.Action.REQUEST, decision="completed")
    send_decision_letter(request=request, recipient=recipient, language=language)
    return request
