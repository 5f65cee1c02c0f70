"""An erased customer the shop sends again stays erased; a guest order finds or makes its buyer."""

import copy

import pytest
from django.db import connection as db
from django.test import override_settings

from customers.models import Customer, Order
from platforms.models import WebhookEvent
from privacy.models import AuditEntry
from rights.erasure import erase_customer
from rights.ledger import erased_shop_ids
from rights.models import ErasedShopId, ErasureLedger
from rights.retention import prune_erasure_ledger
from tests.factories import CustomerFactory
from tests.platforms.conftest import payload

ERASED = "Ohitettu: asiakas on poistettu rekisteristä, eikä verkkokaupan tieto tuo häntä takaisin."


def _erase_the_shops_customer(post, topic: str, data: dict, event_id: str) -> Customer:
    post(topic, data, event_id=event_id)
    customer = Customer.objects.active().get()
    erase_customer(customer=customer)
    return customer


def _assert_nobody_came_back(event_id: str, *, email: str) -> None:
    event = WebhookEvent.objects.get(event_id=event_id)
    assert event.status == WebhookEvent.Status.SKIPPED
    assert event.message == ERASED
    # Acknowledged and recorded, with nothing of the person kept.
    assert event.body is None
    assert not Customer.objects.active().exists()
    assert not Customer.objects.filter(email=email).exists()


def test_a_shopify_update_of_an_erased_customer_does_not_bring_them_back(shopify, post_shopify):
    customer = payload("shopify_customer")
    _erase_the_shops_customer(post_shopify, "customers/create", customer, "ev-1")
    newer = {**customer, "updated_at": "2026-12-08T12:00:00-05:00", "first_name": "Robert"}

    response = post_shopify("customers/update", newer, event_id="ev-2")

    assert response.status_code == 200
    _assert_nobody_came_back("ev-2", email="bob@biller.com")
    assert not Customer.objects.filter(first_name="Robert").exists()


def test_a_shopify_order_of_an_erased_customer_does_not_bring_them_back(shopify, post_shopify):
    _erase_the_shops_customer(post_shopify, "orders/create", payload("shopify_order"), "ev-10")
    second = {**payload("shopify_order"), "id": 820982911946154999, "name": "#10000"}

    response = post_shopify("orders/create", second, event_id="ev-11")

    assert response.status_code == 200
    _assert_nobody_came_back("ev-11", email="john@example.com")
    assert not Order.objects.filter(external_id="820982911946154999").exists()


def test_a_woocommerce_update_and_order_of_an_erased_customer_are_refused(
    woocommerce, post_woocommerce
):
    customer = payload("woocommerce_customer")
    _erase_the_shops_customer(post_woocommerce, "customer.created", customer, "d-1")

    post_woocommerce("customer.updated", customer, event_id="d-2")
    post_woocommerce("order.created", payload("woocommerce_order"), event_id="d-3")

    _assert_nobody_came_back("d-2", email="maija.meikalainen@example.com")
    _assert_nobody_came_back("d-3", email="maija.meikalainen@example.com")
    assert not Order.objects.exists()


def test_the_ledger_keeps_only_a_keyed_hash_of_the_shops_id(shopify, post_shopify):
    erased = _erase_the_shops_customer(
        post_shopify, "customers/create", payload("shopify_customer"), "ev-20"
    )

    ledger = ErasureLedger.objects.get(customer_code=erased.code)
    (stored,) = ledger.shop_ids.values_list("id_hash", flat=True)
    assert "706405506930370084" not in stored
    assert len(stored) == 64
    assert erased_shop_ids(["706405506930370084", "1"]) == {"706405506930370084"}
    # Keyed: the hash under another key is another value, so guessing ids needs the key.
    with override_settings(SUPPRESSION_KEY="toinen-avain", SUPPRESSION_KEY_FALLBACKS=[]):
        assert erased_shop_ids(["706405506930370084"]) == set()
    with db.cursor() as cursor:
        cursor.execute("SELECT * FROM rights_erasedshopid")
        assert "706405506930370084" not in repr(cursor.fetchall())


def test_a_rotated_key_still_refuses_the_erased_id(shopify, post_shopify, settings):
    _erase_the_shops_customer(post_shopify, "customers/create", payload("shopify_customer"), "e1")
    settings.SUPPRESSION_KEY_FALLBACKS = [settings.SUPPRESSION_KEY]
    settings.SUPPRESSION_KEY = "uusi-avain"

    post_shopify("customers/update", payload("shopify_customer"), event_id="e2")

    _assert_nobody_came_back("e2", email="bob@biller.com")


def test_the_hashes_go_with_their_ledger_row(shopify, post_shopify):
    from django.utils import timezone

    from privacy.vocabulary import ERASURE_LEDGER

    _erase_the_shops_customer(post_shopify, "customers/create", payload("shopify_customer"), "e1")
    later = timezone.now() + timezone.timedelta(days=ERASURE_LEDGER.in_days() + 2)

    assert prune_erasure_ledger(now=later) == 1

    assert not ErasedShopId.objects.exists()
    # Past the ledger's time the shop has long processed the erasure; the id is free again.
    post_shopify("customers/update", payload("shopify_customer"), event_id="e2")
    assert Customer.objects.active().filter(external_id="706405506930370084").exists()


# Guest orders: no customer account in the shop.


def _shopify_guest_order() -> dict:
    order = copy.deepcopy(payload("shopify_order"))
    order["customer"] = None
    order["email"] = "vieras@example.com"
    return order


def _woocommerce_guest_order() -> dict:
    order = copy.deepcopy(payload("woocommerce_order"))
    order["customer_id"] = 0
    order["billing"]["email"] = "vieras@example.com"
    return order


GUESTS = {
    "shopify": ("orders/create", _shopify_guest_order, "820982911946154508"),
    "woocommerce": ("order.created", _woocommerce_guest_order, "727"),
}


@pytest.fixture(params=sorted(GUESTS))
def guest(request):
    platform = request.param
    request.getfixturevalue(platform)
    post = request.getfixturevalue(f"post_{platform}")
    topic, order, external_id = GUESTS[platform]
    return platform, lambda event_id, data=None: post(topic, data or order(), event_id), external_id


def test_a_guest_order_creates_its_buyer_from_the_billing_details(guest):
    platform, post, external_id = guest

    assert post("g-1").status_code == 200
    post("g-1")

    order = Order.objects.get(external_id=external_id)
    buyer = order.customer
    assert buyer.email == "vieras@example.com"
    assert buyer.external_id == ""
    assert buyer.source == Customer.Source.ORDER
    expected = {
        "shopify": ("Steve", "Shipper", "Hämeenkatu 1 B 12", "33100", "Tampere"),
        "woocommerce": ("Maija", "Meikäläinen", "Puistotie 3", "20100", "Turku"),
    }[platform]
    assert (
        buyer.first_name,
        buyer.last_name,
        buyer.street_address,
        buyer.postal_code,
        buyer.post_office,
    ) == expected
    assert buyer.phone.startswith("+358")
    assert Order.objects.count() == Customer.objects.count() == 1
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED
    assert AuditEntry.objects.filter(customer_id=buyer.pk, action=AuditEntry.Action.ADD).exists()


def test_a_guest_order_belongs_to_the_customer_with_its_email(guest):
    _platform, post, external_id = guest
    known = CustomerFactory(email="vieras@example.com", first_name="Vieno", external_id="")

    post("g-2")

    order = Order.objects.get(external_id=external_id)
    assert order.customer == known
    assert Customer.objects.count() == 1
    # The guest order does not rewrite the known customer's details.
    known.refresh_from_db()
    assert known.first_name == "Vieno"


def test_two_guest_orders_of_one_address_have_one_buyer(guest):
    platform, post, _external_id = guest
    first = GUESTS[platform][1]()
    second = copy.deepcopy(first)
    second["id"], second["name" if platform == "shopify" else "number"] = 555, "#7777"

    post("g-3", first)
    post("g-4", second)

    assert Order.objects.count() == 2
    assert Customer.objects.count() == 1


def test_a_guest_order_without_an_email_is_skipped_with_the_reason(guest):
    platform, post, _external_id = guest
    order = GUESTS[platform][1]()
    if platform == "shopify":
        order["email"] = ""
    else:
        order["billing"]["email"] = ""

    assert post("g-5", order).status_code == 200

    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.SKIPPED
    assert event.message == "Ohitettu: vierastilauksella ei ole sähköpostiosoitetta."
    assert not Customer.objects.exists()
    assert not Order.objects.exists()


def test_an_erasure_reapplied_after_a_restore_keeps_the_shops_ids_hashed(shopify, post_shopify):
    from rights.erasure import reapply_erasures

    # A backup restored from before the erasure: the customer is back, the ledger row is not;
    # the ledger file's line (code and number) erases them again.
    post_shopify("customers/create", payload("shopify_customer"), event_id="r-1")
    restored = Customer.objects.active().get()
    entry = {"customer_code": str(restored.code), "customer_number": restored.number}

    assert reapply_erasures(entries=[entry]) == 1

    assert erased_shop_ids(["706405506930370084"]) == {"706405506930370084"}
    post_shopify("customers/update", payload("shopify_customer"), event_id="r-2")
    _assert_nobody_came_back("r-2", email="bob@biller.com")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", "verkkokaupan asiakastunnuksen avaimella suojattu tiiviste"),
        ("sv", "nyckelskyddat hashvärde av webbutikens kund-id"),
        ("en", "keyed hash of the web shop's customer ID"),
    ],
)
def test_the_statement_says_what_the_erasure_ledger_keeps(db, language, words):
    from demo.shop import ensure_demo_statement
    from statement.content import build_statement
    from statement.models import StatementDraft

    ensure_demo_statement()
    statement = build_statement(StatementDraft.current(), language)
    retention = next(s for s in statement.sections if s.key == "retention")

    assert any(words in " ".join(map(str, row)) for row in retention.table.rows)
