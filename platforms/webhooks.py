"""Webhooks from the web shop platforms: verified, stored once, applied by the task worker.

`receive_webhook` is all the request does: find the connection whose secret signs the raw body
(HMAC-SHA256, base64, compared in constant time), store the event under the platform's event id
(a repeat of a stored id changes nothing) and enqueue its processing. A bad or missing
signature writes nothing.

`process_event` applies the event through the services the API uses (`integrations.services`,
validated by its serializers): customers and orders upserted by the platform's ids, an update
older than what is stored skipped, an unsubscribe from email or SMS marketing recorded as a
ban, Shopify's data-subject requests opened as cases (`rights.cases.receive_request`, channel
"web shop"). What the import reads too follows the import's own rules
(`integrations.csv_import`): the relationship's start and the shop's note (`shop_facts`), an
order's currency, time and lines (`order_rows`). The body is cleared once the event is
processed: the event log is not a copy of the shop.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from customers.models import BanChannel, BanScope, Customer, Order
from integrations import services
from integrations.csv_import import order_rows, shop_facts
from integrations.serializers import CustomerSerializer, OrderSerializer
from platforms import payloads, tasks
from platforms.encryption import UnreadableSecret
from platforms.models import Connection, ExternalId, WebhookEvent
from privacy import audit
from rekisteri.tasks import enqueue
from rights.cases import receive_request
from rights.ledger import is_erased_shop_id
from rights.models import DataSubjectRequest

Kind = Connection.Kind
Status = WebhookEvent.Status


@dataclass(frozen=True)
class Headers:
    """Where each platform puts the signature, the event id, the topic and the shop's address."""

    signature: str
    event_ids: tuple[str, ...]
    topic: str
    source: str


HEADERS = {
    Kind.SHOPIFY: Headers(
        signature="X-Shopify-Hmac-Sha256",
        # Duplicates of one event share X-Shopify-Event-Id; older deliveries had only the id of
        # the webhook delivery, which retries keep too.
        event_ids=("X-Shopify-Event-Id", "X-Shopify-Webhook-Id"),
        topic="X-Shopify-Topic",
        source="X-Shopify-Shop-Domain",
    ),
    Kind.WOOCOMMERCE: Headers(
        signature="X-WC-Webhook-Signature",
        event_ids=("X-WC-Webhook-Delivery-ID",),
        topic="X-WC-Webhook-Topic",
        source="X-WC-Webhook-Source",
    ),
}

# WooCommerce checks a new webhook's address with an unsigned form post of its id.
_WOOCOMMERCE_PING = re.compile(rb"webhook_id=\d+")


@dataclass(frozen=True)
class Receipt:
    """The answer to a webhook: its HTTP status, and the event stored (None when none was)."""

    status: int
    event: WebhookEvent | None = None
    replayed: bool = False
    # With 429: the seconds the platform is asked to wait (Retry-After).
    retry_after: int = 0


def signature(secret: str, body: bytes) -> str:
    """Return the base64 HMAC-SHA256 of the raw body, as both platforms sign it."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signed_by(connection: Connection, body: bytes, given: str) -> bool:
    """Return whether `given` is the connection's signature of `body` (constant-time)."""
    try:
        secret = connection.webhook_secret
    except UnreadableSecret:
        return False
    if not secret or not given:
        return False
    return hmac.compare_digest(signature(secret, body).encode(), given.strip().encode())


def _host(value: str) -> str:
    value = value.strip().lower()
    return (urlsplit(value).hostname or "") if "//" in value else value.rstrip("/")


def _signing_connection(kind: str, body: bytes, headers: Any) -> Connection | None:
    names = HEADERS[kind]
    given = headers.get(names.signature, "")
    if not given:
        return None
    source = _host(headers.get(names.source, ""))
    candidates = sorted(
        Connection.objects.filter(kind=kind, is_active=True),
        # The shop the headers name is tried first; the others only if its secret fails.
        key=lambda connection: _host(connection.base_url) != source,
    )
    return next((c for c in candidates if signed_by(c, body, given)), None)


def receive_webhook(
    *,
    kind: str,
    body: bytes,
    headers: Any,
    throttle: Callable[[Connection], int | None] | None = None,
) -> Receipt:
    """Verify, store and enqueue one webhook; answer 401 for a bad signature, 200 for a repeat.

    `throttle(connection)` returns the seconds to wait when the signing connection is over its
    rate (answered 429, nothing stored), else None.
    """
    names = HEADERS[kind]
    unsigned = not headers.get(names.signature)
    if kind == Kind.WOOCOMMERCE and unsigned and _WOOCOMMERCE_PING.fullmatch(body.strip()):
        return Receipt(status=200)
    connection = _signing_connection(kind, body, headers)
    if connection is None:
        return Receipt(status=401)
    wait = throttle(connection) if throttle is not None else None
    if wait is not None:
        return Receipt(status=429, retry_after=wait)
    event_id = next((headers.get(name) for name in names.event_ids if headers.get(name)), "")
    topic = headers.get(names.topic, "")
    try:
        data = json.loads(body)
    except ValueError:
        return Receipt(status=400)
    if not event_id or not topic or not isinstance(data, dict):
        return Receipt(status=400)
    try:
        # Insert first: a new event (the usual case) costs one statement, a repeat is refused by
        # the unique constraint and answered as done.
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                connection=connection, event_id=event_id[:200], topic=topic[:100], body=data
            )
            enqueue(tasks.process_webhook_event_task, event_id=event.pk)
    except IntegrityError:
        event = WebhookEvent.objects.filter(connection=connection, event_id=event_id[:200]).first()
        if event is None:
            raise  # not a repeat: the processing run inline (immediate backend) failed
        return Receipt(status=200, event=event, replayed=True)
    return Receipt(status=200, event=event)


# Applying an event.


class Skip(Exception):
    """The event is not applied; the message says why (shown to staff)."""


def _errors_text(detail: Any) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{name}: {_errors_text(value)}" for name, value in detail.items())
    if isinstance(detail, list):
        return ", ".join(_errors_text(value) for value in detail)
    return str(detail)


def _validated(serializer_class: type, data: dict) -> dict:
    """Validate an API body; fields the API refuses are left out, unless the id or lines are."""
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return dict(serializer.validated_data)
    essential = {"external_id", "customer", "lines", "number", "non_field_errors"}
    if essential & set(serializer.errors):
        raise serializers.ValidationError(serializer.errors)
    serializer = serializer_class(
        data={k: v for k, v in data.items() if k not in serializer.errors}
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _external(connection: Connection, kind: str, platform_id: str) -> ExternalId | None:
    return (
        ExternalId.objects.select_for_update()
        .select_related("customer")
        .filter(connection=connection, kind=kind, platform_id=platform_id)
        .first()
    )


def _is_older(link: ExternalId | None, updated_at) -> bool:
    return bool(
        link and link.platform_updated_at and updated_at and updated_at < link.platform_updated_at
    )


def _register_id(connection: Connection, link: ExternalId | None, platform_id: str) -> str:
    """Return the external_id the register keeps for the platform's customer."""
    if link is not None and link.customer.external_id:
        return link.customer.external_id
    holder_links = ExternalId.objects.filter(
        customer__external_id=platform_id, kind=ExternalId.Kind.CUSTOMER
    ).exclude(connection=connection)
    if holder_links.exists():
        raise Skip(_("Sama asiakastunniste kuuluu jo toisen verkkokaupan asiakkaalle."))
    return platform_id


def _link(
    connection: Connection, kind: str, platform_id: str, customer: Customer, updated_at, order=None
) -> None:
    link, _created = ExternalId.objects.get_or_create(
        connection=connection,
        kind=kind,
        platform_id=platform_id,
        defaults={"customer": customer, "order": order, "platform_updated_at": updated_at},
    )
    if updated_at and (link.platform_updated_at is None or updated_at > link.platform_updated_at):
        link.platform_updated_at = updated_at
        link.save(update_fields=["platform_updated_at"])


def _upsert_customer(data: dict, *, update: bool = True) -> Customer:
    """Create or (with `update`) update the customer; an address change stays the customer's own.

    The API refuses to change a login address or to link an existing customer by address; the
    webhook then writes the rest, and staff link or the customer changes the address.
    """
    validated = _validated(CustomerSerializer, data)
    external_id = validated.pop("external_id")
    existing = Customer.objects.active().filter(external_id=external_id).first()
    if existing is not None and not update:
        return existing
    try:
        customer, _created = services.upsert_customer(external_id=external_id, data=validated)
    except services.IdentityChangeRefused:
        if existing is None:
            raise Skip(
                _("Rekisterissä on jo asiakas tällä sähköpostiosoitteella; liitä tunniste käsin.")
            ) from None
        validated.pop("email", None)
        customer, _created = services.upsert_customer(external_id=external_id, data=validated)
    return customer


def _apply_customer(
    event: WebhookEvent, body: dict, data: dict, facts: payloads.CustomerFacts, source: str
) -> str:
    """Upsert the customer; its relationship start and note follow the import's rules."""
    connection = event.connection
    platform_id = data["external_id"]
    updated_at = payloads.timestamp(body.get("updated_at") or body.get("date_modified_gmt"))
    _refuse_erased(platform_id)
    link = _external(connection, ExternalId.Kind.CUSTOMER, platform_id)
    if _is_older(link, updated_at):
        raise Skip(_("Ohitettu: tallennettu tieto on uudempi."))
    data = {**data, "external_id": _register_id(connection, link, platform_id)}
    customer = _upsert_customer(data)
    _link(connection, ExternalId.Kind.CUSTOMER, platform_id, customer, updated_at)
    shop_facts.record_shop_facts(
        customer=customer,
        started_at=facts.started_at,
        note=facts.note,
        source=source,
        actor_label=connection.name,
        details={"via": "webhook", "topic": event.topic},
    )
    return _("Asiakkaan tiedot tallennettu.")


def _refuse_erased(platform_id: str) -> None:
    """Skip an event of a customer the register has erased (the erasure ledger knows the id).

    The shop may send them before it has processed the register's erasure request: nothing of
    theirs is written, and the event's note says why.
    """
    if is_erased_shop_id(platform_id):
        raise Skip(
            _(
                "Ohitettu: asiakas on poistettu rekisteristä, eikä verkkokaupan tieto tuo häntä "
                "takaisin."
            )
        )


class _GuestCustomerSerializer(CustomerSerializer):
    """The API's customer body without a shop id: a guest order's buyer."""

    external_id = None

    class Meta(CustomerSerializer.Meta):
        fields = [name for name in CustomerSerializer.Meta.fields if name != "external_id"]


class _GuestOrderSerializer(OrderSerializer):
    """The API's order body with its buyer found by the webhook, not by a shop id."""

    customer = None

    class Meta(OrderSerializer.Meta):
        fields = [name for name in OrderSerializer.Meta.fields if name != "customer"]


def _guest_buyer(customer_data: dict, kept: Order | None) -> Customer:
    """Return a guest order's buyer: the order's own once stored, else by its email.

    As the order import does: the customer with the order's email, else a new customer from
    the order's billing details. A guest order without an email names no one to find again.
    """
    if kept is not None:
        return kept.customer
    data = {k: v for k, v in customer_data.items() if k != "external_id"}
    validated = _validated(_GuestCustomerSerializer, data)
    if not validated.get("email"):
        raise Skip(_("Ohitettu: vierastilauksella ei ole sähköpostiosoitetta."))
    customer, _created = services.guest_buyer(data=validated)
    return customer


def _apply_order(event: WebhookEvent, body: dict, data: dict, customer_data: dict) -> str:
    connection = event.connection
    customer_id = customer_data.get("external_id", "")
    guest = not customer_id or customer_id == "0"
    if not guest:
        _refuse_erased(customer_id)
    platform_id = data["external_id"]
    try:
        # Both platforms name the order's currency `currency`; the import refuses the same, and
        # an order time in the future, as the import does.
        order_rows.check_currency(payloads.text(body.get("currency")))
        ordered_at = payloads.timestamp(data.get("ordered_at"))
        if ordered_at is not None:
            order_rows.check_ordered_at(ordered_at, data["ordered_at"])
    except order_rows.RowError as exc:
        raise ValidationError(str(exc)) from None
    updated_at = payloads.timestamp(body.get("updated_at") or body.get("date_modified_gmt"))
    link = _external(connection, ExternalId.Kind.ORDER, platform_id)
    if _is_older(link, updated_at):
        raise Skip(_("Ohitettu: tallennettu tieto on uudempi."))
    kept = Order.objects.filter(external_id=platform_id).select_related("customer").first()
    if kept is not None and kept.customer.erased_at is not None:
        # A voucher kept after its buyer's erasure: the shop's update must not bring them back.
        raise Skip(_("Ohitettu: tilaajan tiedot on poistettu rekisteristä."))
    if guest:
        customer = _guest_buyer(customer_data, kept)
        validated = _validated(
            _GuestOrderSerializer, {k: v for k, v in data.items() if k != "customer"}
        )
        validated["customer"] = customer
    else:
        customer_link = _external(connection, ExternalId.Kind.CUSTOMER, customer_id)
        register_id = _register_id(connection, customer_link, customer_id)
        # A new customer comes from the order; a known one keeps what its own events wrote.
        customer = _upsert_customer({**customer_data, "external_id": register_id}, update=False)
        _link(connection, ExternalId.Kind.CUSTOMER, customer_id, customer, None)
        validated = _validated(OrderSerializer, {**data, "customer": customer.external_id})
    order, _created = services.upsert_order(
        external_id=validated.pop("external_id"), data=validated
    )
    _link(connection, ExternalId.Kind.ORDER, platform_id, customer, updated_at, order=order)
    return _("Tilaus tallennettu.")


def _find_customer(connection: Connection, platform_id: str) -> Customer | None:
    link = ExternalId.objects.filter(
        connection=connection, kind=ExternalId.Kind.CUSTOMER, platform_id=platform_id
    ).first()
    if link is not None:
        return link.customer
    return (
        Customer.objects.active().filter(external_id=platform_id).first() if platform_id else None
    )


def _open_case(event: WebhookEvent, kind: str) -> str:
    """Open a data-subject case for Shopify's customers/data_request or customers/redact."""
    body = event.body or {}
    person = body.get("customer") or {}
    customer = _find_customer(event.connection, payloads.text(person.get("id")))
    orders = body.get("orders_requested") or body.get("orders_to_redact") or []
    description = _(
        "Verkkokauppa %(shop)s välitti asiakkaan pyynnön (%(topic)s). Tilaukset verkkokaupan "
        "tunnuksin: %(orders)s. Varmista henkilöllisyys ennen toteuttamista."
    ) % {
        "shop": event.connection.name,
        "topic": event.topic,
        "orders": ", ".join(map(str, orders)) or "–",
    }
    case = receive_request(
        kind=kind,
        channel=DataSubjectRequest.Channel.WEB_SHOP,
        requester_contact=payloads.text(person.get("email")),
        description=description,
        customer=customer if customer is not None and customer.erased_at is None else None,
    )
    return _("Pyyntö %(reference)s avattu.") % {"reference": case.reference}


def _shop_redact(event: WebhookEvent) -> str:
    """Disconnect the shop Shopify says uninstalled the register 48 hours ago.

    The customers and orders are the register's own (the shop's controller keeps them for its
    accounting and customer relationship, with their own retention), so they stay; what only
    the connection needs goes: its keys, secrets and the platform's ids of customers and orders.
    """
    connection = event.connection
    removed, _by_model = connection.external_ids.all().delete()
    connection.is_active = False
    connection.api_key = connection.api_secret = ""
    connection.save(
        update_fields=["is_active", "api_key_sealed", "api_secret_sealed", "updated_at"]
    )
    audit.record(
        actor=None,
        actor_label=connection.name,
        action=audit.AuditEntry.Action.CHANGE,
        object_label=audit.object_label(connection),
        details={"via": "webhook", "topic": event.topic, "external_ids_removed": removed},
    )
    return _("Yhteys poistettu käytöstä; verkkokaupan tunnisteet poistettu.")


@dataclass(frozen=True)
class ConsentTopic:
    """Where one of Shopify's marketing consent topics puts the customer's id and the consent."""

    channel: str
    customer_id: str
    consent: str


# Since API 2025-01 the customer topics carry no marketing consent: each channel has its own.
SHOPIFY_CONSENT_TOPICS = {
    "customers_email_marketing_consent/update": ConsentTopic(
        channel=BanChannel.EMAIL, customer_id="customer_id", consent="email_marketing_consent"
    ),
    "customers_marketing_consent/update": ConsentTopic(
        channel=BanChannel.SMS, customer_id="id", consent="sms_marketing_consent"
    ),
}


def _shopify_marketing_consent(event: WebhookEvent, body: dict, topic: ConsentTopic) -> str:
    """Record a ban of the channel's direct marketing when the customer unsubscribed in the shop.

    Any other state writes nothing: the webhook takes only the customer's refusal from the
    shop. A later "subscribed" does not lift the ban; the customer lifts it in the portal.
    """
    state = payloads.text((body.get(topic.consent) or {}).get("state")).lower()
    if state != "unsubscribed":
        raise Skip(
            _("Ohitettu: asiakas ei kieltänyt markkinointia (%(channel)s).")
            % {"channel": BanChannel(topic.channel).label}
        )
    customer = _find_customer(event.connection, payloads.text(body.get(topic.customer_id)))
    if customer is None:
        raise Skip(_("Ohitettu: asiakasta ei löydy rekisteristä."))
    services.set_marketing_ban_from_api(
        customer=customer, channel=topic.channel, scope=BanScope.DIRECT_MARKETING
    )
    return _("Markkinointikielto tallennettu (%(channel)s).") % {
        "channel": BanChannel(topic.channel).label
    }


def _shopify(event: WebhookEvent) -> str:
    body, topic = event.body or {}, event.topic
    if topic.startswith("orders/"):
        customer = payloads.shopify_order_buyer(body)
        return _apply_order(event, body, payloads.shopify_order(body), customer)
    if topic in ("customers/create", "customers/update"):
        return _apply_customer(
            event,
            body,
            payloads.shopify_customer(body),
            payloads.shopify_customer_facts(body),
            source=str(shop_facts.SHOPIFY_WEBHOOK),
        )
    if topic in SHOPIFY_CONSENT_TOPICS:
        return _shopify_marketing_consent(event, body, SHOPIFY_CONSENT_TOPICS[topic])
    if topic == "customers/data_request":
        return _open_case(event, DataSubjectRequest.Kind.ACCESS)
    if topic == "customers/redact":
        return _open_case(event, DataSubjectRequest.Kind.ERASURE)
    if topic == "shop/redact":
        return _shop_redact(event)
    raise Skip(_("Ohitettu: aihetta ei käsitellä."))


def _woocommerce(event: WebhookEvent) -> str:
    body, topic = event.body or {}, event.topic
    if topic in ("order.created", "order.updated"):
        customer = payloads.woocommerce_order_customer(body)
        return _apply_order(event, body, payloads.woocommerce_order(body), customer)
    if topic in ("customer.created", "customer.updated"):
        return _apply_customer(
            event,
            body,
            payloads.woocommerce_customer(body),
            payloads.woocommerce_customer_facts(body),
            source="",
        )
    raise Skip(_("Ohitettu: aihetta ei käsitellä."))


HANDLERS: dict[str, Callable[[WebhookEvent], str]] = {
    Kind.SHOPIFY: _shopify,
    Kind.WOOCOMMERCE: _woocommerce,
}


@transaction.atomic
def process_event(*, event_id: int) -> str:
    """Apply a stored event once; return its status. A failure is recorded, not raised."""
    event = (
        WebhookEvent.objects.select_for_update()
        .select_related("connection")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return "missing"
    if event.status != Status.RECEIVED:
        return event.status
    try:
        with transaction.atomic():
            event.message = HANDLERS[event.connection.kind](event)
        event.status = Status.PROCESSED
    except Skip as skip:
        event.status, event.message = Status.SKIPPED, str(skip)
    except serializers.ValidationError as exc:
        event.status, event.message = Status.FAILED, _errors_text(exc.detail)
    except (ValidationError, services.IdentityChangeRefused) as exc:
        event.status, event.message = Status.FAILED, "; ".join(getattr(exc, "messages", [str(exc)]))
    event.message = event.message[:300]
    event.processed_at = timezone.now()
    event.body = None
    event.save(update_fields=["status", "message", "processed_at", "body"])
    return event.status


def requeue_waiting_events(*, older_than: dt.timedelta) -> int:
    """Enqueue processing again for events still waiting after `older_than`; return how many."""
    waiting = WebhookEvent.objects.filter(
        status=Status.RECEIVED, received_at__lte=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for event_id in waiting.iterator():
        tasks.process_webhook_event_task.enqueue(event_id=event_id)
        count += 1
    return count
