"""A shipment staff record in the staff panel goes only to a carrier the statement names.

The parcel carries the customer's delivery details to the carrier, so the staff forms refuse a
carrier the statement in force does not name as a recipient, with the API's check and words
(customers.services.listed_carrier), and log the hand-over as the API does.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import Carrier, Disclosure, Shipment
from demo.shop import ensure_demo_statement
from statement.models import StatementDraft, StatementRecipient
from tests.factories import OrderFactory, ShipmentFactory, TrackingEventFactory
from tests.integrations.test_carriers import name_in_statement
from tests.staff.test_case_admin import _submit

pytestmark = pytest.mark.django_db

REFUSED = "Kuljetusliikettä ”Kaukokiito” ei ole vastaanottajarekisterissä"


@pytest.fixture
def staff(register_admin, otp_login) -> Client:
    ensure_demo_statement()
    Carrier.objects.create(
        key="kaukokiito",
        name="Kaukokiito",
        tracking_url="https://www.kaukokiito.fi/fi/seuranta/?rahtikirja={code}",
    )
    return otp_login(Client(), register_admin)


def _shipment_form(order, carrier: str) -> dict[str, str]:
    return {
        "order": str(order.pk),
        "external_id": "",
        "carrier": carrier,
        "tracking_code": "KK 123/45",
        "shipped_at_0": "1.12.2026",
        "shipped_at_1": "12:00:00",
        "delivered_at_0": "",
        "delivered_at_1": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }


def _errors(answer) -> str:
    return " ".join(" ".join(errors) for errors in answer.context["adminform"].form.errors.values())


def test_a_shipment_added_with_a_carrier_the_statement_does_not_name_is_refused(staff):
    order = OrderFactory()
    answer = staff.post("/hallinta/customers/shipment/add/", _shipment_form(order, "kaukokiito"))
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    assert "julkaise uusi versio ennen ensimmäistä lähetystä" in _errors(answer)
    assert not Shipment.objects.exists()
    assert not Disclosure.objects.exists()

    # Named in the draft but not yet published, it is still refused: the customer was not told.
    draft = StatementDraft.current()
    recipient = draft.recipients.create(
        name_fi="Kaukokiito Oy",
        name_sv="Kaukokiito Oy",
        name_en="Kaukokiito Oy",
        kind=StatementRecipient.Kind.CARRIER,
        role=StatementRecipient.Role.RECIPIENT,
        carrier="kaukokiito",
    )
    answer = staff.post("/hallinta/customers/shipment/add/", _shipment_form(order, "kaukokiito"))
    assert answer.status_code == 200
    assert "Tietosuojaseloste ei mainitse vastaanottajaa ”Kaukokiito Oy”" in _errors(answer)
    assert not Shipment.objects.exists()

    # Named and published, the carrier takes the parcel, and the hand-over is logged.
    recipient.delete()
    name_in_statement("kaukokiito", "Kaukokiito Oy")
    answer = staff.post("/hallinta/customers/shipment/add/", _shipment_form(order, "kaukokiito"))
    assert answer.status_code == 302
    shipment = Shipment.objects.get()
    assert shipment.carrier == "kaukokiito"
    disclosure = Disclosure.objects.get()
    assert (disclosure.order, disclosure.recipient) == (order, "Kaukokiito Oy")


def test_a_shipment_moved_to_a_carrier_the_statement_does_not_name_is_refused(staff):
    shipment = ShipmentFactory(carrier="posti")
    url = f"/hallinta/customers/shipment/{shipment.pk}/change/"
    answer = _submit(staff, url, "shipment_form", carrier="kaukokiito")
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    assert Shipment.objects.get().carrier == "posti"
    # Other details of a shipment keep being edited; its carrier is not asked again.
    answer = _submit(staff, url, "shipment_form", tracking_code="JJFI1")
    assert answer.status_code == 302
    assert Shipment.objects.get().tracking_code == "JJFI1"


def test_a_shipment_added_on_the_order_page_is_checked_the_same_way(staff):
    order = OrderFactory()
    url = f"/hallinta/customers/order/{order.pk}/change/"
    row = {
        "shipments-TOTAL_FORMS": "1",
        "shipments-0-order": str(order.pk),
        "shipments-0-carrier": "kaukokiito",
        "shipments-0-tracking_code": "KK 1",
        "shipments-0-shipped_at_0": "1.12.2026",
        "shipments-0-shipped_at_1": "12:00:00",
    }
    answer = _submit(staff, url, "order_form", **row)
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    assert not Shipment.objects.exists()

    answer = _submit(staff, url, "order_form", **{**row, "shipments-0-carrier": "posti"})
    assert answer.status_code == 302
    assert Shipment.objects.get(order=order).carrier == "posti"
    assert Disclosure.objects.get(order=order).recipient_kind == Disclosure.RecipientKind.CARRIER


def _order_page_queries(client: Client, order) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(f"/hallinta/customers/order/{order.pk}/change/")
    assert answer.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_order_page_reads_the_carriers_once_however_many_shipments_it_shows(staff):
    few, many = OrderFactory(), OrderFactory()
    for order, count in ((few, 1), (many, 5)):
        for number in range(count):
            shipment = ShipmentFactory(
                order=order, carrier="kaukokiito", tracking_code=f"KK {number}"
            )
            TrackingEventFactory(shipment=shipment)
    _order_page_queries(staff, few)  # Warm the per-process caches (content types, site).

    with_one, with_five = _order_page_queries(staff, few), _order_page_queries(staff, many)
    assert len(with_five) == len(with_one)
    assert sum('FROM "customers_carrier"' in sql for sql in with_five) == 1 + 2  # + names in rows
    page = staff.get(f"/hallinta/customers/order/{many.pk}/change/").content.decode()
    # Each row and each tracking event still names its shipment by its carrier's name.
    assert page.count("Kaukokiito KK 4") == 2


def test_a_retired_carrier_takes_no_new_parcel_but_an_old_one_keeps_it_on_the_order_page(staff):
    Carrier.objects.filter(key="kaukokiito").update(is_active=False)
    order = OrderFactory()
    ShipmentFactory(order=order, carrier="kaukokiito", tracking_code="KK 7")
    ShipmentFactory(order=order, carrier="posti", tracking_code="JJFI2")
    page = staff.get(f"/hallinta/customers/order/{order.pk}/change/")
    (shipments,) = (
        f.formset for f in page.context["inline_admin_formsets"] if f.opts.model is Shipment
    )
    old, other = shipments.forms
    assert ("kaukokiito", "Kaukokiito") in old.fields["carrier"].choices
    assert old["carrier"].value() == "kaukokiito"
    assert "kaukokiito" not in dict(other.fields["carrier"].choices)
    new = dict(shipments.empty_form.fields["carrier"].choices)
    assert "posti" in new and "kaukokiito" not in new


def test_a_shipment_moved_to_another_carrier_is_named_by_the_new_one():
    Carrier.objects.create(key="kaukokiito", name="Kaukokiito")
    shipment = ShipmentFactory(carrier="posti", tracking_code="JJFI3")
    loaded = Shipment.objects.with_carriers().get(pk=shipment.pk)
    assert str(loaded) == "Posti JJFI3"
    loaded.carrier = "kaukokiito"
    assert str(loaded) == "Kaukokiito JJFI3"
