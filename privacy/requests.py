"""Data-subject requests (GDPR Art. 12 and 15–21) from receipt to a written decision.

Every step is a service here; the staff panel, the command line and the portal call these. Each
writes its history row (RequestEvent) in the same transaction as the change it records.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_noop

from customers import validators as v
from customers.models import BanChannel, BanScope, ConsentEvent, Customer, MarketingBan
from notifications.reminders import letter_recipient, notify_new_request, send_decision_letter
from privacy.access import PACKAGE_LIFETIME
from privacy.deadlines import add_months
from privacy.declaration import Erasure, get_declaration
from privacy.erasure import ErasureResult, erase_customer
from privacy.models import Controller
from privacy.requests_models import (
    CorrectionItem,
    DataSubjectRequest,
    RecipientNotification,
    RequestEvent,
)
from privacy.tasks import create_access_package_task
from rekisteri.tasks import enqueue

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


def due_date_for(received_at: dt.datetime) -> dt.date:
    """Return the deadline: one month from receipt (GDPR Art. 12(3)), in Finnish local time."""
    return add_months(timezone.localdate(received_at), 1)


def _event(request: DataSubjectRequest, kind: str, user=None, message: str = "") -> None:
    RequestEvent.objects.create(request=request, kind=kind, actor=user, message=message)


def _require_open(request: DataSubjectRequest) -> None:
    if not request.is_open:
        raise ValidationError(_t("Pyyntö on jo ratkaistu."), code="closed")


def _require_verified(request: DataSubjectRequest) -> Customer:
    _require_open(request)
    if request.status == Status.RECEIVED or request.customer is None:
        raise ValidationError(
            _t("Pyytäjän henkilöllisyys on todennettava ja hänet yhdistettävä asiakkaaseen."),
            code="not_verified",
        )
    return request.customer


def _via(request: DataSubjectRequest | None) -> str:
    if request is not None and request.channel == DataSubjectRequest.Channel.PORTAL:
        return ConsentEvent.Via.PORTAL
    return ConsentEvent.Via.STAFF


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
    user=None,
) -> DataSubjectRequest:
    """Record a request as received, with its deadline one month away.

    A direct-marketing objection for a known customer takes effect at once (GDPR Art. 21(3)).
    """
    received_at = received_at or timezone.now()
    request = DataSubjectRequest.objects.create(
        kind=kind,
        channel=channel,
        requester_name=requester_name,
        requester_contact=requester_contact,
        description=description,
        customer=customer,
        received_at=received_at,
        due_date=due_date_for(received_at),
        ban_channel=ban_channel,
        ban_scope=ban_scope,
    )
    _event(request, RequestEvent.Kind.RECEIVED, user, request.get_channel_display())
    if customer is not None and kind == Kind.OBJECTION:
        _apply_objection(request, user)
    notify_new_request(request=request)
    return request


@transaction.atomic
def link_customer(*, request: DataSubjectRequest, customer: Customer, user=None) -> None:
    """Connect a request to the customer it concerns."""
    _require_open(request)
    request.customer = customer
    request.save(update_fields=["customer"])
    _event(request, RequestEvent.Kind.LINKED, user)
    if request.kind == Kind.OBJECTION:
        _apply_objection(request, user)


@transaction.atomic
def verify_identity(
    *, request: DataSubjectRequest, method: str, user=None, customer: Customer | None = None
) -> None:
    """Record how the requester's identity was verified (GDPR Art. 12(6))."""
    _require_open(request)
    if customer is not None and request.customer_id != customer.pk:
        link_customer(request=request, customer=customer, user=user)
    if request.customer is None:
        raise ValidationError(_t("Yhdistä pyyntö ensin asiakkaaseen."), code="no_customer")
    if method not in DataSubjectRequest.Verification.values:
        raise ValidationError(_t("Valitse todentamistapa."), code="method")
    request.verification_method = method
    request.verified_by = user
    request.verified_at = timezone.now()
    if request.status == Status.RECEIVED:
        request.status = Status.IDENTITY_VERIFIED
    request.save(update_fields=["verification_method", "verified_by", "verified_at", "status"])
    _event(
        request,
        RequestEvent.Kind.IDENTITY_VERIFIED,
        user,
        str(DataSubjectRequest.Verification(method).label),
    )


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
        raise ValidationError(_t("Jatkoajalle on kerrottava peruste."), code="reason")
    total = request.extension_months + months
    if months < 1 or total > 2:
        raise ValidationError(
            _t("Määräaikaa voi jatkaa enintään kahdella kuukaudella."), code="too_long"
        )
    first_month_ends = due_date_for(request.received_at)
    if notified_on > first_month_ends:
        raise ValidationError(
            _t("Jatkoajasta on ilmoitettava ensimmäisen kuukauden kuluessa (%(date)s).")
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


def _start(request: DataSubjectRequest, user) -> None:
    if request.status == Status.IDENTITY_VERIFIED:
        request.status = Status.IN_PROGRESS
        request.save(update_fields=["status"])
        _event(request, RequestEvent.Kind.STARTED, user)


def _letter_language(request: DataSubjectRequest) -> str:
    return (request.customer.preferred_language if request.customer else "") or "fi"


def _letter_head(request: DataSubjectRequest) -> list[str]:
    return [
        _t("Päätös tietosuojapyyntöön %(reference)s") % {"reference": request.reference},
        "",
        _t("Pyyntö: %(kind)s") % {"kind": request.get_kind_display()},
        _t("Vastaanotettu: %(date)s")
        % {"date": timezone.localdate(request.received_at).strftime("%d.%m.%Y")},
        _t("Päivämäärä: %(date)s") % {"date": timezone.localdate().strftime("%d.%m.%Y")},
        "",
    ]


def _letter_foot() -> list[str]:
    controller = Controller.current()
    return ["", controller.name if controller else ""]


# GDPR Art. 12(4), 77 and 79: every refusal names the supervisory authority and the courts.
REMEDIES = (
    gettext_noop("Muutoksenhaku"),
    gettext_noop(
        "Jos katsot, että henkilötietojesi käsittelyssä rikotaan tietosuoja-asetusta, sinulla on "
        "oikeus tehdä valitus valvontaviranomaiselle (EU:n yleinen tietosuoja-asetus, 77 artikla):"
    ),
    "Tietosuojavaltuutetun toimisto",
    "PL 800, 00531 Helsinki",
    "tietosuoja@om.fi, puhelin 029 566 6700, tietosuoja.fi",
    gettext_noop(
        "Sinulla on lisäksi oikeus saattaa asia tuomioistuimen, kuten käräjäoikeuden, "
        "käsiteltäväksi (79 artikla)."
    ),
)


def refusal_decision_text(request: DataSubjectRequest) -> str:
    """Return the written refusal with its reasons and the remedies (GDPR Art. 12(4))."""
    with translation.override(_letter_language(request)):
        lines = _letter_head(request)
        lines += [
            _t("Ratkaisu: pyyntöä ei toteuteta."),
            "",
            _t("Perusteet: %(reason)s") % {"reason": request.get_refusal_reason_display()},
        ]
        if request.refusal_details:
            lines.append(request.refusal_details)
        lines += ["", *(_t(line) for line in REMEDIES)]
        lines += _letter_foot()
    return "\n".join(lines)


@transaction.atomic
def refuse_request(
    *, request: DataSubjectRequest, reason: str, details: str = "", user=None
) -> str:
    """Refuse the request with reasons and return the written decision (GDPR Art. 12(4))."""
    _require_open(request)
    if reason not in DataSubjectRequest.RefusalReason.values:
        raise ValidationError(_t("Valitse hylkäyksen peruste."), code="reason")
    if reason == DataSubjectRequest.RefusalReason.OTHER and not details.strip():
        raise ValidationError(_t("Kirjoita hylkäyksen perustelut."), code="details")
    request.refusal_reason = reason
    request.refusal_details = details.strip()
    request.status = Status.REFUSED
    request.decision_text = refusal_decision_text(request)
    request.decided_at = timezone.now()
    request.decided_by = user
    request.save()
    _event(request, RequestEvent.Kind.REFUSED, user, request.get_refusal_reason_display())
    send_decision_letter(
        request=request, recipient=letter_recipient(request), language=_letter_language(request)
    )
    return request.decision_text


@transaction.atomic
def withdraw_request(*, request: DataSubjectRequest, user=None) -> None:
    """Close the request because the person withdrew it."""
    _require_open(request)
    request.status = Status.WITHDRAWN
    request.decided_at = timezone.now()
    request.decided_by = user
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
    """Ban marketing on a channel and scope from now on; return the active ban."""
    ban = MarketingBan.objects.filter(
        customer=customer, channel=channel, scope=scope, lifted_at__isnull=True
    ).first()
    if ban is None:
        ban = MarketingBan.objects.create(
            customer=customer, channel=channel, scope=scope, via=_via(request)
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
    """Mark the customer restricted: only storage and essential processing (GDPR Art. 18)."""
    Customer.objects.filter(pk=customer.pk).update(is_restricted=True)
    customer.is_restricted = True
    if request is not None:
        _event(request, RequestEvent.Kind.RESTRICTED, user)
        _notify_list(request, customer, fields=None)


@transaction.atomic
def lift_restriction(
    *, customer: Customer, request: DataSubjectRequest | None = None, user=None
) -> None:
    """Lift a restriction; the person must have been told before (GDPR Art. 18(3))."""
    Customer.objects.filter(pk=customer.pk).update(is_restricted=False)
    customer.is_restricted = False
    if request is not None:
        _event(request, RequestEvent.Kind.RESTRICTION_LIFTED, user)


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
        raise ValidationError(_t("Vain oikaisupyyntöön voi liittää korjauksia."), code="kind")
    if request.customer is None:
        raise ValidationError(_t("Yhdistä pyyntö ensin asiakkaaseen."), code="no_customer")
    if field_name not in correctable_fields():
        raise ValidationError(_t("Tätä kenttää ei voi oikaista."), code="field")
    customer = request.customer
    item = CorrectionItem.objects.create(
        request=request,
        field_name=field_name,
        old_value=str(getattr(customer, field_name) or ""),
        new_value=normalise_correction(customer, field_name, new_value),
        reason=reason,
    )
    _event(request, RequestEvent.Kind.CORRECTION_PROPOSED, user, field_name)
    return item


@transaction.atomic
def decide_correction(*, item: CorrectionItem, approve: bool, reason: str = "", user=None) -> None:
    """Approve or reject one proposed change; a rejection needs its reasons (Art. 12(4))."""
    _require_open(item.request)
    if item.state != CorrectionItem.State.PROPOSED:
        raise ValidationError(_t("Korjaus on jo ratkaistu."), code="decided")
    if not approve and not reason.strip():
        raise ValidationError(_t("Kirjoita hylkäyksen perustelu."), code="reason")
    item.state = CorrectionItem.State.APPROVED if approve else CorrectionItem.State.REJECTED
    item.decision_reason = reason.strip()
    item.decided_by = user
    item.decided_at = timezone.now()
    item.save()
    _event(item.request, RequestEvent.Kind.CORRECTION_DECIDED, user, f"{item.field_name}")


def _notify_list(
    request: DataSubjectRequest, customer: Customer, fields: set[str] | None
) -> list[RecipientNotification]:
    """List the recipients that received the given fields (all, when None) (GDPR Art. 19)."""
    notifications = []
    for disclosure in customer.disclosures.all():
        received = set(disclosure.fields or [])
        touched = received if fields is None else received & fields
        if fields is not None and not touched:
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
            _t("Kaikki ehdotetut korjaukset on ratkaistava ensin."), code="undecided"
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
            _t("Korjausta ei voi tehdä: arvo on jo toisen asiakkaan käytössä."), code="unique"
        ) from exc
    now = timezone.now()
    CorrectionItem.objects.filter(pk__in=[i.pk for i in items]).update(
        state=CorrectionItem.State.APPLIED, applied_at=now
    )
    changed = {item.field_name for item in items}
    notifications = _notify_list(request, customer, changed) if changed else []
    _event(request, RequestEvent.Kind.CORRECTIONS_APPLIED, user, ", ".join(sorted(changed)))
    return notifications


@transaction.atomic
def mark_recipients_notified(*, request: DataSubjectRequest, method: str, user=None) -> int:
    """Record that every listed recipient not yet told has now been told (GDPR Art. 19)."""
    pending = request.notifications.filter(notified_at__isnull=True)
    recipients = sorted(set(pending.values_list("recipient", flat=True)))
    count = pending.update(notified_at=timezone.now(), notified_by=user, method=method)
    if count:
        _event(request, RequestEvent.Kind.RECIPIENTS_NOTIFIED, user, ", ".join(recipients))
    return count


# Fulfilling a request.


def _erasure_lines(result: ErasureResult) -> list[str]:
    lines = [_t("Tietosi on poistettu tai anonymisoitu.")]
    kept = {}
    for item in result.plan.kept:
        when = (
            _t("viimeistään %(date)s jälkeen") % {"date": item.kept_until.strftime("%d.%m.%Y")}
            if item.kept_until
            else str(item.criterion)
        )
        kept.setdefault((str(item.model_name), str(item.legal_reason)), set()).add(when)
    if kept:
        lines += ["", _t("Seuraavat tiedot säilytetään lakisääteisen syyn vuoksi:")]
        for (model, reason), whens in sorted(kept.items()):
            lines.append(f"- {model}: {reason} ({'; '.join(sorted(w for w in whens if w))})")
    return lines


def completion_decision_text(
    request: DataSubjectRequest, lines: list[str], language: str | None = None
) -> str:
    """Return the written decision that a request was carried out."""
    with translation.override(language or _letter_language(request)):
        text = [*_letter_head(request), _t("Ratkaisu: pyyntö on toteutettu."), "", *lines]
        text += [
            "",
            _t(
                "Jos olet tyytymätön käsittelyyn, voit tehdä valituksen Tietosuojavaltuutetun "
                "toimistolle (PL 800, 00531 Helsinki, tietosuoja@om.fi, 029 566 6700)."
            ),
            *_letter_foot(),
        ]
    return "\n".join(text)


def _carry_out(request: DataSubjectRequest, customer: Customer, user) -> list[str]:
    """Do what the request's kind requires; return the decision's lines about it."""
    lines: list[str] = []
    if request.kind in (Kind.ACCESS, Kind.PORTABILITY):
        # Built by the task worker (WeasyPrint takes seconds); it expires no earlier than this.
        enqueue(
            create_access_package_task,
            customer_id=customer.pk,
            request_id=request.pk,
            user_id=user.pk if user is not None else None,
        )
        lines.append(
            _t("Tietosi ovat ladattavissa %(date)s asti.")
            % {"date": timezone.localtime(timezone.now() + PACKAGE_LIFETIME).strftime("%d.%m.%Y")}
        )
    elif request.kind == Kind.CORRECTION:
        apply_corrections(request=request, user=user)
        for item in request.corrections.all():
            lines.append(
                f"- {Customer._meta.get_field(item.field_name).verbose_name}: "
                f"{item.get_state_display()}"
                + (f" ({item.decision_reason})" if item.decision_reason else "")
            )
    elif request.kind == Kind.ERASURE:
        lines += _erasure_lines(erase_customer(customer=customer, request=request, user=user))
    elif request.kind == Kind.RESTRICTION:
        restrict_processing(customer=customer, request=request, user=user)
        lines.append(_t("Tietojesi käsittelyä on rajoitettu."))
    elif request.kind == Kind.OBJECTION:
        _apply_objection(request, user)
        lines.append(_t("Markkinointikielto on voimassa."))
    return lines


@transaction.atomic
def fulfil_request(*, request: DataSubjectRequest, user=None) -> DataSubjectRequest:
    """Carry out a verified request as its kind requires and complete it with a decision."""
    customer = _require_verified(request)
    # Read before an erasure clears the address the decision is mailed to.
    recipient = letter_recipient(request)
    _start(request, user)
    # The decision is written in the reader's language, so its lines are too.
    language = _letter_language(request)
    with translation.override(language):
        lines = _carry_out(request, customer, user)
    request.refresh_from_db()
    request.status = Status.COMPLETED
    request.decided_at = timezone.now()
    request.decided_by = user
    request.decision_text = completion_decision_text(request, lines, language)
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_text"])
    _event(request, RequestEvent.Kind.COMPLETED, user)
    send_decision_letter(request=request, recipient=recipient, language=language)
    return request
