"""The portal's order list: one page of a customer's orders, read and formatted for display.

The orders page is the portal's busiest. Building four levels of model instances through
prefetch_related and formatting every date and sum with template filters cost most of its time
(docs/benchmarks.md), so the page reads plain rows — the page of orders with its total count in
one query, its lines in another, its shipments with their tracking events in a third — and
formats each value once here.
The template only places the prepared text; it stays autoescaped.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.template.defaultfilters import capfirst, floatformat
from django.utils import timezone

from customers.models import Carrier, Customer, Order, OrderLine, Shipment

_STATUS = dict(Order.Status.choices)
_CARRIERS = dict(Carrier.choices)


@dataclass(slots=True)
class When:
    """A moment as the page shows it: ISO 8601 for <time datetime> and the Finnish date."""

    iso: str
    date: str
    date_time: str

    @classmethod
    def of(cls, value: datetime | None) -> "When | None":
        if value is None:
            return None
        local = timezone.localtime(value)
        day = f"{local.day}.{local.month}.{local.year}"
        return cls(local.isoformat(), day, f"{day} {local.hour:02d}:{local.minute:02d}")


@dataclass(slots=True)
class LineRow:
    product_name: str
    vat_rate: str
    quantity: int
    total_gross: str


@dataclass(slots=True)
class EventRow:
    occurred: When
    text: str
    location: str


@dataclass(slots=True)
class ShipmentRow:
    carrier: str
    tracking_code: str
    tracking_url: str
    shipped: When | None
    delivered: When | None
    events: list[EventRow] = field(default_factory=list)


@dataclass(slots=True)
class OrderRow:
    code: str
    number: str
    ordered: When
    status: str
    total_net: str
    total_vat: str
    total_gross: str
    delivery_name: str
    delivery_street: str
    delivery_postal_code: str
    delivery_post_office: str
    lines: list[LineRow] = field(default_factory=list)
    shipments: list[ShipmentRow] = field(default_factory=list)


ORDER_FIELDS = (
    "id",
    "code",
    "number",
    "ordered_at",
    "status",
    "total_net",
    "total_vat",
    "total_gross",
    "delivery_name",
    "delivery_street",
    "delivery_postal_code",
    "delivery_post_office",
)


def orders_page(customer: Customer, number, per_page: int) -> Page:
    """Return a page of the customer's orders, newest first, as Paginator.get_page would.

    Three queries for any number of orders: the page (its rows carry the total count, so the
    usual separate COUNT(*) runs only when the page asked for is out of range), its lines, and
    its shipments joined with their tracking events.
    """
    queryset = Order.objects.filter(customer=customer).order_by("-ordered_at", "-id")
    paginator = Paginator(queryset, per_page)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    # A number below 1 is out of range like one past the end: both show the last page.
    rows = _order_rows(queryset, number, per_page) if number >= 1 else []
    if rows:
        paginator.count = rows[0]["total_count"]  # a cached_property: set, never counted
    else:
        paginator.count = queryset.count()
        number = paginator.num_pages if paginator.count else 1
        rows = _order_rows(queryset, number, per_page) if paginator.count else []
    return Page(_with_details(rows), number, paginator)


def _order_rows(queryset, number: int, per_page: int) -> list[dict]:
    start = (number - 1) * per_page
    counted = queryset.annotate(total_count=Window(Count("pk")))
    return list(counted.values(*ORDER_FIELDS, "total_count")[start : start + per_page])


def _money(value) -> str:
    return floatformat(value, 2)


def _with_details(rows: list[dict]) -> list[OrderRow]:
    """Return the order rows with their lines, shipments and events (two queries)."""
    orders = {}
    for row in rows:
        orders[row["id"]] = OrderRow(
            code=str(row["code"]),
            number=row["number"],
            ordered=When.of(row["ordered_at"]),
            status=capfirst(_STATUS.get(row["status"], row["status"])),
            total_net=_money(row["total_net"]),
            total_vat=_money(row["total_vat"]),
            total_gross=_money(row["total_gross"]),
            delivery_name=row["delivery_name"],
            delivery_street=row["delivery_street"],
            delivery_postal_code=row["delivery_postal_code"],
            delivery_post_office=row["delivery_post_office"],
        )
    if not orders:
        return []
    lines = OrderLine.objects.filter(order_id__in=orders).order_by("id")
    for order_id, name, quantity, unit_price, vat_rate in lines.values_list(
        "order_id", "product_name", "quantity", "unit_price_net", "vat_rate"
    ):
        # The model's own arithmetic (rounded net, then VAT on it), on an unsaved instance.
        line = OrderLine(quantity=quantity, unit_price_net=unit_price, vat_rate=vat_rate)
        orders[order_id].lines.append(
            LineRow(name, floatformat(vat_rate, "-1"), quantity, _money(line.total_gross))
        )
    # Shipments with their events in one query: one row per event, or one with no event.
    shipments = {}
    for (
        shipment_id,
        order_id,
        carrier,
        tracking_code,
        shipped_at,
        delivered_at,
        event_id,
        occurred_at,
        status,
        description,
        location,
    ) in (
        Shipment.objects.filter(order_id__in=orders)
        .order_by("id", "events__occurred_at", "events__id")
        .values_list(
            "id",
            "order_id",
            "carrier",
            "tracking_code",
            "shipped_at",
            "delivered_at",
            "events__id",
            "events__occurred_at",
            "events__status",
            "events__description",
            "events__location",
        )
    ):
        shipment = shipments.get(shipment_id)
        if shipment is None:
            shipment = shipments[shipment_id] = ShipmentRow(
                carrier=_CARRIERS.get(carrier, carrier),
                tracking_code=tracking_code,
                tracking_url=Shipment(carrier=carrier, tracking_code=tracking_code).tracking_url,
                shipped=When.of(shipped_at),
                delivered=When.of(delivered_at),
            )
            orders[order_id].shipments.append(shipment)
        if event_id is not None:
            shipment.events.append(EventRow(When.of(occurred_at), description or status, location))
    return list(orders.values())
