"""Erase my data: the plan in plain words, and an erasure request filed when confirmed."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Order
from rights.models import DataSubjectRequest
from tests.factories import CustomerFactory, MarketingBanFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

ERASE = reverse("portal:erase")


def test_the_page_says_what_stays_until_when_and_why_in_plain_words(portal_client):
    order = OrderFactory(ordered_at=timezone.now().replace(year=2025, month=3))
    OrderLineFactory(order=order)
    body = portal_client(order.customer).get(ERASE).content.decode()
    # The action first: the button comes before the table of what stays.
    assert body.index("Poista tietoni") < body.index("Mitä jää ja kuinka kauan")
    # The order is kept for the accounting law, until the end of the sixth year.
    assert "Kirjanpitolaki velvoittaa säilyttämään tositteet." in body
    assert "31.12.2031 asti" in body
    assert "asiakastietosi" in body  # removed
    # No field lists, and each record and reason once.
    for field_list in ("laskutusnimi", "tiiviste,", "koodin tiiviste"):
        assert field_list not in body
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td[^>]*>([^<]*)</td>', body)
    assert len(rows) == len(set(rows))
    assert not DataSubjectRequest.objects.exists()  # looking files nothing


def test_a_record_kept_in_part_is_never_also_said_to_be_erased_entirely(portal_client):
    """Orders stay as vouchers: the page names them among what else of the kept goes at once,
    not among what is erased entirely (it said both)."""
    order = OrderFactory(ordered_at=timezone.now().replace(year=2025, month=3))
    OrderLineFactory(order=order)
    page = portal_client(order.customer).get(ERASE).content.decode()
    partly = re.search(r"Näistä poistamme heti kaiken muun, mikä kertoo sinusta: ([^.<]*)\.", page)
    entirely = re.search(r"Nämä poistamme heti kokonaan: ([^.<]*)\.", page)
    assert partly and entirely
    kept = re.findall(r'<tr><th scope="row">([^<]*)</th>', page)
    assert "Tilaukset, tilausrivit" in kept
    assert "tilaukset" in partly.group(1).split(", ")
    assert "tilaukset" not in entirely.group(1).split(", ")
    assert "kirjautumiskoodit" in entirely.group(1).split(", ")  # nothing of a code stays


def test_a_waiting_erasure_shows_its_status_and_due_date_instead_of_the_button(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    client.post(ERASE, {"confirm": "on"})
    request = DataSubjectRequest.objects.get()
    body = client.get(ERASE).content.decode()
    assert "Vastaanotettu" in body and f"{request.due_date:%-d.%-m.%Y}" in body
    assert "Henkilöllisyys todennettu" not in body
    assert "Poista tietoni" not in body


def test_an_open_invoice_keeps_the_billing_details_until_it_is_paid(portal_client):
    order = OrderFactory(invoice_state=Order.InvoiceState.OPEN)
    body = portal_client(order.customer).get(ERASE).content.decode()
    assert "Avoin lasku" in body
    assert "kun lasku on maksettu" in body


def test_a_ban_puts_the_contacts_on_the_suppression_list_and_the_page_says_so(portal_client):
    customer = CustomerFactory()
    MarketingBanFactory(customer=customer)
    assert "estolistalle" in portal_client(customer).get(ERASE).content.decode()


def test_confirming_files_an_erasure_request_verified_by_the_login(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    response = client.post(ERASE, {"confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:requests")
    request = DataSubjectRequest.objects.get(customer=customer)
    assert request.kind == DataSubjectRequest.Kind.ERASURE
    assert request.status == DataSubjectRequest.Status.IDENTITY_VERIFIED
    assert request.verification_method == DataSubjectRequest.Verification.PORTAL_LOGIN
    body = response.content.decode()
    assert f"{request.due_date:%-d.%-m.%Y}" in body
    customer.refresh_from_db()
    assert customer.erased_at is None  # staff carry it out; the customer can still log in
    # A second press adds nothing; the page says the request is waiting.
    client.post(ERASE, {"confirm": "on"})
    assert DataSubjectRequest.objects.filter(customer=customer).count() == 1
    assert "Poistopyyntösi on jo vastaanotettu" in client.get(ERASE).content.decode()


def test_the_request_is_due_within_a_month(portal_client):
    customer = CustomerFactory()
    portal_client(customer).post(ERASE, {"confirm": "on"})
    request = DataSubjectRequest.objects.get()
    assert request.due_date - timezone.localdate() <= dt.timedelta(days=31)


def test_without_the_confirmation_nothing_is_filed(portal_client):
    customer = CustomerFactory()
    response = portal_client(customer).post(ERASE, {})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Vahvista poistopyyntö rastittamalla tämä kohta." in body
    assert 'aria-describedby="id_confirm_error"' in body
    assert not DataSubjectRequest.objects.exists()
