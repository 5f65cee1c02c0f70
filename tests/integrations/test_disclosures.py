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


def test_a_shipment_logs_its_carrier_and_an_unnamed_carrier_is_refused_through_the_api(
    published, api
):
    customer = {"first_name": "Aino", "last_name": "Mäkelä", "email": "aino@example.fi"}
    assert api.put("/api/v1/customers/c-1/", customer, format="json").status_code in (200, 201)
    order = {
        "number": "T-1",
        "customer": "c-1",
        "ordered_at": "2026-11-02T10:00:00+02:00",
        "status": "paid",
        "delivery_name": "Aino Mäkelä",
        "lines": [
            {"product_name": "Kuppi", "quantity": 1, "unit_price_net": "8.00", "vat_rate": "25.5"}
        ],
    }
    answer = api.put("/api/v1/orders/o-1/", order, format="json")
    assert answer.status_code in (200, 201), answer.json()
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
    assert "Kuljetusliikettä ”budbee” ei ole vastaanottajarekisterissä" in str(refused.json())
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
