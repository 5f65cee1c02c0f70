"""Order webhooks read currency, VAT and charges as the order import reads them."""

import copy
from decimal import Decimal

import pytest

from customers.models import Order
from platforms.models import WebhookEvent
from tests.platforms.conftest import payload


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
