import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import (
    ConsentEvent,
    Customer,
    MarketingBan,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
)
from integrations.models import IdempotencyRecord
from privacy.models import AuditEntry
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_statement")]

CUSTOMER = {
    "external_id": "wc-1001",
    "first_name": "Aino",
    "last_name": "Mäkelä",
    "email": " Aino.Makela@Example.FI ",
    "phone": "040 123 4567",
    "street_address": "Hämeenkatu 1",
    "postal_code": "33100",
    "post_office": "Tampere",
    "business_id": "0737546-2",
}
ORDER = {
    "number": "T-5001",
    "customer": "wc-1001",
    "ordered_at": "2026-11-01T12:00:00+02:00",
    "status": "paid",
    "delivery_name": "Aino Mäkelä",
    "delivery_postal_code": "33100",
    "lines": [
        {
            "product_name": "Kahvikuppi",
            "quantity": 2,
            "unit_price_net": "10.00",
            "vat_rate": "25.5",
        },
        {"product_name": "Kirja", "quantity": 1, "unit_price_net": "20.00", "vat_rate": "14"},
    ],
}
SHIPMENT = {
    "order": "o-5001",
    "carrier": "posti",
    "tracking_code": "JJFI64123450000001",
    "shipped_at": "2026-11-02T08:00:00+02:00",
    "events": [
        {"occurred_at": "2026-11-02T08:00:00+02:00", "status": "received", "location": "Tampere"},
        {"occurred_at": "2026-11-03T09:30:00+02:00", "status": "delivered", "location": "Oulu"},
    ],
}


def _push_everything(api) -> list[int]:
    statuses = [
        api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json").status_code,
        api.put("/api/v1/orders/o-5001/", ORDER, format="json").status_code,
        api.put("/api/v1/shipments/s-1/", SHIPMENT, format="json").status_code,
        api.post(
            "/api/v1/shipments/s-1/events/",
            {"events": [{"occurred_at": "2026-11-03T09:30:00+02:00", "status": "delivered"}]},
            format="json",
        ).status_code,
        api.post(
            "/api/v1/consents/",
            {
                "customer": "wc-1001",
                "purpose": "newsletter",
                "channel": "email",
                "is_granted": True,
                "occurred_at": "2026-11-01T12:00:00+02:00",
                "statement_version": 1,
                "wording": "Haluan uutiskirjeen",
            },
            format="json",
        ).status_code,
        api.post(
            "/api/v1/bans/",
            {"customer": "wc-1001", "channel": "phone", "scope": "direct_marketing"},
            format="json",
        ).status_code,
    ]
    return statuses


def test_a_shop_can_push_everything_and_retry_every_call_without_duplicates(api):
    assert _push_everything(api) == [201, 201, 201, 200, 201, 201]
    assert _push_everything(api) == [200, 200, 200, 200, 200, 200]

    customer = Customer.objects.get()
    assert (customer.email, customer.phone) == ("aino.makela@example.fi", "+358401234567")
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 2
    order = Order.objects.get()
    assert (order.total_net, order.total_vat, order.total_gross) == (
        Decimal("40.00"),
        Decimal("7.90"),
        Decimal("47.90"),
    )
    assert Shipment.objects.count() == 1
    assert TrackingEvent.objects.count() == 2
    assert ConsentEvent.objects.get().statement_version.number == 1
    assert ConsentEvent.objects.get().via == ConsentEvent.Via.API
    assert MarketingBan.objects.get().is_active


def test_shipment_answer_carries_the_carriers_tracking_link(api):
    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    api.put("/api/v1/orders/o-5001/", ORDER, format="json")
    body = api.put("/api/v1/shipments/s-1/", SHIPMENT, format="json").json()
    assert body["tracking_url"] == "https://www.posti.fi/fi/seuranta#/lahetys/JJFI64123450000001"
    assert body["order"] == "o-5001"
    assert len(body["events"]) == 2


def test_post_upserts_by_external_id_too(api):
    first = api.post("/api/v1/customers/", CUSTOMER, format="json")
    second = api.post("/api/v1/customers/", {**CUSTOMER, "first_name": "Aini"}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert Customer.objects.get().first_name == "Aini"


def test_an_existing_customer_is_not_attached_to_a_new_shop_id_by_email(api):
    existing = CustomerFactory(email="aino.makela@example.fi", external_id="", first_name="Aino")
    response = api.put(
        "/api/v1/customers/wc-1001/", {**CUSTOMER, "first_name": "Kaappaaja"}, format="json"
    )
    assert response.status_code == 409
    assert "asiakaspalvelu liittää tunnuksen" in response.json()["detail"]
    existing.refresh_from_db()
    assert (existing.external_id, existing.first_name) == ("", "Aino")
    assert Customer.objects.count() == 1
    assert not AuditEntry.objects.filter(customer_id=existing.pk).exists()


def test_the_api_does_not_change_the_login_address_of_a_customer(api):
    assert api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json").status_code == 201
    moved = {**CUSTOMER, "email": "uusi.haltija@example.fi"}
    response = api.put("/api/v1/customers/wc-1001/", moved, format="json")
    assert response.status_code == 409
    assert "omat tiedot -palvelussa" in response.json()["detail"]
    cleared = api.patch("/api/v1/customers/wc-1001/", {"email": ""}, format="json")
    assert cleared.status_code in (405, 409)
    assert Customer.objects.get().email == "aino.makela@example.fi"
    # The same address again, and other fields, still go through.
    same = {**CUSTOMER, "email": "AINO.makela@example.fi", "first_name": "Aini"}
    assert api.put("/api/v1/customers/wc-1001/", same, format="json").status_code == 200
    assert Customer.objects.get().first_name == "Aini"


def test_a_customer_without_an_address_gets_one_through_the_api(api):
    assert (
        api.put("/api/v1/customers/wc-1001/", {**CUSTOMER, "email": ""}, format="json").status_code
        == 201
    )
    response = api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    assert response.status_code == 200
    assert Customer.objects.get().email == "aino.makela@example.fi"


def test_email_of_another_shop_customer_is_refused(api):
    CustomerFactory(email="aino.makela@example.fi", external_id="wc-9")
    response = api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    assert response.status_code == 400
    assert "käytössä" in response.json()["email"][0]


def test_idempotency_key_replays_the_first_answer(api):
    headers = {"Idempotency-Key": "abc-123"}
    first = api.post("/api/v1/customers/", CUSTOMER, format="json", headers=headers)
    Customer.objects.update(first_name="Muutettu")
    again = api.post("/api/v1/customers/", CUSTOMER, format="json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Customer.objects.get().first_name == "Muutettu"
    assert IdempotencyRecord.objects.count() == 1


def test_idempotency_key_reused_for_another_request_is_refused(api):
    headers = {"Idempotency-Key": "abc-123"}
    api.post("/api/v1/customers/", CUSTOMER, format="json", headers=headers)
    other = api.post(
        "/api/v1/customers/", {**CUSTOMER, "first_name": "Toinen"}, format="json", headers=headers
    )
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]


def test_idempotency_keys_are_per_token(make_client):
    one, two = make_client(), make_client()
    headers = {"Idempotency-Key": "same"}
    one.post("/api/v1/customers/", CUSTOMER, format="json", headers=headers)
    response = two.post("/api/v1/customers/", CUSTOMER, format="json", headers=headers)
    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response.headers


def test_bad_customer_lists_each_wrong_field_in_finnish_and_writes_nothing(api):
    response = api.put(
        "/api/v1/customers/wc-1/",
        {
            "email": "ei-osoite",
            "phone": "123",
            "postal_code": "1234",
            "business_id": "1234567-8",
            "country": "FIN",
            "preferred_language": "de",
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {
        "email",
        "phone",
        "postal_code",
        "business_id",
        "country",
        "preferred_language",
    }
    assert errors["email"] == ["Anna kelvollinen sähköpostiosoite."]
    assert errors["phone"] == ["Puhelinnumero 123 ei ole kelvollinen."]
    assert errors["business_id"] == ["Y-tunnuksen 1234567-8 tarkistusmerkki ei täsmää."]
    assert errors["country"] == ["Maakoodin pitää olla kaksi kirjainta, esim. FI."]
    assert Customer.objects.count() == 0


def test_postal_code_error_names_the_value(api):
    response = api.put("/api/v1/customers/wc-1/", {"postal_code": "1234"}, format="json")
    assert response.json() == {"postal_code": ["Postinumeron 1234 pitää olla viisi numeroa."]}


def test_order_whose_third_line_is_bad_writes_nothing(api):
    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    lines = [*ORDER["lines"], {"product_name": "", "quantity": 0, "unit_price_net": "x"}]
    response = api.put("/api/v1/orders/o-5001/", {**ORDER, "lines": lines}, format="json")
    assert response.status_code == 400
    errors = response.json()["lines"]
    # Only the bad line is listed, by its index.
    assert list(errors) == ["2"]
    assert set(errors["2"]) == {"product_name", "quantity", "unit_price_net"}
    assert errors["2"]["product_name"] == ["Tämä kenttä ei voi olla tyhjä."]
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0


def test_order_of_an_unknown_customer_is_refused(api):
    response = api.put("/api/v1/orders/o-1/", {**ORDER, "customer": "ei-ole"}, format="json")
    assert response.status_code == 400
    assert response.json()["customer"] == [
        "Asiakasta, jonka verkkokaupan tunniste on ei-ole, ei löydy."
    ]


def test_order_number_of_another_order_is_refused(api):
    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    api.put("/api/v1/orders/o-1/", ORDER, format="json")
    response = api.put("/api/v1/orders/o-2/", ORDER, format="json")
    assert response.status_code == 400
    assert "T-5001" in response.json()["number"][0]
    assert Order.objects.count() == 1


def test_resent_order_replaces_its_lines(api):
    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    api.put("/api/v1/orders/o-1/", ORDER, format="json")
    response = api.put("/api/v1/orders/o-1/", {**ORDER, "lines": ORDER["lines"][:1]}, format="json")
    assert response.status_code == 200
    assert response.json()["total_gross"] == "25.10"
    assert OrderLine.objects.count() == 1


def test_body_external_id_must_match_the_url(api):
    response = api.put("/api/v1/customers/a/", {**CUSTOMER, "external_id": "b"}, format="json")
    assert response.status_code == 400
    assert "external_id" in response.json()


def test_unknown_statement_version_is_refused(api):
    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    response = api.post(
        "/api/v1/consents/",
        {
            "customer": "wc-1001",
            "purpose": "newsletter",
            "channel": "email",
            "is_granted": True,
            "occurred_at": "2026-11-01T12:00:00+02:00",
            "statement_version": 7,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "statement_version": ["Tietosuojaselosteen versiota 7 ei ole julkaistu."]
    }


def test_child_under_13_cannot_consent(api):
    api.put("/api/v1/customers/wc-1001/", {**CUSTOMER, "birth_date": "2020-01-01"}, format="json")
    response = api.post(
        "/api/v1/consents/",
        {
            "customer": "wc-1001",
            "purpose": "newsletter",
            "channel": "email",
            "is_granted": True,
            "occurred_at": "2026-11-01T12:00:00+02:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "13" in response.json()["is_granted"][0]
    assert ConsentEvent.objects.count() == 0


def test_ban_can_be_lifted_and_lifting_again_is_not_found(api):
    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    ban = {"customer": "wc-1001", "channel": "all", "scope": "profiling"}
    api.post("/api/v1/bans/", ban, format="json")
    lifted = api.post("/api/v1/bans/lift/", ban, format="json")
    assert lifted.status_code == 200 and lifted.json()["is_active"] is False
    assert api.post("/api/v1/bans/lift/", ban, format="json").status_code == 404
    assert api.post("/api/v1/bans/", ban, format="json").status_code == 201
    assert MarketingBan.objects.count() == 2


def test_unknown_external_id_is_not_found(api):
    assert api.get("/api/v1/customers/ei-ole/").status_code == 404
    assert api.get("/api/v1/orders/ei-ole/").status_code == 404


def test_retry_that_changes_nothing_writes_nothing_and_a_change_is_audited(api):
    from privacy.models import AuditEntry

    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    before = Customer.objects.get().updated_at
    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    assert Customer.objects.get().updated_at == before
    api.put("/api/v1/customers/wc-1001/", {**CUSTOMER, "post_office": "Oulu"}, format="json")
    entries = list(AuditEntry.objects.order_by("id"))
    assert [(e.action, e.actor_label) for e in entries] == [
        ("add", "Rajapinta: Verkkokauppa"),
        ("change", "Rajapinta: Verkkokauppa"),
    ]
    assert entries[1].details == {"via": "api", "token": api.token.pk, "fields": ["post_office"]}
    assert entries[1].customer_id == Customer.objects.get().pk


def test_put_without_a_body_is_refused(api):
    response = api.put("/api/v1/customers/wc-1/")
    assert response.status_code == 400
    assert "runko puuttuu" in response.json()["non_field_errors"][0]
    assert Customer.objects.count() == 0


def test_number_where_text_is_expected_is_refused(api):
    # 00100 sent as a JSON number would arrive as 100; refuse it rather than store it.
    response = api.put(
        "/api/v1/customers/wc-1001/", {**CUSTOMER, "postal_code": 100}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"postal_code": ["Anna arvo merkkijonona."]}


def test_malformed_idempotency_key_is_refused(api):
    response = api.post(
        "/api/v1/customers/", CUSTOMER, format="json", headers={"Idempotency-Key": "a b"}
    )
    assert response.status_code == 400
    assert Customer.objects.count() == 0


def test_birth_date_in_the_future_is_refused(api):
    response = api.put(
        "/api/v1/customers/wc-1001/", {**CUSTOMER, "birth_date": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"birth_date": ["Syntymäaika ei voi olla tulevaisuudessa."]}


def test_an_order_placed_in_the_future_is_refused_as_the_import_and_webhooks_refuse_it(api):
    """The order time is the voucher's date its retention counts from: it cannot be to come."""
    api.put("/api/v1/customers/wc-1001/", CUSTOMER, format="json")
    ahead = timezone.now() + dt.timedelta(hours=1)
    response = api.put("/api/v1/orders/o-5001/", {**ORDER, "ordered_at": ahead}, format="json")
    assert response.status_code == 400
    assert response.json() == {"ordered_at": ["Tilausaika ei voi olla tulevaisuudessa."]}
    assert not Order.objects.exists()
    # A shop's clock a minute ahead of the register's is not the future.
    soon = timezone.now() + dt.timedelta(minutes=1)
    response = api.put("/api/v1/orders/o-5001/", {**ORDER, "ordered_at": soon}, format="json")
    assert response.status_code in (200, 201), response.json()


def test_nul_byte_in_a_customer_reference_is_a_400_not_a_server_error(api):
    # Found by the contract check: PostgreSQL text cannot hold NUL, so it must never get there.
    response = api.post(
        "/api/v1/consents/",
        {
            "customer": "wc\x001",
            "purpose": "newsletter",
            "channel": "email",
            "is_granted": False,
            "occurred_at": "2026-11-01T12:00:00+02:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "customer" in response.json()
    listed = api.get("/api/v1/consents/", {"customer": "wc\x001"})
    assert listed.status_code == 200 and listed.json()["count"] == 0
