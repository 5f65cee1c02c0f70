"""Order webhooks read currency, time, VAT and charges as the order import reads them."""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import Customer, Order
from integrations.csv_import import import_customers, order_rows
from platforms import payloads
from platforms.models import WebhookEvent
from tests.platforms.conftest import FIXTURES, payload


def _lines(order: Order) -> list[tuple]:
    return sorted(order.lines.values_list("product_name", "quantity", "unit_price_net", "vat_rate"))


@pytest.mark.parametrize(
    ("platform", "topic", "event_id"),
    [("shopify", "orders/create", "ev-c1"), ("woocommerce", "order.created", "d-c1")],
)
def test_an_order_in_another_currency_fails_and_stores_nothing(
    shopify, woocommerce, post_shopify, post_woocommerce, platform, topic, event_id
):
    order = {**payload(f"{platform}_order"), "currency": "USD"}
    post = post_shopify if platform == "shopify" else post_woocommerce

    response = post(topic, order, event_id=event_id)

    assert response.status_code == 200
    event = WebhookEvent.objects.get(event_id=event_id)
    assert event.status == WebhookEvent.Status.FAILED
    assert event.message == "Tilauksen valuutta on USD; rekisteri tallentaa summat euroina."
    assert not Order.objects.exists()


def test_a_woocommerce_order_keeps_discounted_lines_snapped_vat_and_shipping(
    woocommerce, post_woocommerce
):
    order = copy.deepcopy(payload("woocommerce_order"))
    socks = order["line_items"][0]
    # A 10 % coupon: the line's total after it, as the export's item_total.
    socks.update(total="27.00", total_tax="6.89")
    button = {**socks, "id": 316, "name": "Nappi", "sku": "NAPPI", "quantity": 1}
    button.update(subtotal="1.00", subtotal_tax="0.26", total="1.00", total_tax="0.26")
    order["line_items"].append(button)
    order["shipping_lines"] = [
        {"id": 1, "method_title": "Posti", "total": "5.00", "total_tax": "1.28", "taxes": []}
    ]
    order.update(shipping_total="5.00", shipping_tax="1.28", total="41.43", total_tax="8.43")

    post_woocommerce("order.created", order, event_id="d-v1")

    saved = Order.objects.get(external_id="727")
    # 0.26 of 1.00 is 26 %: the rate in force is 25.5 %, as the import reads it.
    assert _lines(saved) == [
        ("Nappi", 1, Decimal("1.00"), Decimal("25.5")),
        # The register's VAT per line misses the shop's by a cent: the import's rounding line.
        ("Pyöristys", 1, Decimal("0.01"), Decimal("0.0")),
        ("Toimitus", 1, Decimal("5.00"), Decimal("25.5")),
        ("Villasukat", 2, Decimal("13.50"), Decimal("25.5")),
    ]
    assert saved.total_gross == Decimal("41.43")


def test_a_shopify_orders_shipping_is_a_line_of_its_own(shopify, post_shopify):
    order = copy.deepcopy(payload("shopify_order"))
    order["shipping_lines"] = [
        {
            "id": 1,
            "title": "Posti",
            "price": "5.90",
            "tax_lines": [{"price": "1.20", "rate": 0.255}],
        }
    ]
    order["total_price"] = "42.30"

    post_shopify("orders/create", order, event_id="ev-v1")

    saved = Order.objects.get(external_id="820982911946154508")
    assert ("Toimitus", 1, Decimal("4.70"), Decimal("25.5")) in _lines(saved)
    assert saved.total_gross == Decimal("42.30")


def test_a_shopify_discount_is_a_line_of_its_own_at_the_rate_of_its_lines(shopify, post_shopify):
    order = copy.deepcopy(payload("shopify_order"))
    cups = next(line for line in order["line_items"] if line["sku"] == "KUPPI-M")
    cups["discount_allocations"] = [{"amount": "2.51", "discount_application_index": 0}]
    order["total_price"] = "33.89"

    post_shopify("orders/create", order, event_id="ev-v2")

    saved = Order.objects.get(external_id="820982911946154508")
    assert ("Alennus", 1, Decimal("-2.00"), Decimal("25.5")) in _lines(saved)
    assert saved.total_gross == Decimal("33.89")


@pytest.mark.parametrize(
    ("platform", "topic", "event_id", "field"),
    [
        ("shopify", "orders/create", "ev-f1", "processed_at"),
        ("woocommerce", "order.created", "d-f1", "date_created_gmt"),
    ],
)
def test_an_order_placed_in_the_future_fails_with_the_imports_reason_and_stores_nothing(
    shopify, woocommerce, post_shopify, post_woocommerce, platform, topic, event_id, field
):
    future = timezone.now() + dt.timedelta(days=3)
    order = {**payload(f"{platform}_order"), field: future.isoformat()}
    post = post_shopify if platform == "shopify" else post_woocommerce
    customers = Customer.objects.count()

    response = post(topic, order, event_id=event_id)

    assert response.status_code == 200
    event = WebhookEvent.objects.get(event_id=event_id)
    assert event.status == WebhookEvent.Status.FAILED
    shown = payloads.timestamp(future.isoformat()).isoformat()
    assert event.message == f"Tilausaika {shown} on tulevaisuudessa."
    # The import refuses the same time with the same words.
    with pytest.raises(order_rows.RowError) as refused:
        order_rows.check_ordered_at(future, shown)
    assert str(refused.value) == event.message
    assert not Order.objects.exists()
    assert Customer.objects.count() == customers


def test_an_order_a_minute_ahead_of_the_registers_clock_is_taken(shopify, post_shopify):
    # The shop's clock may run a little ahead; the webhook arrives within seconds.
    ahead = (timezone.now() + dt.timedelta(minutes=1)).isoformat()

    post_shopify("orders/create", {**payload("shopify_order"), "processed_at": ahead}, "ev-f2")

    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED
    assert Order.objects.get().ordered_at == dt.datetime.fromisoformat(ahead)


@pytest.mark.parametrize(
    ("order_date", "date_created_gmt", "utc"),
    [
        # Winter time, UTC+2.
        ("2026-01-05 18:40:00", "2026-01-05T16:40:00", dt.datetime(2026, 1, 5, 16, 40)),
        # Summer time, UTC+3.
        ("2026-07-15 14:30:00", "2026-07-15T11:30:00", dt.datetime(2026, 7, 15, 11, 30)),
        # The day summer time begins: 03:00 became 04:00.
        ("2026-03-29 04:30:00", "2026-03-29T01:30:00", dt.datetime(2026, 3, 29, 1, 30)),
    ],
)
def test_a_woocommerce_order_has_the_same_time_from_the_export_and_from_the_webhook(
    woocommerce, post_woocommerce, order_date, date_created_gmt, utc
):
    # The export writes the shop's local time (order_date), the webhook UTC (date_created_gmt).
    export = FIXTURES.joinpath("woocommerce_orders.csv").read_bytes()
    export = export.replace(b"2026-01-05 18:40:00", order_date.encode())
    report = import_customers(data=export, dry_run=False)
    assert not report.rejected
    imported = Order.objects.get(external_id="5002").ordered_at
    order = copy.deepcopy(payload("woocommerce_order"))
    order.update(
        id=5002,
        number="5002",
        customer_id=0,
        date_created_gmt=date_created_gmt,
        date_modified_gmt=date_created_gmt,
    )
    order["billing"]["email"] = "ville.vieras@example.fi"

    post_woocommerce("order.updated", order, event_id="d-tz")

    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED
    from_webhook = Order.objects.get(external_id="5002").ordered_at
    assert imported == from_webhook == utc.replace(tzinfo=dt.UTC)
