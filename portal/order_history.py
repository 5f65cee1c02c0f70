"""The portal's order list: one page of a customer's orders, read and formatted for display.

The orders page is the portal's busiest. Building four levels of model instances through
prefetch_related and formatting every date and sum with template filters cost most of its time
(docs/benchmarks.md), so the page reads plain rows and formats each value once here; the
template only places the prepared text, and stays autoescaped.

On PostgreSQL the whole page is one query: the page of orders with their total count, each
carrying its lines and its shipments (with their tracking events) as JSON arrays. Building
three ORM queries cost more CPU than PostgreSQL spends answering them, and the page is what the
portal serves most. Elsewhere (the SQLite demo) the same rows come from three ORM queries;
tests/portal/test_orders.py checks that both give the same page.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import Count, Window
from django.template.defaultfilters import capfirst, floatformat
from django.utils import formats, timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from customers.models import Carrier, Order, OrderLine, Shipment, TrackingEvent
from customers.models.orders import tracking_link
from privacy.dates import date_text

_STATUS = dict(Order.Status.choices)


@dataclass(slots=True)
class When:
    """A moment as the page shows it: ISO 8601 for <time datetime>, and as the reader writes it."""

    iso: str
    date: str
    date_time: str

    @classmethod
    def of(cls, value: datetime | None) -> "When | None":
        if value is None:
            return None
        local = value.astimezone(timezone.get_current_timezone())
        return cls(local.isoformat(), date_text(local), date_text(local, with_time=True))


@dataclass(slots=True)
class LineRow:
    product_name: str
    vat_rate: str
    quantity: int
    total_gross: str


@dataclass(slots=True)
class ShipmentRow:
    carrier: str
    tracking_code: str
    tracking_url: str
    shipped: When | None
    delivered: When | None
    # The tracking events as list items, oldest first (see events_html).
    events: str = ""


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


def orders_page(customer_id: int, number, per_page: int) -> Page:
    """Return a page of the customer's orders, newest first, as Paginator.get_page would.

    The same number of queries for any number of orders. The page's rows carry the total
    count, so the usual separate COUNT(*) runs only when the page asked for is out of range.
    The page's `digest` names everything its order list shows (the rows, the language and the
    time zone), and its rows are formatted only when the template asks for them: an order list
    rendered before under the same digest is taken from the fragment cache instead.
    """
    db = router.db_for_read(Order)
    fetch = _sql_page if connections[db].vendor == "postgresql" else _orm_page
    # The paginator only does the arithmetic: the rows carry the count (set below).
    paginator = Paginator((), per_page)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    # A number below 1 is out of range like one past the end: both show the last page.
    total, data, rows = fetch(db, customer_id, number, per_page) if number >= 1 else (0, "", [])
    if total:
        paginator.count = total  # a cached_property: set, never counted
    else:
        paginator.count = Order.objects.using(db).filter(customer_id=customer_id).count()
        number = paginator.num_pages if paginator.count else 1
        if paginator.count:
            _total, data, rows = fetch(db, customer_id, number, per_page)
    page = Page(rows, number, paginator)
    context = f"{get_language()}|{timezone.get_current_timezone_name()}|{data}"
    page.digest = hashlib.blake2b(context.encode(), digest_size=16).hexdigest()
    return page


def _money(value) -> str:
    # Sums are stored (and computed) to the cent, so this is floatformat(value, 2) without its
    # rounding machinery, in the active language's number format.
    return formats.number_format(value, 2)


def _order_row(row: dict) -> OrderRow:
    return OrderRow(
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


def _line_row(name: str, quantity: int, unit_price: Decimal, vat_rate: Decimal) -> LineRow:
    # The model's own arithmetic (rounded net, then VAT on it), on an unsaved instance.
    line = OrderLine(quantity=quantity, unit_price_net=unit_price, vat_rate=vat_rate)
    return LineRow(name, floatformat(vat_rate, "-1"), quantity, _money(line.total_gross))


def _shipment_row(
    carrier: str, pattern: str, tracking_code: str, shipped_at, delivered_at
) -> ShipmentRow:
    """Return a shipment's row: `carrier` is its carrier's name, `pattern` its tracking page's."""
    return ShipmentRow(
        carrier=carrier,
        tracking_code=tracking_code,
        tracking_url=tracking_link(pattern, tracking_code),
        shipped=When.of(shipped_at),
        delivered=When.of(delivered_at),
    )


# The carriers' status code of the event that hands the parcel over: the delivery date shown is
# this event's time, so the date and the tracking history never disagree.
DELIVERED_STATUS = "delivered"


def delivered_when(delivered_at, events) -> "When | None":
    """Return when the shipment was delivered: its delivery event's time, else the stored date.

    `events` are (occurred_at, status, ...) tuples, oldest first.
    """
    handed_over = [event[0] for event in events if event[1] == DELIVERED_STATUS]
    return When.of(handed_over[-1] if handed_over else delivered_at)


def events_html(events) -> SafeString:
    """Return tracking events (occurred_at, status, description, location) as <li> items.

    A shipment has ten or more events, and as template nodes they were most of the page's
    rendering time; each value is escaped here.
    """
    items = []
    for occurred_at, status, description, location in events:
        when = When.of(occurred_at)
        place = f", {escape(location)}" if location else ""
        items.append(
            f'<li><time datetime="{when.iso}">{when.date_time}</time> '
            f"{escape(description or status)}{place}</li>"
        )
    return mark_safe("".join(items))  # noqa: S308 (every value above is escaped)


# The page of orders in one row: the total count, and the page as JSON text, an array of orders
# in display order, each an array of ORDER_FIELDS' values followed by its lines and its
# shipments (with their events). Sums are sent as text so that they stay exact decimals. The
# page is cut first (with its total count) and only its orders' details are gathered.
_TABLES = [m._meta.db_table for m in (Order, OrderLine, Shipment, TrackingEvent, Carrier)]
_ORDERS, _LINES, _SHIPMENTS, _EVENTS, _CARRIERS = _TABLES
_PAGE_SQL = f"""
SELECT max(p.total_count),
       json_agg(json_build_array(
         p.id, p.code, p.number, p.ordered_at, p.status, p.total_net::text, p.total_vat::text,
         p.total_gross::text, p.delivery_name, p.delivery_street, p.delivery_postal_code,
         p.delivery_post_office,
         (SELECT json_agg(json_build_array(l.product_name, l.quantity, l.unit_price_net::text,
                                           l.vat_rate::text) ORDER BY l.id)
            FROM {_LINES} l WHERE l.order_id = p.id),
         (SELECT json_agg(json_build_array(COALESCE(c.name, s.carrier),
                                           COALESCE(c.tracking_url, ''), s.tracking_code,
                                           s.shipped_at, s.delivered_at,
                   (SELECT json_agg(json_build_array(e.occurred_at, e.status, e.description,
                                                     e.location) ORDER BY e.occurred_at, e.id)
                      FROM {_EVENTS} e WHERE e.shipment_id = s.id)) ORDER BY s.id)
            FROM {_SHIPMENTS} s LEFT JOIN {_CARRIERS} c ON c.key = s.carrier
           WHERE s.order_id = p.id)
       ) ORDER BY p.ordered_at DESC, p.id DESC)::text
  FROM (SELECT o.id, o.code, o.number, o.ordered_at, o.status, o.total_net, o.total_vat,
               o.total_gross, o.delivery_name, o.delivery_street, o.delivery_postal_code,
               o.delivery_post_office, count(*) OVER () AS total_count
          FROM {_ORDERS} o
         WHERE o.customer_id = %s
         ORDER BY o.ordered_at DESC, o.id DESC
         LIMIT %s OFFSET %s) p
"""  # noqa: S608 (table names from the models; values are parameters)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _sql_page(db: str, customer_id: int, number: int, per_page: int):
    """Return (total count, the page's data as text, lazy order rows), in one query."""
    with connections[db].cursor() as cursor:
        cursor.execute(_PAGE_SQL, [customer_id, per_page, (number - 1) * per_page])
        total, data = cursor.fetchone()
    return total or 0, data or "", SimpleLazyObject(lambda: _rows_of(data))


def _rows_of(data: str | None) -> list[OrderRow]:
    """Return the order rows of a page's JSON text (see _PAGE_SQL)."""
    orders = []
    for *values, lines, shipments in json.loads(data or "[]"):
        row = dict(zip(ORDER_FIELDS, values, strict=True))
        row["ordered_at"] = _when(row["ordered_at"])
        order = _order_row(row)
        order.lines = [
            _line_row(name, quantity, Decimal(price), Decimal(rate))
            for name, quantity, price, rate in lines or ()
        ]
        for carrier, pattern, code, shipped, delivered, events in shipments or ():
            shipment = _shipment_row(carrier, pattern, code, _when(shipped), _when(delivered))
            parsed = [(_when(occurred), *texts) for occurred, *texts in events or ()]
            shipment.delivered = delivered_when(_when(delivered), parsed)
            shipment.events = events_html(parsed)
            order.shipments.append(shipment)
        orders.append(order)
    return orders


def _orm_page(db: str, customer_id: int, number: int, per_page: int):
    """Return (total count, the page's data as text, order rows) in three ORM queries.

    On any database: the page (with its total count), its lines, and its shipments joined with
    their events. The data named by the digest is the rows themselves.
    """
    start = (number - 1) * per_page
    mine = Order.objects.using(db).filter(customer_id=customer_id).order_by("-ordered_at", "-id")
    counted = mine.annotate(total_count=Window(Count("pk")))
    rows = list(counted.values(*ORDER_FIELDS, "total_count")[start : start + per_page])
    orders = {row["id"]: _order_row(row) for row in rows}
    if not orders:
        return 0, "", []
    lines = OrderLine.objects.using(db).filter(order_id__in=orders).order_by("id")
    for order_id, *line in lines.values_list(
        "order_id", "product_name", "quantity", "unit_price_net", "vat_rate"
    ):
        orders[order_id].lines.append(_line_row(*line))
    # One row per event, or one for a shipment with no event.
    shipments, events, delivered_ats = {}, {}, {}
    for shipment_id, order_id, *values in (
        Shipment.objects.using(db)
        .filter(order_id__in=orders)
        .with_carriers()
        .order_by("id", "events__occurred_at", "events__id")
        .values_list(
            "id",
            "order_id",
            "carrier_label",
            "tracking_pattern",
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
            shipment = shipments[shipment_id] = _shipment_row(*values[:5])
            orders[order_id].shipments.append(shipment)
            events[shipment_id] = []
            delivered_ats[shipment_id] = values[4]
        if values[5] is not None:
            events[shipment_id].append(values[6:])
    for shipment_id, shipment in shipments.items():
        shipment.delivered = delivered_when(delivered_ats[shipment_id], events[shipment_id])
        shipment.events = events_html(events[shipment_id])
    orders = list(orders.values())
    return rows[0]["total_count"], repr(orders), orders
