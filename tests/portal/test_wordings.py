"""What a Swedish or English reader of the portal reads: one term for one thing, no calques."""

import re

import pytest
from django.core import mail

from demo.shop import ensure_demo_statement
from portal.services import download_my_data
from tests.factories import CustomerFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", response.content.decode()))


def test_swedish_calls_an_access_request_the_same_on_every_page(portal_client):
    ensure_demo_statement()
    customer = CustomerFactory(preferred_language="sv")
    download_my_data(customer=customer)
    client = portal_client(customer)
    download = _text(client.get("/sv/oma/lataa/"))
    requests = _text(client.get("/sv/oma/pyynnot/"))
    assert "begäran om insyn" in download
    assert "Begäran om insyn" in requests
    assert "tillgång" not in download + requests
    assert "laddas ned" not in download


def test_the_swedish_correction_form_names_the_detail_grammatically(portal_client):
    client = portal_client(CustomerFactory())
    text = _text(client.get("/sv/oma/tiedot/korjaus/yritys/"))
    assert "Rätt uppgift: företag" in text


def test_the_erasure_page_says_plainly_what_goes(portal_client):
    client = portal_client(OrderLineFactory().order.customer)
    english = _text(client.get("/en/oma/poista/"))
    swedish = _text(client.get("/sv/oma/poista/"))
    assert "everything else about you" in english
    assert "they do not show who you were" in english
    assert "tells about you" not in english and "do not tell who" not in english
    assert "allt annat som gäller dig" in swedish
    assert "berättar om dig" not in swedish


def test_the_login_mail_in_english_and_swedish_opens_with_a_capital_after_the_greeting(client):
    customer = CustomerFactory()
    for prefix, opening in (
        ("/en", "Hello,\n\nYour login code"),
        ("/sv", "Hej,\n\nDin inloggningskod"),
    ):
        client.post(f"{prefix}/oma/kirjaudu/", {"email": customer.email})
        assert mail.outbox[-1].body.startswith(opening), mail.outbox[-1].body[:60]
