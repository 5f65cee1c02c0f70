import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import OutgoingEmail
from rights.cases import receive_request
from rights.models import DataSubjectRequest
from rights.reminders import send_deadline_reminders
from rights.tasks import send_deadline_reminders_task
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

Kind = DataSubjectRequest.Kind
TODAY = dt.date(2026, 3, 10)


def _request(due: dt.date, *, status: str = "received", name: str = "Matti Meikäläinen"):
    return DataSubjectRequest.objects.create(
        kind=Kind.ACCESS,
        channel=DataSubjectRequest.Channel.EMAIL,
        requester_name=name,
        requester_contact="matti.meikalainen@example.fi",
        due_date=due,
        status=status,
        decided_at=None if status == "received" else timezone.now(),
    )


@pytest.fixture
def handlers(customer_service, register_admin, marketing):
    for user in (customer_service, register_admin, marketing):
        user.email = f"{user.username}@kauppa.example"
        user.save()
    return customer_service, register_admin


def _reminders() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Tietosuojapyyntöjen määräajat")]


def test_request_handlers_get_the_overdue_and_soon_due_requests(handlers):
    overdue = _request(TODAY - dt.timedelta(days=2))
    soon = _request(TODAY + dt.timedelta(days=7))
    later = _request(TODAY + dt.timedelta(days=8))
    closed = _request(TODAY - dt.timedelta(days=5), status="withdrawn")

    assert send_deadline_reminders(today=TODAY) == 2

    sent = _reminders()
    assert sorted(m.to[0] for m in sent) == [
        "asiakaspalvelu@kauppa.example",
        "paakayttaja@kauppa.example",
    ]
    body = sent[0].body
    assert "1 myöhässä, 1 erääntyy pian" in sent[0].subject
    late_part, soon_part = body.split("Erääntyy 7 päivän kuluessa:")
    assert overdue.reference in late_part and "2 päivää myöhässä" in late_part
    assert soon.reference in soon_part and "määräpäivä 17.03.2026" in soon_part
    assert later.reference not in body and closed.reference not in body
    assert f"/hallinta/rights/datasubjectrequest/{overdue.pk}/tyotila/" in body


def test_reminder_names_no_requester(handlers):
    _request(TODAY, name="Matti Meikäläinen")
    send_deadline_reminders(today=TODAY)
    message = _reminders()[0]
    assert "Meikäläinen" not in message.body + message.subject
    assert "@example.fi" not in message.body


def test_reminder_goes_out_once_a_day_however_often_it_runs(handlers):
    _request(TODAY + dt.timedelta(days=1))
    send_deadline_reminders(today=TODAY)
    assert send_deadline_reminders(today=TODAY) == 0
    assert len(_reminders()) == 2
    send_deadline_reminders(today=TODAY + dt.timedelta(days=1))
    assert len(_reminders()) == 4


def test_no_reminder_when_nothing_is_due(handlers):
    _request(TODAY + dt.timedelta(days=20))
    assert send_deadline_reminders(today=TODAY) == 0
    assert _reminders() == []


def test_marketing_staff_and_inactive_handlers_get_no_reminder(handlers, marketing):
    customer_service, _admin = handlers
    customer_service.is_active = False
    customer_service.save()
    _request(TODAY)
    send_deadline_reminders(today=TODAY)
    assert [m.to for m in _reminders()] == [["paakayttaja@kauppa.example"]]


def test_daily_task_sends_the_reminder(handlers):
    _request(dt.date.today())
    result = send_deadline_reminders_task.enqueue()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 2
    assert len(_reminders()) == 2


def test_a_new_request_is_announced_to_the_handlers_without_the_persons_details(handlers):
    customer = CustomerFactory(first_name="Liisa", last_name="Virtanen")
    request = receive_request(
        kind=Kind.ERASURE, channel=DataSubjectRequest.Channel.PORTAL, customer=customer
    )
    notices = [m for m in mail.outbox if request.reference in m.subject]
    assert len(notices) == 2
    assert "poistopyyntö" in notices[0].body
    assert "Virtanen" not in notices[0].body and customer.email not in notices[0].body
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.STAFF_NOTICE).count() == 2
