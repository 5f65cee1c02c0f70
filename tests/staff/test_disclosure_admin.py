"""Staff record a disclosure done by hand; only to a recipient the statement names."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Disclosure
from demo.shop import ensure_demo_statement
from privacy.models import AuditEntry
from statement.models import StatementDraft, StatementRecipient
from tests.factories import CustomerFactory, OrderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]

ADD = "/hallinta/customers/disclosure/add/"


@pytest.fixture
def staff_client(client, customer_service, otp_login):
    ensure_demo_statement()
    return otp_login(client, customer_service)


def _form(customer, recipient, **extra) -> dict:
    # An hour ago, in local time: a fixed clock time is in the future before it on the day.
    an_hour_ago = timezone.localtime() - timedelta(hours=1)
    return {
        "customer": customer.number,
        "listed_recipient": recipient.pk,
        "fields": ["billing_name", "billing_street"],
        "reason": "Perintä käsin",
        "disclosed_at_0": an_hour_ago.strftime("%d.%m.%Y"),
        "disclosed_at_1": an_hour_ago.strftime("%H:%M"),
        **extra,
    }


def test_customer_service_logs_a_hand_over_from_the_customer_page(staff_client):
    order = OrderFactory()
    customer = order.customer
    page = staff_client.get(f"/hallinta/customers/customer/{customer.pk}/change/")
    assert f"{ADD}?customer={customer.number}" in page.content.decode()
    form = staff_client.get(f"{ADD}?customer={customer.number}").content.decode()
    assert "Laskutusnimi" in form or "laskutusnimi" in form.lower()
    assert "Viranomaiset" not in form, "an authority's request is recorded as its own case"

    agency = StatementDraft.current().recipients.get(kind="collection")
    answer = staff_client.post(ADD, _form(customer, agency, order_number=order.number))
    assert answer.status_code == 302, answer.content.decode()
    logged = Disclosure.objects.get()
    assert (logged.listed_recipient, logged.order) == (agency, order)
    assert logged.recipient == agency.name_fi
    assert AuditEntry.objects.filter(customer_id=customer.pk, action="add").exists()

    shown = staff_client.get(f"/hallinta/customers/disclosure/{logged.pk}/change/").content
    text = shown.decode()
    assert "billing_name" not in text
    assert agency.name_fi in text


def test_a_recipient_the_statement_does_not_name_or_a_stranger_order_is_refused(staff_client):
    customer = CustomerFactory()
    unlisted = StatementRecipient.objects.create(
        draft=StatementDraft.current(),
        name_fi="Mainostoimisto Oy",
        kind=StatementRecipient.Kind.OTHER,
        country="FI",
    )
    answer = staff_client.post(ADD, _form(customer, unlisted))
    assert answer.status_code == 200
    assert "Valitse oikea vaihtoehto" in answer.content.decode()

    agency = StatementDraft.current().recipients.get(kind="collection")
    strangers = OrderFactory()
    answer = staff_client.post(ADD, _form(customer, agency, order_number=strangers.number))
    assert "Asiakkaalla ei ole tilausta tällä numerolla." in answer.content.decode()
    assert not Disclosure.objects.exists()


def test_marketing_cannot_see_the_disclosure_log(client, marketing, otp_login):
    otp_login(client, marketing)
    assert client.get("/hallinta/customers/disclosure/").status_code == 403
    assert client.get(ADD).status_code == 403
