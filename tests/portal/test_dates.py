"""Every date on the portal's pages is written as the reader's language writes it.

Finnish and Finland-Swedish write 7.12.2026 and 14.05; English spells the month out (7 Dec 2026)
so that no reader takes the day for the month: privacy.dates.date_text, which the access
package and the details page already use.
"""

import re

import pytest
from django.utils import translation

from demo.shop import ensure_demo_statement
from portal.services import download_my_data, file_my_request
from privacy.dates import date_text
from rights.models import DataSubjectRequest
from tests.factories import OrderLineFactory

pytestmark = pytest.mark.django_db

PAGES = ["/oma/tilaukset/", "/oma/markkinointi/", "/oma/lataa/", "/oma/poista/", "/oma/pyynnot/"]
DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.20\d\d\b")
COLON_TIME = re.compile(r"\b\d{1,2}:\d\d\b")


def _read(response) -> str:
    """Return the text of the page's main content, as a reader sees it (no tags, no attributes)."""
    body = response.content.decode()
    main = body.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", main))


def make_shopper(language: str):
    """Return a customer with an order, an open request and a package, reading in a language."""
    ensure_demo_statement()
    customer = OrderLineFactory(order__customer__preferred_language=language).order.customer
    file_my_request(customer=customer, kind="restriction", description="Osoite on kiistanalainen.")
    download_my_data(customer=customer)
    return customer


def test_english_pages_spell_the_month_out(portal_client):
    shopper = make_shopper("en")
    client = portal_client(shopper)
    order = shopper.orders.get()
    for path in PAGES:
        text = _read(client.get("/en" + path))
        assert not DOTTED_DATE.search(text), (path, DOTTED_DATE.search(text).group())
    with translation.override("en"):
        ordered = date_text(order.ordered_at)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 20\d\d", ordered)
    assert ordered in _read(client.get("/en/oma/tilaukset/"))


def test_swedish_pages_write_times_with_a_dot(portal_client):
    shopper = make_shopper("sv")
    client = portal_client(shopper)
    for path in PAGES:
        text = _read(client.get("/sv" + path))
        assert not COLON_TIME.search(text), (path, COLON_TIME.search(text).group())
    requests = _read(client.get("/sv/oma/pyynnot/"))
    request = DataSubjectRequest.objects.filter(customer=shopper, kind="restriction").get()
    with translation.override("sv"):
        assert date_text(request.received_at, with_time=True) in requests


def test_the_due_date_of_a_new_request_is_told_in_the_readers_format(portal_client):
    shopper = make_shopper("en")
    client = portal_client(shopper)
    response = client.post(
        "/en/oma/pyynnot/",
        {"kind": "objection", "description": "En halua profilointia."},
        follow=True,
    )
    text = _read(response)
    due = DataSubjectRequest.objects.get(customer=shopper, kind="objection").due_date
    with translation.override("en"):
        assert date_text(due) in text
    assert not DOTTED_DATE.search(text), DOTTED_DATE.search(text).group()


def test_a_request_sent_by_the_customer_is_not_called_shipped_in_english(portal_client):
    shopper = make_shopper("en")
    text = _read(portal_client(shopper).get("/en/oma/pyynnot/"))
    assert "Sent" in text
    assert "Shipped" not in text
