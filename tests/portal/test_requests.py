"""My requests: status, due date and decision letter; withdrawing and filing in own words."""

import pytest
from django.urls import reverse

from customers.models import MarketingBan
from rights.cases import fulfil_request, receive_request, refuse_request, verify_identity
from rights.models import DataSubjectRequest
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

REQUESTS = reverse("portal:requests")
Kind = DataSubjectRequest.Kind


def _request(customer, kind=Kind.ERASURE, **kw) -> DataSubjectRequest:
    return receive_request(kind=kind, channel="email", customer=customer, **kw)


def test_every_request_is_listed_with_status_due_date_and_decision(portal_client):
    customer = CustomerFactory()
    open_one = _request(customer)
    refused = _request(customer, Kind.RESTRICTION)
    refuse_request(case=refused, reason="unfounded")
    done = _request(customer, Kind.ACCESS)
    verify_identity(case=done, method="email_on_file")
    fulfil_request(case=done)
    body = portal_client(customer).get(REQUESTS).content.decode()
    for request in (open_one, refused, done):
        assert request.reference in body
    assert f"{open_one.due_date:%-d.%-m.%Y}" in body
    # The status in the customer's words, never the case workflow's ("Henkilöllisyys todennettu").
    assert "Vastaanotettu" in body and "Hylätty" in body and "Valmis" in body
    assert "todennettu" not in body.lower()
    assert "Valmis viimeistään" in body
    assert "Tietosuojavaltuutetun toimisto" in body  # the refusal's remedies
    assert "Kirjallinen ratkaisu" in body


def test_a_customer_withdraws_their_own_open_request(portal_client):
    customer = CustomerFactory()
    request = _request(customer)
    client = portal_client(customer)
    response = client.post(reverse("portal:request_withdraw", args=[request.code]), follow=True)
    assert "Pyyntösi on peruttu." in response.content.decode()
    request.refresh_from_db()
    assert request.status == DataSubjectRequest.Status.WITHDRAWN


def test_another_customers_request_cannot_be_withdrawn(portal_client):
    owner, other = CustomerFactory(), CustomerFactory()
    request = _request(owner)
    response = portal_client(other).post(reverse("portal:request_withdraw", args=[request.code]))
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == DataSubjectRequest.Status.RECEIVED


def test_a_decided_request_cannot_be_withdrawn(portal_client):
    customer = CustomerFactory()
    request = _request(customer)
    refuse_request(case=request, reason="unfounded")
    client = portal_client(customer)
    response = client.post(reverse("portal:request_withdraw", args=[request.code]), follow=True)
    assert "Pyyntö on jo ratkaistu." in response.content.decode()


def test_a_restriction_request_is_filed_in_the_customers_words(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    response = client.post(
        REQUESTS,
        {"kind": "restriction", "description": "Osoitteeni on kiistanalainen."},
        follow=True,
    )
    request = DataSubjectRequest.objects.get(customer=customer)
    assert (request.kind, request.channel) == (Kind.RESTRICTION, "portal")
    assert request.description == "Osoitteeni on kiistanalainen."
    assert request.verification_method == "portal_login"
    assert f"{request.due_date:%-d.%-m.%Y}" in response.content.decode()


def test_an_objection_bans_direct_marketing_at_once(portal_client):
    customer = CustomerFactory()
    portal_client(customer).post(REQUESTS, {"kind": "objection", "description": "En halua."})
    ban = MarketingBan.objects.get(customer=customer)
    assert (ban.scope, ban.channel) == ("direct_marketing", "all")


def test_a_request_without_words_is_refused_with_the_error_on_the_field(portal_client):
    customer = CustomerFactory()
    response = portal_client(customer).post(REQUESTS, {"kind": "restriction"})
    assert response.status_code == 400
    assert 'aria-describedby="id_description_helptext id_description_error"' in (
        response.content.decode()
    )
    assert not DataSubjectRequest.objects.exists()


def test_only_restriction_and_objection_are_filed_in_free_form(portal_client):
    customer = CustomerFactory()
    response = portal_client(customer).post(REQUESTS, {"kind": "erasure", "description": "x"})
    assert response.status_code == 400
    assert not DataSubjectRequest.objects.exists()
