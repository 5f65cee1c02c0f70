"""Names with Finnish and Sámi letters, apostrophes, hyphens and markup survive every path
unchanged, and are shown as text everywhere: API → database → portal page → staff page →
access export (JSON and PDF) → a letter's PDF, and the statement's PDF for the controller."""

import html
import io
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from customers.models import Customer
from demo.shop import ensure_demo_controller, ensure_demo_statement
from integrations.models import ApiToken
from integrations.services import create_api_token
from rights.access import build_access_json, build_access_pdf, exported_tables
from rights.cases import receive_request
from rights.letters import render_letter_pdf
from rights.models import DataSubjectRequest
from statement.models import Controller, StatementDraft
from statement.publishing import get_statement_pdf, publish_statement
from tests.portal.conftest import log_in
from tests.reliability import figures

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
NAMES = [
    ("Áilu", "O'Brien"),
    ("Ánde", "Čalmmet"),
    ("Máret", "Šiŋŋá-Đuđđa"),
    ("Anna-Liisa", "Ŧʒäöå Žž"),
    ("Äijö", SCRIPT),
]


def _pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def _bare(value: str) -> str:
    return re.sub(r"\s+", "", value)


def _shown_as_text(body: str, value: str) -> None:
    """The value is on the page as text: escaped in the markup, exact once unescaped."""
    assert value in html.unescape(body)
    if "<" in value:
        assert value not in body
        assert html.escape(value, quote=False) in body or html.escape(value) in body


@pytest.fixture
def shop_api(db) -> APIClient:
    cache.clear()
    _token, secret = create_api_token(name="Verkkokauppa", scopes=list(ApiToken.Scope.values))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.mark.parametrize(("first", "last"), NAMES)
def test_a_name_survives_every_path_unchanged_and_is_never_markup(
    first, last, shop_api, register_admin, otp_login
):
    email = f"asiakas{NAMES.index((first, last))}@example.fi"
    answer = shop_api.put(
        "/api/v1/customers/kauppa-9/",
        {"first_name": first, "last_name": last, "email": email},
        format="json",
    )
    assert answer.status_code in (200, 201), answer.content
    assert (answer.json()["first_name"], answer.json()["last_name"]) == (first, last)
    customer = Customer.objects.get(external_id="kauppa-9")
    assert (customer.first_name, customer.last_name) == (first, last)
    paths = 2

    portal = Client()
    log_in(portal, customer)
    page = portal.get(reverse("portal:details")).content.decode()
    _shown_as_text(page, first)
    _shown_as_text(page, last)

    staff = otp_login(Client(), register_admin)
    page = staff.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    _shown_as_text(page.content.decode(), last)
    paths += 2

    tables = exported_tables(customer)
    exported = json.loads(build_access_json(customer=customer, tables=tables))
    assert first in json.dumps(exported, ensure_ascii=False)
    assert last in json.dumps(exported, ensure_ascii=False)
    text = _pdf_text(build_access_pdf(customer=customer, tables=tables))
    assert _bare(first) in text and _bare(last) in text
    paths += 2

    request = receive_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        channel=DataSubjectRequest.Channel.LETTER,
        customer=customer,
        requester_name=f"{first} {last}",
    )
    letter = _pdf_text(render_letter_pdf(case=request, text=f"Päätös\nHyvä {first} {last}"))
    assert _bare(f"{first}{last}") in letter
    paths += 1
    figures.add("names", f"{first} {last}", paths=paths)
    figures.add("names", "all", names=1, paths=paths)


def test_the_controller_name_is_text_in_the_statement_page_and_pdf(client):
    ensure_demo_statement()
    name = f"Čalmmet & Šiŋŋá {SCRIPT} Oy"
    Controller.objects.filter(pk=ensure_demo_controller().pk).update(name=name)
    version = publish_statement(draft=StatementDraft.current())
    _shown_as_text(client.get(reverse("statement:current")).content.decode(), name)
    pdf = get_statement_pdf(version=version, language="fi")
    assert _bare(name) in _pdf_text(pdf.file.read())
    figures.add("names", "all", names=1, paths=2)
