"""Webhooks from Shopify and WooCommerce, with payloads shaped as their documentation shows."""

import copy
import json
from decimal import Decimal

import pytest

from customers.models import Customer, Order
from platforms.models import Connection, ExternalId, WebhookEvent
from privacy.models import AuditEntry
from rights.models import DataSubjectRequest
from tests.factories import CustomerFactory
from tests.platforms.conftest import payload


def _counts() -> tuple[int, int, int]:
    return Customer.objects.count(), Order.objects.count(), WebhookEvent.objects.count()


def test_a_signed_shopify_order_creates_the_order_once_even_when_sent_twice(shopify, post_shopify):
    order = payload("shopify_order")

    first = post_shopify("orders/create", order, event_id="ev-1")
    again = post_shopify("orders/create", order, event_id="ev-1")

    assert first.status_code == again.status_code == 200
    saved = Order.objects.get(external_id="820982911946154508")
    assert Order.objects.count() == 1
    assert saved.number == "#9999"
    assert saved.status == Order.Status.PAID
    assert saved.customer.external_id == "115310627314723954"
    assert saved.customer.email == "john@example.com"
    assert saved.billing_name == "Steve Shipper"
    assert saved.billing_street == "Hämeenkatu 1 B 12"
    assert saved.billing_phone == "+358401234567"
    # Prices include VAT in the shop; the register keeps them net with the rate.
    lines = {line.sku: line for line in saved.lines.all()}
    assert lines["KUPPI-M"].unit_price_net == Decimal("10.00")
    assert lines["KUPPI-M"].vat_rate == Decimal("25.5")
    assert lines["KAHVI-500"].vat_rate == Decimal("13.5")
    assert saved.total_gross == Decimal("36.40")
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED
    # The stored event is cleared of its content once applied.
    assert WebhookEvent.objects.get().body is None
    assert ExternalId.objects.filter(connection=shopify).count() == 2


def test_a_signed_woocommerce_order_creates_the_order_once_even_when_sent_twice(
    woocommerce, post_woocommerce
):
    order = payload("woocommerce_order")

    first = post_woocommerce("order.created", order, event_id="d-1")
    again = post_woocommerce("order.created", order, event_id="d-1")

    assert first.status_code == again.status_code == 200
    saved = Order.objects.get(external_id="727")
    assert Order.objects.count() == 1
    assert saved.status == Order.Status.PAID
    assert saved.customer.email == "maija.meikalainen@example.com"
    assert saved.customer.external_id == "26"
    line = saved.lines.get()
    assert (line.quantity, line.unit_price_net, line.vat_rate) == (
        2,
        Decimal("15.00"),
        Decimal("25.5"),
    )
    assert saved.total_gross == Decimal("37.65")


@pytest.mark.parametrize("platform", ["shopify", "woocommerce"])
@pytest.mark.parametrize("secret", ["väärä-salaisuus", ""])
def test_a_wrongly_signed_or_unsigned_webhook_answers_401_and_changes_nothing(
    shopify, woocommerce, client, platform, secret
):
    body = json.dumps(payload(f"{platform}_order")).encode()
    headers = {
        "shopify": {
            "HTTP_X_SHOPIFY_TOPIC": "orders/create",
            "HTTP_X_SHOPIFY_EVENT_ID": "ev-bad",
            "HTTP_X_SHOPIFY_HMAC_SHA256": "",
        },
        "woocommerce": {
            "HTTP_X_WC_WEBHOOK_TOPIC": "order.created",
            "HTTP_X_WC_WEBHOOK_DELIVERY_ID": "d-bad",
            "HTTP_X_WC_WEBHOOK_SIGNATURE": "",
        },
    }[platform]
    if secret:
        from platforms.webhooks import signature

        key = next(name for name in headers if "HMAC" in name or "SIGNATURE" in name)
        headers[key] = signature(secret, body)
    before, audit_before = _counts(), AuditEntry.objects.count()

    response = client.post(f"/hooks/{platform}/", body, content_type="application/json", **headers)

    assert response.status_code == 401
    assert _counts() == before
    assert AuditEntry.objects.count() == audit_before


def test_a_body_changed_after_signing_answers_401(shopify, client):
    from tests.platforms.conftest import shopify_headers

    body = json.dumps(payload("shopify_order")).encode()
    headers = shopify_headers("orders/create", "ev-2", body)

    response = client.post(
        "/hooks/shopify/",
        body.replace(b"12.55", b"0.01"),
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 401
    assert not Order.objects.exists()


def test_the_webhook_takes_only_post(shopify, client):
    assert client.get("/hooks/shopify/").status_code == 405


def test_a_replayed_event_answers_200_and_changes_nothing(shopify, post_shopify):
    customer = payload("shopify_customer")
    post_shopify("customers/create", customer, event_id="ev-10")
    changed = {**customer, "first_name": "Robert", "updated_at": "2026-12-06T12:00:00-05:00"}

    response = post_shopify("customers/create", changed, event_id="ev-10")

    assert response.status_code == 200
    assert Customer.objects.get(external_id="706405506930370084").first_name == "Bob"
    assert WebhookEvent.objects.count() == 1


def test_an_out_of_order_update_does_not_overwrite_newer_data(shopify, post_shopify):
    newer = {**payload("shopify_customer"), "last_name": "Uusi"}
    older = {**payload("shopify_customer"), "last_name": "Vanha"}
    older["updated_at"] = "2026-12-04T12:00:00-05:00"
    post_shopify("customers/update", newer, event_id="ev-20")

    post_shopify("customers/update", older, event_id="ev-19")

    assert Customer.objects.get(external_id="706405506930370084").last_name == "Uusi"
    skipped = WebhookEvent.objects.get(event_id="ev-19")
    assert skipped.status == WebhookEvent.Status.SKIPPED
    assert skipped.message == "Ohitettu: tallennettu tieto on uudempi."


def test_an_out_of_order_woocommerce_order_update_does_not_overwrite_a_newer_one(
    woocommerce, post_woocommerce
):
    newer = copy.deepcopy(payload("woocommerce_order"))
    newer["status"], newer["date_modified_gmt"] = "completed", "2026-12-06T10:00:00"
    older = copy.deepcopy(payload("woocommerce_order"))
    post_woocommerce("order.updated", newer, event_id="d-21")

    post_woocommerce("order.updated", older, event_id="d-20")

    assert Order.objects.get(external_id="727").status == Order.Status.SHIPPED


def test_customers_redact_opens_an_erasure_case_with_the_web_shop_as_channel(shopify, post_shopify):
    post_shopify("customers/create", payload("shopify_customer"), event_id="ev-40")

    response = post_shopify("customers/redact", payload("shopify_customers_redact"), "ev-41")

    assert response.status_code == 200
    case = DataSubjectRequest.objects.get()
    assert case.kind == DataSubjectRequest.Kind.ERASURE
    assert case.channel == DataSubjectRequest.Channel.WEB_SHOP
    assert case.get_channel_display() == "verkkokauppa-alusta"
    assert case.customer.external_id == "706405506930370084"
    assert case.status == DataSubjectRequest.Status.RECEIVED
    assert "299938" in case.description


def test_customers_data_request_opens_an_access_case(shopify, post_shopify):
    post_shopify("customers/data_request", payload("shopify_customers_data_request"), "ev-50")

    case = DataSubjectRequest.objects.get()
    assert case.kind == DataSubjectRequest.Kind.ACCESS
    assert case.customer is None  # unknown to the register: staff link and verify
    assert case.requester_contact == "bob@biller.com"


def test_shop_redact_disconnects_the_shop_and_keeps_the_register(shopify, post_shopify):
    post_shopify("orders/create", payload("shopify_order"), event_id="ev-60")

    response = post_shopify("shop/redact", payload("shopify_shop_redact"), event_id="ev-61")

    assert response.status_code == 200
    shopify.refresh_from_db()
    assert not shopify.is_active
    assert shopify.api_key == ""
    assert not ExternalId.objects.exists()
    assert Order.objects.count() == 1  # the shop's own accounting record stays


def test_a_woocommerce_ping_is_answered_without_storing_anything(woocommerce, client):
    response = client.post(
        "/hooks/woocommerce/", "webhook_id=3", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not WebhookEvent.objects.exists()


def test_an_order_for_an_address_the_register_knows_is_not_linked_by_the_address(
    shopify, post_shopify
):
    CustomerFactory(email="john@example.com", external_id="")

    post_shopify("orders/create", payload("shopify_order"), event_id="ev-70")

    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.SKIPPED
    assert "liitä tunniste käsin" in event.message
    assert not Order.objects.exists()


def test_the_secrets_are_encrypted_at_rest(shopify):
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute(
            "SELECT api_key_sealed, webhook_secret_sealed FROM platforms_connection WHERE id = %s",
            [shopify.pk],
        )
        stored = " ".join(cursor.fetchone())

    assert "shpat_testitunnus" not in stored
    assert "shpss_testisalaisuus" not in stored
    assert Connection.objects.get(pk=shopify.pk).api_key == "shpat_testitunnus"


def test_an_order_update_after_the_buyers_erasure_does_not_bring_them_back(shopify, post_shopify):
    from rights.erasure import erase_customer

    post_shopify("orders/create", payload("shopify_order"), event_id="ev-80")
    order = Order.objects.get()
    erase_customer(customer=order.customer)
    customers = Customer.objects.count()
    update = {**payload("shopify_order"), "updated_at": "2026-12-08T09:00:00-05:00"}

    post_shopify("orders/updated", update, event_id="ev-81")

    assert Customer.objects.count() == customers
    assert not Customer.objects.active().filter(email="john@example.com").exists()
    assert WebhookEvent.objects.get(event_id="ev-81").status == WebhookEvent.Status.SKIPPED
