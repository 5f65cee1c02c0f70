"""Two staff members saving the same customer at once: the second is told, nothing is lost."""

import pytest
from django.test import Client
from django.urls import reverse

from customers.models import Customer
from tests.factories import CustomerFactory
from tests.reliability import figures
from tests.reliability.html_forms import form_data

pytestmark = pytest.mark.django_db

CONFLICT = "Toinen käyttäjä on tallentanut tämän asiakkaan tietoja sen jälkeen, kun avasit"


def _open(client: Client, customer: Customer) -> dict[str, list[str]]:
    response = client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    assert response.status_code == 200
    return form_data(response.content.decode(), "customer_form")


def _save(client: Client, customer: Customer, data: dict[str, list[str]]):
    return client.post(reverse("admin:customers_customer_change", args=[customer.pk]), data)


def test_the_second_of_two_simultaneous_saves_gets_a_conflict_and_loses_nothing(
    customer_service, register_admin, otp_login
):
    customer = CustomerFactory(first_name="Áilu", last_name="Ánde", phone="+358401234567")
    first = otp_login(Client(), customer_service)
    second = otp_login(Client(), register_admin)
    # Both open the change form before either saves.
    first_form, second_form = _open(first, customer), _open(second, customer)
    assert first_form["loaded_version"] and first_form["first_name"] == ["Áilu"]

    first_form["phone"] = ["+358 50 765 4321"]
    saved = _save(first, customer, first_form)
    assert saved.status_code == 302, saved.content.decode()[:3000]

    second_form["last_name"] = ["Čalmmet"]
    refused = _save(second, customer, second_form)
    body = refused.content.decode()
    assert refused.status_code == 200
    assert CONFLICT in body
    customer.refresh_from_db()
    # The first edit stands; the second was not written over it.
    assert (customer.phone, customer.last_name) == ("+358507654321", "Ánde")

    # Reopened, the second member sees the first's change and can make their own.
    again = _open(second, customer)
    assert again["phone"] == ["+358507654321"]
    again["last_name"] = ["Čalmmet"]
    assert _save(second, customer, again).status_code == 302
    customer.refresh_from_db()
    assert (customer.phone, customer.last_name) == ("+358507654321", "Čalmmet")
    figures.add("concurrency", "customer admin form", edits=3, conflicts_refused=1, lost=0)


def test_a_form_posted_without_its_version_is_refused(customer_service, otp_login):
    customer = CustomerFactory(first_name="Máret")
    client = otp_login(Client(), customer_service)
    data = _open(client, customer)
    del data["loaded_version"]
    data["first_name"] = ["Maret"]
    response = _save(client, customer, data)
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    customer.refresh_from_db()
    assert customer.first_name == "Máret"


def test_a_form_opened_before_an_erasure_cannot_save_the_details_back(customer_service, otp_login):
    from rights.erasure import erase_customer

    customer = CustomerFactory(first_name="Ánde", last_name="Čalmmet", email="ande@example.fi")
    client = otp_login(Client(), customer_service)
    data = _open(client, customer)
    erase_customer(customer=customer, reason="test")
    data["first_name"] = ["Ánde"]
    response = _save(client, customer, data)
    # What erasure keeps is for bookkeeping alone, so customer service no longer finds the
    # row at all; the stale form writes nothing back.
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name) == ("", "")
    assert customer.email != "ande@example.fi"
    page = client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    assert page.status_code == 302


def test_a_restriction_after_the_form_was_opened_is_a_conflict(customer_service, otp_login):
    from rights.objections import restrict_processing

    customer = CustomerFactory(first_name="Máret")
    client = otp_login(Client(), customer_service)
    data = _open(client, customer)
    restrict_processing(customer=customer)
    data["first_name"] = ["Maret"]
    response = _save(client, customer, data)
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    customer.refresh_from_db()
    assert (customer.first_name, customer.is_restricted) == ("Máret", True)
