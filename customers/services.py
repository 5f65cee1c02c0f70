"""Writes to the customer register that every channel (portal, staff panel, API, import) shares."""

import datetime as dt
import functools
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from customers import marketing
from customers.models import (
    STAFF_VIAS,
    BanChannel,
    BanScope,
    Carrier,
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    CustomerNote,
    Disclosure,
    MarketingBan,
    Order,
    Shipment,
)
from privacy import connected_systems
from privacy.citations import Style, cite
from privacy.declaration import get_field
from statement import registry
from statement.models import StatementRecipient, StatementVersion


def record_activity(*, customer: Customer, at: dt.datetime | None = None) -> None:
    """Move the customer's last activity forward to `at` (never back, never into the future).

    The retention sweep measures inactivity from it (WHILE_CUSTOMER), so every dealing of the
    customer's own counts: an order from any channel, a consent or ban given, a portal login, a
    request, a message to customer service. One UPDATE, in the caller's transaction.
    """
    at = min(at or timezone.now(), timezone.now())
    Customer.objects.filter(pk=customer.pk, last_activity_at__lt=at).update(last_activity_at=at)
    if customer.last_activity_at is None or customer.last_activity_at < at:
        customer.last_activity_at = at


def validate_consent(
    *,
    customer: Customer,
    purpose: str,
    channel: str,
    is_granted: bool,
    via: str,
    occurred_at: dt.datetime,
    wording: str = "",
    evidence: str = "",
) -> None:
    """Raise ValidationError when a consent event may not be recorded (forms call this too).

    One the staff record (told by phone, mail, a form or in person) must say what shows it
    happened, and a consent the wording the person agreed to (GDPR Art. 7(1): the shop must be
    able to demonstrate consent).
    """
    if customer.erased_at is not None:
        raise ValidationError(_("Poistetun asiakkaan suostumusta ei voi kirjata."))
    errors = {}
    if via in STAFF_VIAS:
        if not evidence.strip():
            errors["evidence"] = _(
                "Kirjaa, mistä tämä näkyy: esimerkiksi puhelun aika, sähköpostiviestin päivämäärä "
                "tai lomakkeen tunniste."
            )
        if is_granted and not wording.strip():
            errors["wording"] = _(
                "Kirjaa sanamuoto, jolla suostumusta pyydettiin: suostumuksen on oltava "
                "osoitettavissa (%(article)s)."
            ) % {"article": cite("7(1)", style=Style.TEXT)}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = _("Tuntematon käyttötarkoitus %(value)s.") % {"value": purpose}
    if channel not in Channel.values:
        errors["channel"] = _("Tuntematon kanava %(value)s.") % {"value": channel}
    if via not in ConsentEvent.Via.values:
        errors["via"] = _("Tuntematon lähde %(value)s.") % {"value": via}
    if errors:
        raise ValidationError(errors)
    if is_granted and (ban := _ban_against(customer, purpose, channel)) is not None:
        raise ValidationError(
            {
                "is_granted": _(
                    "Asiakkaalla on voimassa kielto (%(ban)s), joka estää tämän. Kielto on "
                    "poistettava ennen kuin suostumuksen voi kirjata."
                )
                % {"ban": f"{ban.get_scope_display()}, {ban.get_channel_display()}"}
            }
        )
    if is_granted and not marketing.can_consent_alone(
        customer.birth_date, timezone.localdate(occurred_at)
    ):
        raise ValidationError(
            {
                "is_granted": _(
                    "Alle 13-vuotias ei voi antaa suostumusta yksin (tietosuojalaki 5 §)."
                )
            }
        )


def _ban_against(customer: Customer, purpose: str, channel: str) -> MarketingBan | None:
    """Return a ban in force that forbids what a consent for (purpose, channel) would allow."""
    scopes = marketing.BANS_AGAINST_CONSENT.get(purpose, ())
    if not scopes or customer.pk is None:
        return None
    return (
        MarketingBan.objects.filter(
            customer=customer,
            lifted_at__isnull=True,
            scope__in=scopes,
            channel__in=(channel, BanChannel.ALL),
        )
        .order_by("created_at")
        .first()
    )


def consent_state(
    customer: Customer, *, purposes: Iterable[str] = (), channels: Iterable[str] = ()
) -> dict[tuple[str, str], bool]:
    """Return the latest consent decision per (purpose, channel); absent when never asked.

    `purposes` and `channels` narrow it down when given.
    """
    events = ConsentEvent.objects.filter(customer=customer)
    if purposes:
        events = events.filter(purpose__in=purposes)
    if channels:
        events = events.filter(channel__in=channels)
    state: dict[tuple[str, str], bool] = {}
    ordered = events.order_by("occurred_at", "id")
    for purpose, channel, is_granted in ordered.values_list("purpose", "channel", "is_granted"):
        state[(purpose, channel)] = is_granted
    return state


def _withdraw_consents_against(ban: MarketingBan) -> int:
    """Withdraw the customer's consents in force that the new ban contradicts; return how many.

    Recorded at the ban's time and way in, with the statement version it was set under: the
    ban is the withdrawal's proof.
    """
    purposes = marketing.consents_against_ban(ban.scope)
    if not purposes:
        return 0
    channels = Channel.values if ban.channel == BanChannel.ALL else [ban.channel]
    state = consent_state(ban.customer, purposes=purposes, channels=channels)
    withdrawn = [
        ConsentEvent(
            customer=ban.customer,
            purpose=purpose,
            channel=channel,
            is_granted=False,
            occurred_at=ban.created_at,
            via=ban.via,
            statement_version=ban.statement_version,
        )
        for (purpose, channel), granted in sorted(state.items())
        if granted
    ]
    ConsentEvent.objects.bulk_create(withdrawn)
    return len(withdrawn)


@transaction.atomic
def record_consent(
    *,
    customer: Customer,
    purpose: str,
    channel: str,
    is_granted: bool,
    via: str,
    statement_version: StatementVersion | None = None,
    wording: str = "",
    occurred_at: dt.datetime | None = None,
    evidence: str = "",
    recorded_by=None,
) -> ConsentEvent:
    """Append one grant or withdrawal of consent to the customer's history.

    The event is stamped with the statement version it was given under: the caller's, or the
    version in force.
    """
    occurred_at = occurred_at or timezone.now()
    statement_version = statement_version or StatementVersion.latest()
    validate_consent(
        customer=customer,
        purpose=purpose,
        channel=channel,
        is_granted=is_granted,
        via=via,
        occurred_at=occurred_at,
        wording=wording,
        evidence=evidence,
    )
    event = ConsentEvent.objects.create(
        customer=customer,
        purpose=purpose,
        channel=channel,
        is_granted=is_granted,
        via=via,
        statement_version=statement_version,
        wording=wording,
        evidence=evidence,
        recorded_by=recorded_by.get_username() if recorded_by is not None else "",
        occurred_at=occurred_at,
    )
    if is_granted:
        # The person's own new consent ends an earlier objection for that contact detail
        # (the SUPPRESSION rule).
        marketing.lift_suppression(customer=customer, channel=channel)
    record_activity(customer=customer, at=occurred_at)
    return event


def _check_ban_choices(channel: str, scope: str) -> None:
    errors = {}
    if channel not in BanChannel.values:
        errors["channel"] = _("Tuntematon kanava %(value)s.") % {"value": channel}
    if scope not in BanScope.values:
        errors["scope"] = _("Tuntematon kiellon laajuus %(value)s.") % {"value": scope}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_marketing_ban(
    *,
    customer: Customer,
    channel: str,
    scope: str,
    via: str,
    statement_version: StatementVersion | None = None,
) -> MarketingBan:
    """Forbid a kind of marketing on a channel; an already active identical ban is returned.

    Locks the customer row so that two simultaneous requests cannot both create the ban.
    """
    _check_ban_choices(channel, scope)
    if via not in ConsentEvent.Via.values:
        raise ValidationError({"via": _("Tuntematon lähde %(value)s.") % {"value": via}})
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    ban = MarketingBan.objects.filter(
        customer=customer, channel=channel, scope=scope, lifted_at__isnull=True
    ).first()
    if ban is not None:
        return ban
    record_activity(customer=customer)
    ban = MarketingBan.objects.create(
        customer=customer,
        channel=channel,
        scope=scope,
        via=via,
        statement_version=statement_version,
    )
    # A ban replaces the consents it contradicts: the two are never in force together.
    _withdraw_consents_against(ban)
    # The newsletter tool and the web shop stop marketing too (platforms, through an outbox).
    connected_systems.tell_ban(customer=customer, ban=ban)
    return ban


@transaction.atomic
def lift_marketing_ban(*, customer: Customer, channel: str, scope: str) -> MarketingBan | None:
    """Lift the customer's active ban on a channel and scope; return it, or None if none was on."""
    _check_ban_choices(channel, scope)
    ban = (
        MarketingBan.objects.select_for_update()
        .filter(customer=customer, channel=channel, scope=scope, lifted_at__isnull=True)
        .first()
    )
    if ban is not None:
        ban.lifted_at = timezone.now()
        ban.save(update_fields=["lifted_at"])
        record_activity(customer=customer, at=ban.lifted_at)
    return ban


@transaction.atomic
def save_note(*, note: CustomerNote, author=None) -> CustomerNote:
    """Save a customer-service note; a message from or to the customer counts as activity."""
    if note.author_id is None and getattr(author, "is_authenticated", False):
        note.author = author
    is_new = note.pk is None
    note.save()
    if is_new and note.kind != CustomerNote.Kind.INTERNAL:
        record_activity(customer=note.customer, at=note.created_at)
    return note


def _recipient_kind(recipient: StatementRecipient) -> str:
    kinds = {
        StatementRecipient.Kind.CARRIER: Disclosure.RecipientKind.CARRIER,
        StatementRecipient.Kind.COLLECTION: Disclosure.RecipientKind.COLLECTION,
        StatementRecipient.Kind.AUTHORITY: Disclosure.RecipientKind.AUTHORITY,
    }
    if recipient.kind in kinds:
        return kinds[recipient.kind]
    if recipient.role == StatementRecipient.Role.PROCESSOR:
        return Disclosure.RecipientKind.PROCESSOR
    return Disclosure.RecipientKind.OTHER


@functools.cache
def disclosable_field_groups() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Return the fields a disclosure can name, grouped: (the customer's, the order's).

    A field both models have (the web shop's identifier) is listed once, with the customer's.
    Read once: the declaration is complete when the apps are loaded, and the labels are lazy, so
    they read in whatever language is active where they are shown.
    """
    seen: set[str] = set()
    groups = []
    for model in (Customer, Order):
        fields = []
        for field in model._meta.concrete_fields:
            if get_field(model, field.name) is not None and field.name not in seen:
                seen.add(field.name)
                fields.append((field.name, capfirst(field.verbose_name)))
        groups.append((capfirst(model._meta.verbose_name), tuple(fields)))
    return tuple(groups)


@functools.cache
def disclosable_fields() -> tuple[tuple[str, str], ...]:
    """Return (name, label) of every declared personal-data field a disclosure can name.

    A disclosure names the customer's and the order's fields by their names in the register, so
    that a correction or erasure of a field finds every recipient who received it (Art. 19).
    """
    return tuple(choice for _group, fields in disclosable_field_groups() for choice in fields)


@functools.cache
def _field_labels() -> dict[str, str]:
    return dict(disclosable_fields())


def describe_fields(names: Iterable[str]) -> str:
    """Return the labels of disclosed fields as staff read them ("Sähköpostiosoite, Puhelin")."""
    labels = _field_labels()
    return ", ".join(str(labels.get(name, name)) for name in names) or "–"


def validate_disclosure(
    *,
    customer: Customer,
    recipient: StatementRecipient,
    fields: list[str],
    reason: str,
    order: Order | None = None,
) -> None:
    """Raise ValidationError (in Finnish) when record_disclosure would refuse these details."""
    registry.require_listed(recipient)
    if not fields:
        raise ValidationError(_("Kerro, mitkä tiedot luovutettiin."), code="fields")
    unknown = sorted(set(fields) - _field_labels().keys())
    if unknown:
        raise ValidationError(
            _("Tuntematon tieto: %(names)s. Luovutetut tiedot nimetään rekisterin kentillä.")
            % {"names": ", ".join(f"”{name}”" for name in unknown)},
            code="fields",
        )
    if not reason.strip():
        raise ValidationError(_("Kerro luovutuksen peruste."), code="reason")
    if order is not None and order.customer_id != customer.pk:
        raise ValidationError(_("Tilaus ei ole tämän asiakkaan."), code="order")


def record_disclosure(
    *,
    customer: Customer,
    recipient: StatementRecipient,
    fields: list[str],
    reason: str,
    order: Order | None = None,
    at: dt.datetime | None = None,
) -> Disclosure:
    """Log that these fields of the customer's data went to a recipient the statement names.

    Refused (ValidationError, in Finnish) when the statement in force does not name the
    recipient: the log never holds a recipient the customer was not told about. The log is what
    GDPR Art. 19 notices and the access package are read from.
    """
    validate_disclosure(
        customer=customer, recipient=recipient, fields=fields, reason=reason, order=order
    )
    return Disclosure.objects.create(
        customer=customer,
        order=order,
        listed_recipient=recipient,
        recipient=recipient.name_fi,
        recipient_kind=_recipient_kind(recipient),
        fields=sorted(set(fields)),
        reason=reason.strip(),
        disclosed_at=at or timezone.now(),
    )


# What a carrier receives to deliver an order, and a collection agency to collect its invoice.
CARRIER_FIELDS = Order.DELIVERY_FIELDS
COLLECTION_FIELDS = Order.BILLING_FIELDS


def listed_carrier(carrier: str) -> StatementRecipient:
    """Return the recipient a parcel with `carrier` goes to, named by the statement in force.

    Refused (ValidationError, in Finnish) for a carrier the registry lacks or the statement in
    force does not name: the API and the staff forms ask this before a parcel is recorded.
    """
    try:
        recipient = registry.carrier_recipient(carrier)
    except ValidationError:
        # Refused: said with the carrier's name, as staff and the shop know it (looked up only
        # then, not for every parcel); the second call raises with it.
        registry.carrier_recipient(carrier, Carrier.objects.name_of(carrier))
        raise
    registry.require_listed(recipient)
    return recipient


def disclose_to_carrier(*, shipment: Shipment) -> Disclosure:
    """Log the hand-over of an order's delivery details to the shipment's carrier.

    The carrier's recipient comes from the registry; a carrier the statement does not name is
    refused before any parcel is handed over (ValidationError, `listed_carrier`).
    """
    return record_disclosure(
        customer=shipment.order.customer,
        recipient=listed_carrier(shipment.carrier),
        fields=list(CARRIER_FIELDS),
        reason=_("Tilauksen toimitus"),
        order=shipment.order,
        at=shipment.shipped_at,
    )


def disclose_for_collection(*, order: Order) -> Disclosure:
    """Log the hand-over of an unpaid invoice's billing details to the collection agency."""
    return record_disclosure(
        customer=order.customer,
        recipient=registry.recipient_of_kind(StatementRecipient.Kind.COLLECTION),
        fields=list(COLLECTION_FIELDS),
        reason=_("Maksamattoman laskun perintä"),
        order=order,
    )
