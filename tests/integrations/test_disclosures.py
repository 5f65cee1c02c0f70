"""Shipments and collection hand-overs log their disclosures to the registry's recipients."""

import pytest

from customers.models import Disclosure
from demo.shop import ensure_demo_statement
from statement.models import StatementDraft, StatementRecipient, StatementVersion
from statement.publishing import publish_statement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]


@pytest.fixture
def published() -> StatementVersion:
    return ensure_demo_statement()


def _customer_with_order(api, n: int, name: str, **order) -> None:
    """Put customer c-<n> and order o-<n> (number T-<n>) through the API."""
    first, last = name.split()
    customer = {"first_name": first, "last_name": last, "email": f"{first.lower()}@example.fi"}
    assert api.put(f"/api/v1/customers/c-{n}/", customer, format="json").status_code in (200, 201)
    order = {
        "number": f"T-{n}",
        "customer": f"c-{n}",
        "ordered_at": "2026-11-02T10:00:00+02:00",
        "status": "paid",
        "lines": [
            {"product_name": "Kuppi", "quantity": 1, "unit_price_net": "8.00", "vat_rate": "25.5"}
        ],
        **order,
    }
    answer = api.put(f"/api/v1/orders/o-{n}/", order, format="json")
    assert answer.status_code in (200, 201), answer.json()


def test_a_shipment_logs_its_carrier_and_an_unnamed_carrier_is_refused_through_the_api(
    published, api
):
    _customer_with_order(api, 1, "Aino Mäkelä", delivery_name="Aino Mäkelä")
    shipment = {"order": "o-1", "carrier": "dhl", "tracking_code": "JD014600000000000001"}
    assert api.put("/api/v1/shipments/s-1/", shipment, format="json").status_code in (200, 201)
    logged = Disclosure.objects.get()
    assert logged.listed_recipient.carrier == "dhl"
    assert logged.recipient == "DHL Express (Finland) Oy"
    assert "delivery_name" in logged.fields

    StatementDraft.current().recipients.filter(carrier="budbee").delete()
    publish_statement(draft=StatementDraft.current())
    refused = api.put("/api/v1/shipments/s-2/", {**shipment, "carrier": "budbee"}, format="json")
    assert refused.status_code == 400
    assert "Kuljetusliikettä ”Budbee” ei ole vastaanottajarekisterissä" in str(refused.json())
    assert Disclosure.objects.count() == 1


def test_handing_an_invoice_to_collection_logs_the_collection_agency(published, api):
    customer = {"first_name": "Eino", "last_name": "Velallinen", "email": "eino@example.fi"}
    api.put("/api/v1/customers/c-2/", customer, format="json")
    order = {
        "number": "T-2",
        "customer": "c-2",
        "ordered_at": "2026-10-02T10:00:00+02:00",
        "status": "paid",
        "invoice_state": "open",
        "billing_name": "Eino Velallinen",
        "lines": [
            {"product_name": "Tuoli", "quantity": 1, "unit_price_net": "80.00", "vat_rate": "25.5"}
        ],
    }
    api.put("/api/v1/orders/o-2/", order, format="json")
    assert not Disclosure.objects.exists()
    api.put("/api/v1/orders/o-2/", {**order, "invoice_state": "collection"}, format="json")
    api.put("/api/v1/orders/o-2/", {**order, "invoice_state": "collection"}, format="json")
    logged = Disclosure.objects.get()
    assert logged.listed_recipient.kind == StatementRecipient.Kind.COLLECTION
    assert "billing_name" in logged.fields


def test_the_shop_logs_a_disclosure_through_the_api_once_however_often_it_retries(published, api):
    _customer_with_order(api, 3, "Ella Tarkastettava", billing_name="Ella Tarkastettava")
    listed = api.get("/api/v1/disclosures/recipients/").json()
    agency = next(r for r in listed if r["kind"] == "collection")
    assert all(r["kind"] != "authority" for r in listed), "authorities have their own case"
    body = {
        "customer": "c-3",
        "recipient": agency["id"],
        "order": "o-3",
        "fields": ["billing_name", "billing_street"],
        "reason": "Tilintarkastus",
        "disclosed_at": "2026-11-20T09:00:00+02:00",
    }
    first = api.post("/api/v1/disclosures/", body, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["recipient_name"] == agency["name"]
    assert api.post("/api/v1/disclosures/", body, format="json").status_code == 200
    logged = Disclosure.objects.get()
    assert (logged.order.number, logged.reason) == ("T-3", "Tilintarkastus")
    assert logged.fields == ["billing_name", "billing_street"]
    listing = api.get("/api/v1/disclosures/?customer=c-3").json()
    assert [row["recipient"] for row in listing["results"]] == [agency["id"]]


def test_the_api_refuses_a_disclosure_the_statement_could_not_have_told(published, api):
    _customer_with_order(api, 3, "Ella Tarkastettava", billing_name="Ella Tarkastettava")
    body = {
        "customer": "c-3",
        "fields": ["email"],
        "reason": "Tilintarkastus",
        "disclosed_at": "2026-11-20T09:00:00+02:00",
    }
    unlisted = StatementRecipient.objects.create(
        draft=StatementDraft.current(),
        name_fi="Mainostoimisto Oy",
        kind=StatementRecipient.Kind.OTHER,
        country="FI",
    )
    refused = api.post("/api/v1/disclosures/", {**body, "recipient": unlisted.pk}, format="json")
    assert refused.status_code == 400
    assert "ei ole tietosuojaselosteen vastaanottajissa" in str(refused.json())
    agency = StatementDraft.current().recipients.get(kind="collection")
    unknown_field = {**body, "recipient": agency.pk, "fields": ["shoe_size"]}
    refused = api.post("/api/v1/disclosures/", unknown_field, format="json")
    assert refused.status_code == 400
    assert "Tuntematon tieto: ”shoe_size”" in str(refused.json())
    future = {**body, "recipient": agency.pk, "disclosed_at": "2099-01-01T00:00:00Z"}
    assert api.post("/api/v1/disclosures/", future, format="json").status_code == 400
    assert not Disclosure.objects.exists()


def test_a_token_without_the_orders_scope_cannot_read_or_write_the_log(published, make_client):
    marketing_only = make_client(["marketing:read", "marketing:write"])
    assert marketing_only.get("/api/v1/disclosures/").status_code == 403
    assert marketing_only.post("/api/v1/disclosures/", {}, format="json").status_code == 403
