import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.requests import receive_request, verify_identity
from privacy.requests_models import DataSubjectRequest, RequestEvent
from tests.factories import CustomerFactory, OrderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]

CHANGELIST = "admin:privacy_datasubjectrequest_changelist"


@pytest.fixture
def staff_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


def _request(kind=DataSubjectRequest.Kind.ACCESS, customer=None, received_at=None):
    return receive_request(
        kind=kind,
        channel=DataSubjectRequest.Channel.LETTER,
        customer=customer or CustomerFactory(),
        received_at=received_at,
    )


def test_the_queue_is_sorted_by_deadline_and_marks_overdue_and_soon_due(staff_client):
    today = timezone.localdate()
    helsinki = ZoneInfo("Europe/Helsinki")
    overdue = _request(received_at=dt.datetime(2020, 1, 1, 12, tzinfo=helsinki))
    soon = _request(received_at=timezone.now() - dt.timedelta(days=28))
    fresh = _request()
    response = staff_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(overdue.reference) < html.index(soon.reference) < html.index(fresh.reference)
    assert "myöhässä" in html
    assert f"({(soon.due_date - today).days} pv)" in html


def test_staff_file_a_request_through_the_service(staff_client):
    customer = CustomerFactory()
    response = staff_client.post(
        reverse("admin:privacy_datasubjectrequest_add"),
        {
            "kind": "erasure",
            "channel": "letter",
            "received_at_0": "31.01.2025",
            "received_at_1": "12:00",
            "customer": customer.pk,
            "requester_name": "Aino",
            "requester_contact": "aino@example.fi",
            "description": "Poistakaa tietoni",
            "ban_channel": "",
            "ban_scope": "",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
            "notifications-TOTAL_FORMS": "0",
            "notifications-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request = DataSubjectRequest.objects.get()
    assert request.due_date == dt.date(2025, 2, 28)
    assert request.events.filter(kind=RequestEvent.Kind.RECEIVED).exists()


def test_the_request_page_shows_the_erasure_plan(staff_client):
    customer = CustomerFactory()
    OrderFactory(customer=customer)
    request = _request(DataSubjectRequest.Kind.ERASURE, customer)
    response = staff_client.get(
        reverse("admin:privacy_datasubjectrequest_change", args=[request.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "poistosuunnitelma" in html.lower()
    assert "Kirjanpitolain" in html


def _act(staff_client, action, requests, **extra):
    return staff_client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [r.pk for r in requests], **extra},
        follow=True,
    )


def test_staff_take_a_request_from_receipt_to_decision_with_actions(staff_client):
    request = _request()
    _act(staff_client, "verify_identity", [request], verification="id_document")
    request.refresh_from_db()
    assert request.status == DataSubjectRequest.Status.IDENTITY_VERIFIED
    notified = timezone.localdate().strftime("%d.%m.%Y")
    _act(
        staff_client,
        "extend_deadline",
        [request],
        months="1",
        notified_on=notified,
        text="Laaja pyyntö",
    )
    request.refresh_from_db()
    assert request.extension_months == 1
    _act(staff_client, "fulfil", [request])
    request.refresh_from_db()
    assert request.status == DataSubjectRequest.Status.COMPLETED
    assert request.access_packages.exists()


def test_staff_refuse_with_a_reason_and_errors_are_shown(staff_client):
    request = _request()
    response = _act(staff_client, "refuse", [request])
    assert "Valitse hylkäyksen peruste" in response.content.decode()
    _act(staff_client, "refuse", [request], refusal_reason="excessive", text="Viides pyyntö")
    request.refresh_from_db()
    assert request.status == DataSubjectRequest.Status.REFUSED
    assert "Tietosuojavaltuutetun toimisto" in request.decision_text


def test_corrections_are_proposed_on_the_request_page(staff_client):
    request = _request(DataSubjectRequest.Kind.CORRECTION)
    verify_identity(request=request, method="email_on_file")
    url = reverse("admin:privacy_datasubjectrequest_change", args=[request.pk])
    response = staff_client.post(
        url,
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-INITIAL_FORMS": "0",
            "corrections-0-field_name": "phone",
            "corrections-0-new_value": "040 765 4321",
            "corrections-0-reason": "Uusi liittymä",
            "notifications-TOTAL_FORMS": "0",
            "notifications-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = request.corrections.get()
    assert item.new_value == "+358407654321"


def test_an_invalid_correction_is_shown_as_a_form_error(staff_client):
    request = _request(DataSubjectRequest.Kind.CORRECTION)
    url = reverse("admin:privacy_datasubjectrequest_change", args=[request.pk])
    response = staff_client.post(
        url,
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-INITIAL_FORMS": "0",
            "corrections-0-field_name": "phone",
            "corrections-0-new_value": "123",
            "notifications-TOTAL_FORMS": "0",
            "notifications-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "ei ole kelvollinen" in response.content.decode()
    assert not request.corrections.exists()
