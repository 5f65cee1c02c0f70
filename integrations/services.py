"""Writes that arrive through the API: tokens, upserts keyed by the shop's ids, the call log."""

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import (
    Carrier,
    ConsentEvent,
    Customer,
    Disclosure,
    MarketingBan,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
)
from customers.services import (
    disclose_for_collection,
    disclose_to_carrier,
    lift_marketing_ban,
    record_activity,
    record_consent,
    record_disclosure,
    set_marketing_ban,
)
from integrations.models import ApiCallLog, ApiToken, IdempotencyRecord, ImportJob, hash_secret
from privacy import audit
from privacy.deadlines import add_months
from privacy.vocabulary import API_IDEMPOTENCY, AUDIT_LOG, IMPORT_FILES

SECRET_PREFIX = "rk_"  # noqa: S105 - a visible marker, not a secret


def _idempotency_ttl() -> dt.timedelta:
    """Return how long a stored answer replays a repeated request (API_IDEMPOTENCY)."""
    return dt.timedelta(days=API_IDEMPOTENCY.in_days())


@transaction.atomic
def create_api_token(
    *, name: str, scopes: list[str], created_by: Any = None, token: ApiToken | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored or shown again.

    `token` lets the staff panel pass the unsaved instance its form built.
    """
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if unknown:
        raise ValidationError({"scopes": _("Tuntemattomat oikeudet: %s") % ", ".join(unknown)})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = token or ApiToken()
    token.name = name
    token.prefix = secret[:10]
    token.token_hash = hash_secret(secret)
    token.scopes = sorted(set(scopes))
    token.created_by = created_by
    token.save()
    return token, secret


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; calls made with it are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def log_api_call(
    *, token: ApiToken | None, method: str, path: str, status_code: int, customer_id: int | None
) -> ApiCallLog:
    """Write one row of the API call log (no request or response content)."""
    return ApiCallLog.objects.create(
        token=token,
        customer_id=customer_id,
        method=method[:10],
        # A path may hold anything a client sent, but PostgreSQL text cannot hold NUL.
        path=path.replace("\x00", "\ufffd")[:500],
        status_code=status_code,
    )


def request_fingerprint(*, method: str, path: str, body: Any) -> str:
    """Return a hash that tells a true retry from a different request under the same key."""
    canonical = json.dumps(body, sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def find_idempotency_record(*, token: ApiToken, key: str) -> IdempotencyRecord | None:
    """Return the live record for a key, locking it; an expired one is deleted."""
    record = IdempotencyRecord.objects.select_for_update().filter(token=token, key=key).first()
    if record is not None and record.created_at < timezone.now() - _idempotency_ttl():
        record.delete()
        return None
    return record


def store_idempotency_record(
    *,
    token: ApiToken,
    key: str,
    method: str,
    path: str,
    request_hash: str,
    status: int,
    body: Any,
    customer_id: int | None,
) -> IdempotencyRecord:
    """Keep a response for replay; records past their 24 hours are pruned on the way."""
    IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - _idempotency_ttl()).delete()
    return IdempotencyRecord.objects.create(
        token=token,
        key=key,
        method=method,
        path=path[:500],
        request_hash=request_hash,
        response_status=status,
        response_body=body,
        customer_id=customer_id,
    )


def api_actor_label(token: ApiToken | None) -> str:
    """Return how the audit log names a change made through the API."""
    return _("Rajapinta: %(name)s") % {"name": token.name} if token else _("Rajapinta")


def _audit_api_write(
    *, token: ApiToken | None, action: str, obj: Any, customer_id: int, details: dict
) -> None:
    # Ids and field names only: the audit log never copies personal data.
    audit.record(
        actor=None,
        actor_label=api_actor_label(token),
        action=action,
        customer_id=customer_id,
        object_label=audit.object_label(obj),
        details={"via": "api", "token": token.pk if token else None, **details},
    )


def _audit_upsert(*, token: ApiToken | None, obj: Any, created: bool, changed: list[str]) -> None:
    _audit_api_write(
        token=token,
        action=audit.AuditEntry.Action.ADD if created else audit.AuditEntry.Action.CHANGE,
        obj=obj,
        customer_id=audit.customer_id_of(obj),
        details={"fields": sorted(changed)},
    )


def _apply(obj: Any, data: dict[str, Any]) -> list[str]:
    """Set the given fields on obj and return the names of those whose value changed."""
    changed = []
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            # Compare ids: reading an unset relation of a new row raises.
            current, new = getattr(obj, field.attname), value.pk
        else:
            current, new = getattr(obj, name), value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


class IdentityChangeRefused(Exception):
    """An API write would change whose login address a customer's is; the message says why.

    The portal logs in by the address on file, so the address decides who reads a customer's
    data. Through the API neither an existing customer's address changes nor does an existing
    customer, found by address, get a new shop id: the customer changes their address in the
    portal (confirmed from the new address, the old one told), and customer service links a
    shop account to an existing customer once it has verified who is asking.
    """


@transaction.atomic
def upsert_customer(
    *, external_id: str, data: dict[str, Any], token: ApiToken | None = None
) -> tuple[Customer, bool]:
    """Create or update the customer with the shop's id; return it and whether it was created.

    Only the given fields change; a retry that changes nothing writes nothing. Raises
    IdentityChangeRefused for a new email of a customer who has one, or for an email that
    already belongs to a customer without this shop id.
    """
    customer = Customer.objects.active().select_for_update().filter(external_id=external_id).first()
    email = data.get("email")
    if email:
        holder = Customer.objects.select_for_update().filter(email=email).first()
        if holder is not None and holder != customer:
            if customer is not None or (holder.external_id and holder.external_id != external_id):
                raise ValidationError(
                    {"email": _("Sähköpostiosoite on jo toisen asiakkaan käytössä.")}
                )
            raise IdentityChangeRefused(
                _(
                    "Rekisterissä on jo asiakas tällä sähköpostiosoitteella. Rajapinta ei liitä "
                    "olemassa olevaa asiakasta verkkokaupan tunnukseen sähköpostiosoitteen "
                    "perusteella: asiakaspalvelu liittää tunnuksen, kun asiakkaan henkilöllisyys "
                    "on varmistettu."
                )
            )
    if customer is not None and "email" in data and customer.email and email != customer.email:
        raise IdentityChangeRefused(
            _(
                "Rajapinta ei vaihda asiakkaan sähköpostiosoitetta, jolla hän kirjautuu omiin "
                "tietoihinsa: asiakas vaihtaa sen itse omat tiedot -palvelussa, jossa uusi "
                "osoite vahvistetaan ja vanhaan ilmoitetaan muutoksesta."
            )
        )
    created = customer is None
    if created:
        customer = Customer(external_id=external_id)
    changed = _apply(customer, {**data, "external_id": external_id})
    if created or changed:
        customer.save()
        _audit_upsert(token=token, obj=customer, created=created, changed=changed)
    return customer, created


@transaction.atomic
def guest_buyer(*, data: dict[str, Any], token: ApiToken | None = None) -> tuple[Customer, bool]:
    """Return the buyer of a guest order (one without a shop account) and whether it is new.

    The customer with the order's email, as the order import finds a buyer; else a new
    customer from the order's billing details (`data`, validated, without a shop id). A known
    customer keeps their details: a guest order does not rewrite them.
    """
    customer = Customer.objects.active().select_for_update().filter(email=data["email"]).first()
    if customer is not None:
        return customer, False
    customer = Customer(source=Customer.Source.ORDER)
    changed = _apply(customer, data)
    customer.save()
    _audit_upsert(token=token, obj=customer, created=True, changed=changed)
    return customer, True


def _bump_activity(customer: Customer, when: dt.datetime) -> None:
    # An order counts as the customer's activity from when it was placed.
    record_activity(customer=customer, at=when)


LINE_FIELDS = ("product_name", "sku", "quantity", "unit_price_net", "vat_rate")


def _line_key(line: dict[str, Any] | OrderLine) -> tuple:
    get = line.get if isinstance(line, dict) else lambda name, default=None: getattr(line, name)
    return tuple(get(name, OrderLine._meta.get_field(name).get_default()) for name in LINE_FIELDS)


@transaction.atomic
def upsert_order(
    *, external_id: str, data: dict[str, Any], token: ApiToken | None = None
) -> tuple[Order, bool]:
    """Create or update an order and replace its lines; totals are computed from the lines."""
    data = dict(data)
    lines = data.pop("lines", None)
    number = data.get("number")
    if number and Order.objects.filter(number=number).exclude(external_id=external_id).exists():
        raise ValidationError(
            {
                "number": _("Tilausnumero %(number)s on jo toisella tilauksella.")
                % {"number": number}
            }
        )
    order = Order.objects.select_for_update().filter(external_id=external_id).first()
    created = order is None
    if created:
        order = Order(external_id=external_id)
    was_in_collection = order.invoice_state == Order.InvoiceState.COLLECTION and not created
    changed = _apply(order, data)
    if created or changed:
        order.save()
    if order.invoice_state == Order.InvoiceState.COLLECTION and not was_in_collection:
        # Handing an unpaid invoice to collection discloses the buyer's billing details.
        disclose_for_collection(order=order)
    if lines is not None and (
        created or [_line_key(line) for line in order.lines.all()] != list(map(_line_key, lines))
    ):
        order.lines.all().delete()
        OrderLine.objects.bulk_create(OrderLine(order=order, **line) for line in lines)
        order.recalculate_totals()
        order.save(update_fields=["total_net", "total_vat", "total_gross"])
        changed.append("lines")
    if created or changed:
        _audit_upsert(token=token, obj=order, created=created, changed=changed)
    _bump_activity(order.customer, order.ordered_at)
    return order, created


@transaction.atomic
def add_tracking_events(
    *, shipment: Shipment, events: list[dict[str, Any]], token: ApiToken | None = None
) -> list[TrackingEvent]:
    """Add the carrier's events a shipment does not have yet; return the ones added.

    An event is identified by its time and status, so resending the whole list adds nothing.
    Locks the shipment row so that simultaneous pushes cannot add the same event twice.
    """
    Shipment.objects.select_for_update().filter(pk=shipment.pk).first()
    existing = set(shipment.events.values_list("occurred_at", "status"))
    added = []
    for event in events:
        key = (event["occurred_at"], event["status"])
        if key in existing:
            continue
        existing.add(key)
        added.append(TrackingEvent(shipment=shipment, **event))
    added = TrackingEvent.objects.bulk_create(added)
    if added:
        _audit_api_write(
            token=token,
            action=audit.AuditEntry.Action.ADD,
            obj=shipment,
            customer_id=shipment.order.customer_id,
            details={"tracking_events_added": len(added)},
        )
    return added


@transaction.atomic
def upsert_shipment(
    *, external_id: str, data: dict[str, Any], token: ApiToken | None = None
) -> tuple[Shipment, bool]:
    """Create or update a shipment and add its new tracking events."""
    data = dict(data)
    events = data.pop("events", None)
    shipment = Shipment.objects.select_for_update().filter(external_id=external_id).first()
    created = shipment is None
    if created:
        shipment = Shipment(external_id=external_id)
    changed = _apply(shipment, data)
    if created or "carrier" in changed:
        # A new parcel goes only with a carrier in use; an old one keeps a carrier since retired.
        Carrier.objects.for_new_shipment(shipment.carrier)
    if created or changed:
        shipment.save()
        _audit_upsert(token=token, obj=shipment, created=created, changed=changed)
    if created or "carrier" in changed:
        # The delivery details go to the carrier: logged, and refused for one the statement
        # does not name.
        disclose_to_carrier(shipment=shipment)
    if events:
        add_tracking_events(shipment=shipment, events=events, token=token)
    return shipment, created


def _record_once(
    *,
    customer: Customer,
    same: QuerySet,
    write: Callable[[], Any],
    token: ApiToken | None,
    details: Callable[[Any], dict] = lambda row: {},
) -> tuple[Any, bool]:
    """Return the record `same` finds, or write it and audit the write; and whether it is new.

    The customer's row is locked first, so two deliveries of the same record at once write one.
    """
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    existing = same.first()
    if existing is not None:
        return existing, False
    row = write()
    _audit_api_write(
        token=token,
        action=audit.AuditEntry.Action.ADD,
        obj=row,
        customer_id=customer.pk,
        details=details(row),
    )
    return row, True


@transaction.atomic
def record_consent_from_api(
    *, data: dict[str, Any], token: ApiToken | None = None
) -> tuple[ConsentEvent, bool]:
    """Record a consent event pushed by the shop; the same event sent again is not repeated."""
    customer = data["customer"]
    return _record_once(
        customer=customer,
        same=ConsentEvent.objects.filter(
            customer=customer,
            purpose=data["purpose"],
            channel=data["channel"],
            is_granted=data["is_granted"],
            occurred_at=data["occurred_at"],
            via=ConsentEvent.Via.API,
        ),
        write=lambda: record_consent(
            customer=customer,
            purpose=data["purpose"],
            channel=data["channel"],
            is_granted=data["is_granted"],
            via=ConsentEvent.Via.API,
            statement_version=data.get("statement_version"),
            wording=data.get("wording", ""),
            occurred_at=data["occurred_at"],
        ),
        token=token,
    )


@transaction.atomic
def record_disclosure_from_api(
    *, data: dict[str, Any], token: ApiToken | None = None
) -> tuple[Disclosure, bool]:
    """Log a disclosure the shop made; the same disclosure sent again is not logged twice."""
    customer = data["customer"]
    return _record_once(
        customer=customer,
        same=Disclosure.objects.filter(
            customer=customer,
            listed_recipient=data["listed_recipient"],
            disclosed_at=data["disclosed_at"],
            order=data.get("order"),
        ),
        write=lambda: record_disclosure(
            customer=customer,
            recipient=data["listed_recipient"],
            fields=data["fields"],
            reason=data["reason"],
            order=data.get("order"),
            at=data["disclosed_at"],
        ),
        token=token,
        details=lambda disclosure: {"fields": disclosure.fields},
    )


@transaction.atomic
def set_marketing_ban_from_api(
    *, customer: Customer, channel: str, scope: str, token: ApiToken | None = None
) -> tuple[MarketingBan, bool]:
    """Set a ban pushed by the shop; return it and whether it is new."""
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    existed = MarketingBan.objects.filter(
        customer=customer, channel=channel, scope=scope, lifted_at__isnull=True
    ).exists()
    ban = set_marketing_ban(
        customer=customer, channel=channel, scope=scope, via=ConsentEvent.Via.API
    )
    if not existed:
        _audit_api_write(
            token=token,
            action=audit.AuditEntry.Action.ADD,
            obj=ban,
            customer_id=customer.pk,
            details={},
        )
    return ban, not existed


@transaction.atomic
def lift_marketing_ban_from_api(
    *, customer: Customer, channel: str, scope: str, token: ApiToken | None = None
) -> MarketingBan | None:
    """Lift a ban at the shop's request (the customer withdrew it there)."""
    ban = lift_marketing_ban(customer=customer, channel=channel, scope=scope)
    if ban is not None:
        _audit_api_write(
            token=token,
            action=audit.AuditEntry.Action.CHANGE,
            obj=ban,
            customer_id=customer.pk,
            details={},
        )
    return ban


# The retention rules (privacy.vocabulary): import reports IMPORT_FILES, the API call log as long
# as the audit log (AUDIT_LOG), stored answers API_IDEMPOTENCY.


@transaction.atomic
def prune_integration_records(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete or clear API and import records past their retention; return how many."""
    now = now or timezone.now()
    stale_keys = IdempotencyRecord.objects.filter(created_at__lt=now - _idempotency_ttl())
    calls_cutoff = dt.datetime.combine(
        add_months(timezone.localdate(now), -AUDIT_LOG.months),
        dt.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    old_calls = ApiCallLog.objects.filter(occurred_at__lt=calls_cutoff)
    old_reports = ImportJob.objects.filter(
        created_at__lt=now - dt.timedelta(days=IMPORT_FILES.in_days())
    ).exclude(report=[], data=None)
    if dry_run:
        return stale_keys.count() + old_calls.count() + old_reports.count()
    pruned = stale_keys.delete()[0] + old_calls.delete()[0]
    # The job itself (file name, counts, who ran it) stays as the record that an import happened.
    pruned += old_reports.update(report=[], data=None)
    return pruned
