"""Carriers are the shop's data: added and retired in the staff panel, used by the API and portal.

A carrier's parcels carry the customer's delivery details to it, so a new carrier takes
shipments only once the statement in force names it as a recipient (statement.registry).
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from customers.models import Carrier, Shipment
from privacy.models import AuditEntry
from statement.models import StatementDraft, StatementRecipient
from statement.publishing import publish_statement
from tests.factories import CustomerFactory, OrderFactory, ShipmentFactory
from tests.integrations.test_disclosures import _customer_with_order
from tests.portal.conftest import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_statement")]

KAUKOKIITO = {
    "name": "Kaukokiito",
    "key": "kaukokiito",
    "tracking_url": "https://www.kaukokiito.fi/fi/seuranta/?rahtikirja={code}",
    "is_active": "on",
}


@pytest.fixture
def staff(register_admin, otp_login) -> Client:
    return otp_login(Client(), register_admin)


def _order_with_customer(api) -> None:
    _customer_with_order(api, 1, "Aino Mäkelä", delivery_name="Aino Mäkelä")


def name_in_statement(key: str, name: str) -> None:
    """Name a carrier as a recipient of the statement and publish it."""
    draft = StatementDraft.current()
    draft.recipients.create(
        name_fi=name,
        name_sv=name,
        name_en=name,
        kind=StatementRecipient.Kind.CARRIER,
        role=StatementRecipient.Role.RECIPIENT,
        carrier=key,
    )
    publish_statement(draft=draft)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_six_carriers_of_before_are_seeded_with_their_tracking_pages():
    assert Carrier.objects.names() == {
        "posti": "Posti",
        "matkahuolto": "Matkahuolto",
        "dbschenker": "DB Schenker",
        "postnord": "PostNord",
        "dhl": "DHL",
        "budbee": "Budbee",
    }
    assert ShipmentFactory(carrier="budbee", tracking_code="BB 1/2").tracking_url == (
        "https://tracking.budbee.com/BB%201%2F2"
    )


def test_a_carrier_added_in_the_staff_panel_takes_parcels_once_the_statement_names_it(
    staff, api, client
):
    answer = staff.post("/hallinta/customers/carrier/add/", KAUKOKIITO, follow=True)
    carrier = Carrier.objects.get(key="kaukokiito")
    row = re.search(r"Kaukokiito</a></th>(.*?)</tr>", answer.content.decode(), re.S).group(1)
    assert "icon-no" in row
    assert carrier.is_active and carrier.name == "Kaukokiito"
    # The shop is told that the statement must name the carrier first, and where to add it.
    assert "Tietosuojaseloste ei vielä mainitse kuljetusliikettä Kaukokiito" in _messages(answer)
    entry = AuditEntry.objects.get(object_label=f"customers.carrier:{carrier.pk}")
    assert entry.action == AuditEntry.Action.ADD

    _order_with_customer(api)
    shipment = {"order": "o-1", "carrier": "kaukokiito", "tracking_code": "KK 123/45"}
    refused = api.put("/api/v1/shipments/s-1/", shipment, format="json")
    assert refused.status_code == 400
    assert "Kuljetusliikettä ”Kaukokiito” ei ole vastaanottajarekisterissä" in str(refused.json())
    assert not Shipment.objects.exists()

    # The statement's recipient form offers the new carrier; named and published, it takes parcels.
    draft = StatementDraft.current()
    page = staff.get(f"/hallinta/statement/statementdraft/{draft.pk}/change/").content.decode()
    assert '<option value="kaukokiito">Kaukokiito</option>' in page
    name_in_statement("kaukokiito", "Kaukokiito Oy")
    listed = staff.get("/hallinta/customers/carrier/").content.decode()
    row = re.search(r"Kaukokiito</a></th>(.*?)</tr>", listed, re.S).group(1)
    assert "icon-yes" in row

    accepted = api.put("/api/v1/shipments/s-1/", shipment, format="json")
    assert accepted.status_code == 201, accepted.json()
    link = "https://www.kaukokiito.fi/fi/seuranta/?rahtikirja=KK%20123%2F45"
    assert accepted.json()["tracking_url"] == link

    log_in(client, Shipment.objects.get().order.customer)
    orders = client.get("/oma/tilaukset/").content.decode()
    assert "Toimitus: Kaukokiito" in orders
    assert f'<a href="{link}"' in orders


@pytest.mark.parametrize(
    ("pattern", "error"),
    [
        (
            "http://www.kaukokiito.fi/seuranta/{code}",
            "Seurantasivun osoitteen on alettava https://",
        ),
        ("https://www.kaukokiito.fi/seuranta/", "kohta {code} täsmälleen kerran"),
        ("https://www.kaukokiito.fi/{code}/{code}", "kohta {code} täsmälleen kerran"),
        ("https://www.kaukokiito.fi/?id={koodi}", "kohta {code} täsmälleen kerran"),
        ("https://ei osoite/{code}", "ei ole kelvollinen verkko-osoite"),
    ],
)
def test_a_tracking_page_pattern_that_is_not_https_with_one_code_is_refused(staff, pattern, error):
    answer = staff.post("/hallinta/customers/carrier/add/", {**KAUKOKIITO, "tracking_url": pattern})
    assert answer.status_code == 200
    assert error in answer.content.decode()
    assert not Carrier.objects.filter(key="kaukokiito").exists()


def test_a_retired_carrier_takes_no_new_parcels_but_old_ones_keep_their_tracking_link(
    staff, api, client
):
    _order_with_customer(api)
    old = {"order": "o-1", "carrier": "budbee", "tracking_code": "BB1"}
    assert api.put("/api/v1/shipments/s-1/", old, format="json").status_code == 201
    budbee = Carrier.objects.get(key="budbee")
    form = {"name": "Budbee", "tracking_url": budbee.tracking_url}  # "käytössä" unticked
    staff.post(f"/hallinta/customers/carrier/{budbee.pk}/change/", form)
    assert not Carrier.objects.get(key="budbee").is_active

    refused = api.put("/api/v1/shipments/s-2/", {**old, "tracking_code": "BB2"}, format="json")
    assert refused.status_code == 400
    assert "Kuljetusliike Budbee ei ole enää käytössä" in str(refused.json())
    # The old shipment is updated as before: its carrier stays.
    resent = api.put("/api/v1/shipments/s-1/", {**old, "tracking_code": "BB1X"}, format="json")
    assert resent.status_code == 200, resent.json()

    log_in(client, Shipment.objects.get().order.customer)
    orders = client.get("/oma/tilaukset/").content.decode()
    assert "Toimitus: Budbee" in orders
    assert '<a href="https://tracking.budbee.com/BB1X"' in orders

    # Nor can staff record a new parcel with it; the shipment page offers only carriers in use.
    order = OrderFactory(customer=CustomerFactory())
    with pytest.raises(ValidationError, match="ei ole enää käytössä"):
        Shipment(order=order, carrier="budbee").full_clean()
    add_page = staff.get("/hallinta/customers/shipment/add/").content.decode()
    assert 'value="budbee"' not in add_page and 'value="posti"' in add_page
    change_page = staff.get(
        f"/hallinta/customers/shipment/{Shipment.objects.get().pk}/change/"
    ).content.decode()
    assert '<option value="budbee" selected>Budbee</option>' in change_page


def test_an_unknown_carrier_is_refused_naming_the_carriers_in_use(api):
    _order_with_customer(api)
    shipment = {"order": "o-1", "carrier": "kaukokiito", "tracking_code": "KK1"}
    refused = api.put("/api/v1/shipments/s-1/", shipment, format="json")
    assert refused.status_code == 400
    message = str(refused.json()["carrier"])
    assert "Kuljetusliikettä ”kaukokiito” ei ole" in message
    assert "posti" in message and "budbee" in message
    assert not Shipment.objects.exists()


def test_a_carrier_is_never_deleted_and_its_key_never_changes(staff):
    posti = Carrier.objects.get(key="posti")
    assert staff.get(f"/hallinta/customers/carrier/{posti.pk}/delete/").status_code == 403
    staff.post(
        f"/hallinta/customers/carrier/{posti.pk}/change/",
        {"name": "Posti", "key": "itella", "tracking_url": posti.tracking_url, "is_active": "on"},
    )
    assert Carrier.objects.get(pk=posti.pk).key == "posti"
