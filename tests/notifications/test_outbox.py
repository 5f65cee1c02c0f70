import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import OutgoingEmail
from notifications.services import (
    deliver_email,
    prune_sent_emails,
    queue_email,
    requeue_pending_emails,
)
from rights.erasure import erase_customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status


def _queue(key="testi:1", **kwargs):
    defaults = {
        "kind": OutgoingEmail.Kind.STAFF_NOTICE,
        "recipient": "liisa@example.fi",
        "subject": "Aihe",
        "body": "Viesti",
    }
    return queue_email(key=key, **{**defaults, **kwargs})


def test_a_queued_message_is_sent_once_and_its_content_cleared():
    email, created = _queue()
    assert created
    assert [m.to for m in mail.outbox] == [["liisa@example.fi"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert (email.recipient, email.subject, email.body) == ("", "", "")


def test_queueing_the_same_key_again_sends_nothing_more():
    _queue()
    _email, created = _queue(subject="Toinen")
    assert not created
    assert len(mail.outbox) == 1


def test_a_repeated_delivery_does_not_send_twice():
    email, _ = _queue()
    assert deliver_email(email_id=email.pk) == Status.SENT
    assert len(mail.outbox) == 1


def test_a_message_that_expired_before_delivery_is_not_sent(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    email, _ = _queue(send_before=timezone.now() - dt.timedelta(seconds=1))
    assert deliver_email(email_id=email.pk) == Status.DISCARDED
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.body == ""


def test_a_failed_delivery_stays_pending_and_is_retried(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    email, _ = _queue()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver_email(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == Status.PENDING and email.body == "Viesti"

    monkeypatch.undo()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    OutgoingEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    assert requeue_pending_emails() == 1
    assert [m.to for m in mail.outbox] == [["liisa@example.fi"]]
    assert requeue_pending_emails() == 0


def test_erasure_removes_mail_still_waiting_for_the_customer(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    customer = CustomerFactory(email="poistettava@example.fi")
    _queue(recipient=customer.email, body="Koodisi 123456", customer=customer)
    erase_customer(customer=customer)
    assert not OutgoingEmail.objects.filter(recipient="poistettava@example.fi").exists()
    assert mail.outbox == []


def test_records_of_sent_mail_go_after_thirty_days():
    old, _ = _queue(key="vanha")
    _queue(key="uusi")
    OutgoingEmail.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=31)
    )
    assert prune_sent_emails() == 1
    assert list(OutgoingEmail.objects.values_list("key", flat=True)) == ["uusi"]
