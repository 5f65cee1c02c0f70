"""My details: changes go through the correction machinery as the declaration allows."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from customers.models import Customer, Disclosure, PortalLoginCode
from portal.services import self_service_fields
from rights.models import CorrectionItem, DataSubjectRequest, RecipientNotification
from tests.factories import CustomerFactory
from tests.portal.conftest import mailed_code

pytestmark = pytest.mark.django_db

DETAILS = reverse("portal:details")
CONFIRM = reverse("portal:email_confirm")


def _form(customer: Customer, **changes) -> dict:
    data = {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "street_address": customer.street_address,
        "postal_code": customer.postal_code,
        "post_office": customer.post_office,
        "phone": customer.phone,
        "email": customer.email,
        "preferred_language": customer.preferred_language,
        "company": customer.company,
        "business_id": customer.business_id,
        "reason": "",
    }
    data.update(changes)
    return data


def test_the_page_shows_the_customers_details(portal_client):
    customer = CustomerFactory(street_address="Kuusitie 5", phone="+358401234567")
    body = portal_client(customer).get(DETAILS).content.decode()
    assert customer.formatted_number in body
    assert 'value="Kuusitie 5"' in body
    assert 'value="040 1234567"' in body
    assert 'autocomplete="postal-code"' in body


def test_the_declaration_decides_which_fields_change_at_once():
    assert {"first_name", "street_address", "phone", "email"} <= self_service_fields()
    assert "company" not in self_service_fields()
    assert "business_id" not in self_service_fields()


def test_a_self_service_change_is_applied_at_once_as_a_completed_correction(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    response = client.post(
        DETAILS, _form(customer, street_address="Koivukuja 2", phone="050 765 4321"), follow=True
    )
    assert "Tietosi on päivitetty." in response.content.decode()
    customer.refresh_from_db()
    assert customer.street_address == "Koivukuja 2"
    assert customer.phone == "+358507654321"
    request = DataSubjectRequest.objects.get(customer=customer)
    assert request.kind == DataSubjectRequest.Kind.CORRECTION
    assert request.channel == DataSubjectRequest.Channel.PORTAL
    assert request.status == DataSubjectRequest.Status.COMPLETED
    assert request.verification_method == DataSubjectRequest.Verification.PORTAL_LOGIN
    assert "katuosoite: korjattu" in request.decision_text
    items = {i.field_name: i for i in request.corrections.all()}
    assert set(items) == {"street_address", "phone"}
    assert items["street_address"].old_value == "Mannerheimintie 1 A 2"
    assert all(i.state == CorrectionItem.State.APPLIED for i in items.values())


def test_a_change_the_declaration_does_not_allow_is_filed_for_review(portal_client):
    customer = CustomerFactory(company="Vanha Oy")
    client = portal_client(customer)
    response = client.post(
        DETAILS,
        _form(customer, company="Uusi Oy", first_name="Aina", reason="Yritys vaihtoi nimeä"),
        follow=True,
    )
    body = response.content.decode()
    assert "Muutospyyntösi on lähetetty tarkistettavaksi" in body
    customer.refresh_from_db()
    assert customer.company == "Vanha Oy"  # waits for staff
    assert customer.first_name == "Aina"  # applied at once
    filed = DataSubjectRequest.objects.get(customer=customer, status="identity_verified")
    item = filed.corrections.get()
    assert (item.field_name, item.new_value, item.state) == ("company", "Uusi Oy", "proposed")
    assert filed.description == "Yritys vaihtoi nimeä"
    assert f"{filed.due_date:%d.%m.%Y}" in body
    # The page lists the change as waiting.
    assert "Vanha Oy → Uusi Oy" in body


def test_a_correction_tells_the_recipients_who_got_the_old_value(portal_client):
    customer = CustomerFactory()
    Disclosure.objects.create(
        customer=customer,
        recipient="Perintä Oy",
        recipient_kind=Disclosure.RecipientKind.COLLECTION,
        fields=["street_address", "email"],
        reason="Perintä",
    )
    portal_client(customer).post(DETAILS, _form(customer, street_address="Koivukuja 2"))
    notice = RecipientNotification.objects.get()
    assert (notice.recipient, notice.fields) == ("Perintä Oy", ["street_address"])


def test_a_bad_value_is_refused_with_the_error_tied_to_its_field(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    response = client.post(DETAILS, _form(customer, postal_code="1234", street_address="X 1"))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_postal_code_error"' in body
    assert 'id="id_postal_code_error"' in body
    assert 'aria-invalid="true"' in body
    assert 'href="#id_postal_code"' in body  # the error summary links to the field
    assert "<title>Virhe:" in body
    customer.refresh_from_db()
    assert customer.street_address == "Mannerheimintie 1 A 2"  # nothing half-saved
    assert not DataSubjectRequest.objects.exists()


def test_saving_without_changes_says_so(portal_client):
    customer = CustomerFactory()
    response = portal_client(customer).post(DETAILS, _form(customer))
    assert "Et muuttanut yhtään tietoa." in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_a_new_email_is_confirmed_by_a_code_sent_to_the_new_address(portal_client):
    customer = CustomerFactory()
    old = customer.email
    client = portal_client(customer)
    response = client.post(DETAILS, _form(customer, email="Uusi.Osoite@Example.fi"))
    assert response.url == CONFIRM
    assert mail.outbox[-1].to == ["uusi.osoite@example.fi"]
    customer.refresh_from_db()
    assert customer.email == old  # not before the code
    assert "uusi.osoite@example.fi" in client.get(CONFIRM).content.decode()

    response = client.post(CONFIRM, {"code": mailed_code("uusi.osoite@example.fi")}, follow=True)
    assert "Sähköpostiosoitteesi on vaihdettu." in response.content.decode()
    customer.refresh_from_db()
    assert customer.email == "uusi.osoite@example.fi"
    request = DataSubjectRequest.objects.get(customer=customer)
    assert request.status == DataSubjectRequest.Status.COMPLETED
    assert request.corrections.get().field_name == "email"
    # The old address is told, in case it was not the customer.
    assert mail.outbox[-1].to == [old]
    assert "uusi.osoite@example.fi" in mail.outbox[-1].body


def test_a_wrong_email_code_counts_as_a_try_and_five_are_allowed(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    client.post(DETAILS, _form(customer, email="uusi@example.fi"))
    code = mailed_code("uusi@example.fi")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        response = client.post(CONFIRM, {"code": wrong})
        assert "väärä tai vanhentunut" in response.content.decode()
    client.post(CONFIRM, {"code": code})
    customer.refresh_from_db()
    assert customer.email != "uusi@example.fi"


def test_an_email_change_code_does_not_log_anyone_in(client, portal_client):
    customer = CustomerFactory()
    other_client = portal_client(customer)
    other_client.post(DETAILS, _form(customer, email="uusi@example.fi"))
    code = mailed_code("uusi@example.fi")
    client.post(reverse("portal:login"), {"email": customer.email})
    # The newest code of the customer is the login code; the change code stays unusable there.
    session = client.session
    session["portal_login_email"] = customer.email
    session.save()
    PortalLoginCode.objects.filter(new_email="").update(used_at="2020-01-01T00:00Z")
    response = client.post(reverse("portal:login_code"), {"code": code})
    assert "väärä tai vanhentunut" in response.content.decode()


def test_an_address_in_use_gets_a_notice_and_the_page_looks_the_same(portal_client):
    taken = CustomerFactory(email="varattu@example.fi")
    customer = CustomerFactory()
    client = portal_client(customer)
    response = client.post(DETAILS, _form(customer, email="varattu@example.fi"))
    assert response.url == CONFIRM
    assert "varattu@example.fi" in client.get(CONFIRM).content.decode()
    notice = mail.outbox[-1]
    assert notice.to == ["varattu@example.fi"]
    assert not re.search(r"\b\d{6}\b", notice.body)
    assert "toisen asiakastilin käytössä" in notice.body
    taken.refresh_from_db()
    customer.refresh_from_db()
    assert taken.email == "varattu@example.fi"
    assert customer.email != "varattu@example.fi"


def test_the_details_page_speaks_swedish_and_english(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    sv = client.get("/sv/oma/tiedot/").content.decode()
    en = client.get("/en/oma/tiedot/").content.decode()
    assert "Mina uppgifter" in sv and "Spara ändringarna" in sv
    assert "My details" in en and "Save changes" in en
    for body in (sv, en):
        assert "Tallenna muutokset" not in body
        assert "Omat tiedot" not in body


def test_an_address_taken_before_the_code_is_given_changes_nothing(portal_client):
    customer = CustomerFactory()
    old = customer.email
    client = portal_client(customer)
    client.post(DETAILS, _form(customer, email="uusi@example.fi"))
    CustomerFactory(email="uusi@example.fi")  # someone else takes it meanwhile
    response = client.post(CONFIRM, {"code": mailed_code("uusi@example.fi")})
    assert "toisen asiakkaan käytössä" in response.content.decode()
    customer.refresh_from_db()
    assert customer.email == old
    assert not DataSubjectRequest.objects.filter(customer=customer).exists()
