"""My details: everything declared shown; own changes made at once, others asked of staff."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from customers.models import Customer, Disclosure, PortalLoginCode
from privacy.declaration import get_declaration
from privacy.models import AuditEntry
from rights.corrections import SELF_SERVICE_ACTOR, self_service_fields
from rights.models import DataSubjectRequest, RecipientNotification
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
        "country": customer.country,
        "phone": customer.phone,
        "email": customer.email,
        "preferred_language": customer.preferred_language,
    }
    data.update(changes)
    return data


def _visible_text(html: str) -> str:
    """Return the page's text as read, without tags and with the form's values."""
    values = " ".join(re.findall(r'value="([^"]*)"', html))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)) + " " + values


def test_every_declared_field_the_customer_sees_is_on_the_page(portal_client):
    customer = CustomerFactory(
        phone="+358401234567",
        company="Koivu Oy",
        business_id="1234567-1",
        birth_date=dt.date(1984, 2, 29),
        profession="Puuseppä",
        interests="Retkeily, kalastus",
        external_id="WS-77",
        source=Customer.Source.GIFT_CARD,
    )
    html = portal_client(customer).get(DETAILS).content.decode()
    text = _visible_text(html)
    declaration = get_declaration(Customer)
    shown = declaration.exported_fields()
    assert {"birth_date", "profession", "interests", "source"} <= set(shown)
    with translation.override("fi"):
        for name in shown:
            label = str(Customer._meta.get_field(name).verbose_name)
            assert label.lower() in text.lower(), name
            declared = declaration.fields[name]
            assert str(declared.category.label) in text, name
            assert str(declared.source.label) in text, name
        for value in ("29.2.1984", "Puuseppä", "Retkeily, kalastus", "WS-77", "lahjakortin"):
            assert value in text
    # The field names of the register are never shown.
    assert "birth_date" not in text and "business_id" not in text


def test_the_phone_number_is_written_one_way_on_the_page_and_in_its_hint(portal_client):
    customer = CustomerFactory(phone="+358407654321")
    body = portal_client(customer).get(DETAILS).content.decode()
    assert 'value="040 7654321"' in body
    assert "Esim. 040 1234567" in body
    assert "+358" not in body


def test_what_only_staff_change_has_a_correction_link_and_no_input(portal_client):
    customer = CustomerFactory(company="Vanha Oy")
    body = portal_client(customer).get(DETAILS).content.decode()
    assert 'name="company"' not in body
    assert 'name="birth_date"' not in body
    for slug in ("yritys", "y-tunnus", "syntymaaika", "ammatti", "kiinnostuksen-kohteet"):
        assert reverse("portal:correction", args=[slug]) in body
    # The register's own facts are only shown.
    assert "korjaus/kasittelya-rajoitettu" not in body
    assert "korjaus/tietolahde" not in body


def test_the_declaration_decides_which_fields_change_at_once():
    assert {"first_name", "street_address", "phone", "email"} <= set(self_service_fields())
    assert "company" not in self_service_fields()
    assert "business_id" not in self_service_fields()


def test_changing_ones_own_phone_number_is_an_edit_not_a_case(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    mail.outbox.clear()
    response = client.post(DETAILS, _form(customer, phone="050 765 4321"), follow=True)
    body = response.content.decode()
    assert "Tietosi on päivitetty." in body
    assert 'value="050 7654321"' in body  # shown at once, in the one national format
    customer.refresh_from_db()
    assert customer.phone == "+358507654321"
    assert not DataSubjectRequest.objects.exists()
    assert not mail.outbox  # no decision letter, no staff deadline mail
    entry = AuditEntry.objects.get(customer_id=customer.pk, action=AuditEntry.Action.CHANGE)
    assert entry.details == {"fields": ["phone"]}
    assert entry.actor is None and entry.actor_label == SELF_SERVICE_ACTOR
    assert "+358507654321" not in str(entry.details)


def test_a_correction_of_what_only_staff_change_files_a_case(portal_client):
    customer = CustomerFactory(company="Vanha Oy")
    client = portal_client(customer)
    page = reverse("portal:correction", args=["yritys"])
    assert "Vanha Oy" in client.get(page).content.decode()
    response = client.post(
        page, {"new_value": "Uusi Oy", "reason": "Yritys vaihtoi nimeä"}, follow=True
    )
    body = response.content.decode()
    assert "Korjauspyyntösi on vastaanotettu" in body
    customer.refresh_from_db()
    assert customer.company == "Vanha Oy"  # waits for staff
    filed = DataSubjectRequest.objects.get(customer=customer, status="identity_verified")
    item = filed.corrections.get()
    assert (item.field_name, item.new_value, item.state) == ("company", "Uusi Oy", "proposed")
    assert filed.description == "Yritys vaihtoi nimeä"
    assert f"{filed.due_date:%-d.%-m.%Y}" in body
    # The page lists the change as waiting.
    assert "Vanha Oy → Uusi Oy" in body


def test_a_correction_asking_for_the_stored_value_is_refused(portal_client):
    customer = CustomerFactory(profession="Puuseppä")
    response = portal_client(customer).post(
        reverse("portal:correction", args=["ammatti"]), {"new_value": "Puuseppä"}
    )
    assert response.status_code == 400
    assert "Tämä on jo tallennettu tieto" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_a_field_the_customer_changes_or_nobody_corrects_has_no_correction_page(portal_client):
    client = portal_client(CustomerFactory())
    for slug in ("matkapuhelin", "tietolahde", "kasittelya-rajoitettu", "asiakasnumero"):
        assert client.get(reverse("portal:correction", args=[slug])).status_code == 404


def test_an_own_change_tells_the_recipients_who_got_the_old_value(portal_client):
    customer = CustomerFactory()
    Disclosure.objects.create(
        customer=customer,
        recipient="Perintä Oy",
        recipient_kind=Disclosure.RecipientKind.COLLECTION,
        fields=["street_address", "email", "phone"],
        reason="Perintä",
    )
    client = portal_client(customer)
    client.post(DETAILS, _form(customer, street_address="Koivukuja 2"))
    notice = RecipientNotification.objects.get()
    assert (notice.recipient, notice.fields, notice.request) == (
        "Perintä Oy",
        ["street_address"],
        None,
    )
    assert notice.customer == customer
    # A second change before the recipient is told adds to the same notice.
    customer.refresh_from_db()
    client.post(DETAILS, _form(customer, phone="050 111 2222"))
    notice = RecipientNotification.objects.get()
    assert notice.fields == ["phone", "street_address"]


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
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).exists()


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
    assert not DataSubjectRequest.objects.exists()
    entry = AuditEntry.objects.get(customer_id=customer.pk, action=AuditEntry.Action.CHANGE)
    assert entry.details == {"fields": ["email"]}
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
