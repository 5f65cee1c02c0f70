"""Customer webhooks keep the relationship's start and the shop's note as the import does."""

import copy
import datetime as dt
import zoneinfo
from pathlib import Path

from customers.models import Customer, CustomerNote
from integrations.csv_import import import_customers
from platforms.models import WebhookEvent
from privacy.models import AuditEntry
from tests.factories import CustomerFactory
from tests.platforms.conftest import payload

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "platforms"
BOB = "706405506930370084"
MAIJA = "26"


def _notes(external_id: str) -> list[str]:
    customer = Customer.objects.get(external_id=external_id)
    return list(
        customer.notes.filter(kind=CustomerNote.Kind.INTERNAL).values_list("body", flat=True)
    )


def test_a_shopify_note_becomes_one_internal_note_even_when_sent_twice_or_unchanged(
    shopify, post_shopify
):
    customer = payload("shopify_customer")
    post_shopify("customers/create", customer, event_id="ev-n1")
    post_shopify("customers/create", customer, event_id="ev-n1")  # the same delivery again
    unchanged = {**customer, "first_name": "Robert", "updated_at": "2026-12-06T12:00:00-05:00"}

    post_shopify("customers/update", unchanged, event_id="ev-n2")

    assert Customer.objects.get(external_id=BOB).first_name == "Robert"
    assert _notes(BOB) == ["Shopify-webhook: This customer loves ice cream"]
    assert WebhookEvent.objects.get(event_id="ev-n2").status == WebhookEvent.Status.PROCESSED


def test_a_changed_shopify_note_is_added_beside_the_old_one(shopify, post_shopify):
    customer = payload("shopify_customer")
    post_shopify("customers/create", customer, event_id="ev-n3")
    changed = {**customer, "note": "Soittaa mieluummin", "updated_at": "2026-12-06T12:00:00-05:00"}

    post_shopify("customers/update", changed, event_id="ev-n4")

    assert sorted(_notes(BOB)) == [
        "Shopify-webhook: Soittaa mieluummin",
        "Shopify-webhook: This customer loves ice cream",
    ]
    entry = AuditEntry.objects.filter(customer_id=Customer.objects.get(external_id=BOB).pk)
    assert entry.filter(details__topic="customers/update", details__fields=["notes"]).exists()


def test_a_note_imported_from_the_export_is_not_added_again_by_the_webhook(shopify, post_shopify):
    import_customers(data=(FIXTURES / "shopify_customers.csv").read_bytes(), dry_run=False)
    aino = copy.deepcopy(payload("shopify_customer"))
    aino.update(id=7012345678901, email="aino.virtanen@example.fi", note="Kanta-asiakas")

    post_shopify("customers/update", aino, event_id="ev-n5")

    assert WebhookEvent.objects.get(event_id="ev-n5").status == WebhookEvent.Status.PROCESSED
    assert _notes("7012345678901") == ["Shopify-asiakasvienti: Kanta-asiakas"]


def test_shopify_created_at_starts_the_relationship_and_a_later_one_does_not_move_it(
    shopify, post_shopify
):
    customer = payload("shopify_customer")
    post_shopify("customers/create", customer, event_id="ev-s1")
    started = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)  # 10:00 -05:00
    assert Customer.objects.get(external_id=BOB).created_at == started
    later = {**customer, "created_at": "2026-12-04T10:00:00-05:00"}
    later["updated_at"] = "2026-12-06T12:00:00-05:00"

    post_shopify("customers/update", later, event_id="ev-s2")

    assert WebhookEvent.objects.get(event_id="ev-s2").status == WebhookEvent.Status.PROCESSED
    assert Customer.objects.get(external_id=BOB).created_at == started


def test_a_later_shopify_created_at_does_not_move_an_imported_start(shopify, post_shopify):
    known = dt.datetime(2019, 5, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Helsinki"))
    CustomerFactory(external_id=BOB, email="bob@biller.com", created_at=known)

    post_shopify("customers/update", payload("shopify_customer"), event_id="ev-s3")

    assert WebhookEvent.objects.get(event_id="ev-s3").status == WebhookEvent.Status.PROCESSED
    assert Customer.objects.get(external_id=BOB).created_at == known


def test_woocommerce_date_created_gmt_moves_the_start_earlier(woocommerce, post_woocommerce):
    customer = CustomerFactory(external_id=MAIJA, email="maija.meikalainen@example.com")
    assert customer.created_at > dt.datetime(2026, 12, 2, tzinfo=dt.UTC)

    post_woocommerce("customer.updated", payload("woocommerce_customer"), event_id="d-s1")

    customer.refresh_from_db()
    # date_created_gmt is UTC; date_created (10:00) is the shop's own time.
    assert customer.created_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    assert not customer.notes.exists()
    entry = AuditEntry.objects.filter(customer_id=customer.pk, details__topic="customer.updated")
    assert entry.get().details["fields"] == ["created_at"]
    assert entry.get().actor_label == "Villakauppa (WooCommerce)"


def test_a_note_the_webhook_brought_is_not_imported_again_from_the_export(shopify, post_shopify):
    aino = copy.deepcopy(payload("shopify_customer"))
    aino.update(id=7012345678901, email="aino.virtanen@example.fi", note="Kanta-asiakas")
    post_shopify("customers/create", aino, event_id="ev-n6")

    report = import_customers(data=(FIXTURES / "shopify_customers.csv").read_bytes(), dry_run=False)

    assert report.written
    assert _notes("7012345678901") == ["Shopify-webhook: Kanta-asiakas"]
