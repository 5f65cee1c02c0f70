"""Orders and deliveries: lines, totals, carrier, tracking link and events, in bounded queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CustomerFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TrackingEventFactory,
)

pytestmark = pytest.mark.django_db

ORDERS = reverse("portal:orders")


def test_orders_page_shows_lines_totals_and_tracking(portal_client):
    line = OrderLineFactory(product_name="Keittokirja")
    shipment = ShipmentFactory(order=line.order, carrier="matkahuolto", tracking_code="MH123")
    TrackingEventFactory(
        shipment=shipment, description="Saapunut noutopisteeseen", location="Tampere"
    )
    body = portal_client(line.order.customer).get(ORDERS).content.decode()
    assert "Keittokirja" in body
    assert "12,55 €" in body  # the gross total, in Finnish number format
    assert "10,00 €" in body and "2,55 €" in body  # net and VAT
    assert "Matkahuolto" in body
    assert "https://www.matkahuolto.fi/seuranta?parcelNumber=MH123" in body
    assert "Saapunut noutopisteeseen, Tampere" in body


def test_a_customer_sees_only_their_own_orders(portal_client):
    mine = OrderLineFactory(product_name="Oma tuote").order.customer
    OrderLineFactory(product_name="Toisen tuote")
    body = portal_client(mine).get(ORDERS).content.decode()
    assert "Oma tuote" in body
    assert "Toisen tuote" not in body


def _orders_with_tracking(customer, count: int) -> None:
    for n in range(count):
        order = OrderFactory(customer=customer, ordered_at=timezone.now() - dt.timedelta(days=n))
        OrderLineFactory(order=order)
        OrderLineFactory(order=order, product_name="Toinen")
        shipment = ShipmentFactory(order=order)
        TrackingEventFactory(shipment=shipment)
        TrackingEventFactory(shipment=shipment, status="in_transit")


def _page_queries(client) -> int:
    client.get(ORDERS)  # the shop's details and statement number are cached after one page
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ORDERS).status_code == 200
    return len(queries)


def test_the_orders_page_makes_the_same_queries_however_many_orders(portal_client):
    few, many = CustomerFactory(), CustomerFactory()
    _orders_with_tracking(few, 1)
    _orders_with_tracking(many, 25)
    assert _page_queries(portal_client(few)) == _page_queries(portal_client(many))


def test_orders_are_shown_twenty_a_page_newest_first(portal_client):
    customer = CustomerFactory()
    for n in range(22):
        OrderFactory(
            customer=customer,
            number=f"N{n:03d}",
            ordered_at=timezone.now() - dt.timedelta(days=n),
        )
    client = portal_client(customer)
    first = client.get(ORDERS).content.decode()
    assert "N000" in first and "N019" in first and "N020" not in first
    assert "Sivu 1 / 2" in first
    second = client.get(ORDERS, {"sivu": 2}).content.decode()
    assert "N021" in second and "N000" not in second
    assert client.get(ORDERS, {"sivu": "x"}).status_code == 200


def test_a_page_number_out_of_range_shows_the_last_page_and_a_word_the_first(portal_client):
    customer = CustomerFactory()
    for n in range(22):
        OrderFactory(
            customer=customer, number=f"N{n:03d}", ordered_at=timezone.now() - dt.timedelta(days=n)
        )
    client = portal_client(customer)
    for past in (3, 99, 0, -1):
        body = client.get(ORDERS, {"sivu": past}).content.decode()
        assert "Sivu 2 / 2" in body and "N021" in body and "N019" not in body, past
    body = client.get(ORDERS, {"sivu": "x"}).content.decode()
    assert "Sivu 1 / 2" in body and "N000" in body


def test_a_customer_without_orders_is_told_so_on_any_page(portal_client):
    client = portal_client(CustomerFactory())
    for page in (None, 2):
        body = client.get(ORDERS, {"sivu": page} if page else {}).content.decode()
        assert "Sinulla ei ole tilauksia." in body
        assert "Sivu " not in body


def test_dates_and_times_are_shown_in_finnish_time(portal_client):
    order = OrderFactory(ordered_at=dt.datetime(2026, 6, 30, 21, 30, tzinfo=dt.UTC))
    shipment = ShipmentFactory(order=order, shipped_at=dt.datetime(2026, 7, 1, 6, 5, tzinfo=dt.UTC))
    TrackingEventFactory(
        shipment=shipment, occurred_at=dt.datetime(2026, 7, 1, 22, 5, tzinfo=dt.UTC)
    )
    body = portal_client(order.customer).get(ORDERS).content.decode()
    # 21:30 UTC on 30 June is already 1 July in Helsinki (UTC+3).
    assert '<time datetime="2026-07-01T00:30:00+03:00">1.7.2026</time>' in body
    assert '<time datetime="2026-07-01T09:05:00+03:00">1.7.2026</time>' in body
    assert "2.7.2026 1.05</time>" in body


def _rich_history(customer) -> None:
    """Orders with lines, shipments with and without events, and one without anything."""
    for n in range(3):
        order = OrderFactory(customer=customer, ordered_at=timezone.now() - dt.timedelta(days=n))
        OrderLineFactory(order=order, product_name=f"Tuote {n} <b>", quantity=n + 1)
        if n < 2:
            shipment = ShipmentFactory(order=order, carrier="posti", tracking_code=f"JJFI{n}")
            ShipmentFactory(order=order, carrier="matkahuolto", tracking_code="")
            TrackingEventFactory(shipment=shipment, description="", status="in_transit")
            TrackingEventFactory(shipment=shipment, location="Oulu & Kemi")
    OrderFactory(customer=customer, ordered_at=timezone.now() - dt.timedelta(days=9))


def test_the_one_query_page_shows_what_the_three_query_page_shows():
    from portal import order_history

    customer = CustomerFactory()
    _rich_history(customer)
    for number, per_page in ((1, 10), (1, 2), (2, 2), (3, 2)):
        total, _data, rows = order_history._sql_page("default", customer.pk, number, per_page)
        expected = order_history._orm_page("default", customer.pk, number, per_page)
        assert (total, list(rows)) == (expected[0], expected[2]), (number, per_page)
        # Past the end there are no rows, and orders_page counts instead.
        assert total == (4 if number < 3 else 0)
    first = list(order_history._sql_page("default", customer.pk, 1, 10)[2])
    assert [len(o.shipments) for o in first] == [2, 2, 0, 0]
    assert "Oulu &amp; Kemi</li>" in first[0].shipments[0].events
    assert first[0].shipments[1].events == ""


def test_a_new_tracking_event_shows_on_the_next_visit(portal_client):
    shipment = ShipmentFactory(tracking_code="JJFI42")
    TrackingEventFactory(shipment=shipment, description="Lähetys vastaanotettu")
    client = portal_client(shipment.order.customer)
    assert "Lähetys vastaanotettu" in client.get(ORDERS).content.decode()
    # The rendered order list is cached under a digest of its rows: a new row is a new key.
    TrackingEventFactory(shipment=shipment, description="Saapunut noutopisteeseen")
    body = client.get(ORDERS).content.decode()
    assert "Lähetys vastaanotettu" in body and "Saapunut noutopisteeseen" in body
    shipment.order.delivery_street = "Uusikatu 5"
    shipment.order.save()
    assert "Uusikatu 5" in client.get(ORDERS).content.decode()


def test_the_order_list_is_shown_in_the_language_asked_for(portal_client):
    order = OrderLineFactory().order
    ShipmentFactory(order=order, tracking_code="JJFI7")
    client = portal_client(order.customer)
    assert "Seurantatunnus" in client.get(ORDERS).content.decode()
    swedish = client.get("/sv" + ORDERS).content.decode()
    assert "Spårningskod" in swedish and "Seurantatunnus" not in swedish
    assert "Seurantatunnus" in client.get(ORDERS).content.decode()


def test_the_newest_order_is_open_and_the_older_ones_are_one_line_until_opened(portal_client):
    customer = CustomerFactory()
    for n in range(3):
        OrderFactory(
            customer=customer, number=f"N{n:03d}", ordered_at=timezone.now() - dt.timedelta(days=n)
        )
    body = portal_client(customer).get(ORDERS).content.decode()
    newest, rest = body.split('id="order-', 1)[1], body.split("<details", 1)
    assert newest.split('"', 1)[1].startswith(">Tilaus N000<")
    assert body.count('<details class="card order">') == 2
    assert "Tilaus N000" in rest[0] and "Tilaus N001" in rest[1] and "Tilaus N002" in rest[1]


def test_the_delivery_date_is_the_delivery_events_date(portal_client):
    # The carrier's delivery event says 2.3.; the stored date was set a day later by hand.
    when = timezone.make_aware(dt.datetime(2026, 3, 2, 14, 0))
    shipment = ShipmentFactory(delivered_at=when + dt.timedelta(days=1))
    TrackingEventFactory(
        shipment=shipment, occurred_at=when - dt.timedelta(days=1), status="in_transit"
    )
    TrackingEventFactory(shipment=shipment, occurred_at=when, status="delivered")
    body = portal_client(shipment.order.customer).get(ORDERS).content.decode()
    assert "Toimitettu <time" in body
    assert ">2.3.2026</time>" in body and "3.3.2026" not in body
