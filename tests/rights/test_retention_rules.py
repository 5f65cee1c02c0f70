"""Every declared retention rule is enforced: past its period a row is gone, inside it it stays.

The rules and their periods are privacy.vocabulary's; what enforces each is registered in
privacy.retention, and the sweep runs the registered steps. These tests date rows just outside
and just inside each rule's own period, read from the rule (never a number of the test's).
"""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from customers import services
from customers.marketing import keyed_hash
from customers.models import (
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    Disclosure,
    MarketingBan,
    SuppressionEntry,
)
from notifications.models import OutgoingEmail
from privacy import retention as registry
from privacy.deadlines import add_months
from privacy.declaration import Retention
from privacy.vocabulary import (
    CASE_RECORDS,
    CONSENT_HISTORY,
    DISCLOSURE_LOG,
    ERASURE_LEDGER,
    MARKETING_BANS,
    OUTGOING_MAIL,
    WHILE_CUSTOMER,
)
from rights.cases import receive_request, withdraw_request
from rights.erasure import erase_customer
from rights.ledger import read_ledger_file
from rights.models import DataSubjectRequest, ErasureLedger, RequestEvent
from rights.retention import retention_sweep
from tests.factories import ConsentEventFactory, CustomerFactory, MarketingBanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]

DAY = dt.timedelta(days=1)


def _months_ago(months: int, *, now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    local = timezone.localtime(now)
    return local.replace(
        year=add_months(local.date(), -months).year,
        month=add_months(local.date(), -months).month,
        day=add_months(local.date(), -months).day,
    )


def _outside(rule: Retention) -> dt.datetime:
    """A time just past the rule's period."""
    return _months_ago(rule.in_months()) - 2 * DAY


def _inside(rule: Retention) -> dt.datetime:
    """A time just inside the rule's period."""
    return _months_ago(rule.in_months()) + 2 * DAY


def test_every_declared_rule_has_an_enforcement_and_the_check_fails_without_one():
    call_command("check")  # privacy.E006 and E007 pass for the register as declared
    enforcement = next(e for e in registry.enforcements() if CASE_RECORDS in e.rules)
    del registry._enforcements[enforcement.key]
    try:
        with pytest.raises(SystemCheckError, match=r"privacy.E006.*case_records"):
            call_command("check")
    finally:
        registry._enforcements[enforcement.key] = enforcement


def test_a_step_for_a_rule_no_field_declares_fails_the_check():
    orphan = Retention("orphan_rule", "Ei kenenkään sääntö %(period)s.", days=1)
    registry.register_sweep_step("orphan_step", lambda *, now, dry_run=False: 0, rules=(orphan,))
    try:
        with pytest.raises(SystemCheckError, match=r"privacy.E007.*orphan_rule"):
            call_command("check")
    finally:
        del registry._enforcements["orphan_step"]


def test_the_inactivity_period_comes_from_the_setting(settings):
    settings.RETENTION_INACTIVE_MONTHS = 12
    assert WHILE_CUSTOMER.period_text() == "12 kuukautta"
    assert "12 kuukautta" in WHILE_CUSTOMER.text()
    gone = CustomerFactory(last_activity_at=_months_ago(12) - 2 * DAY)
    kept = CustomerFactory(last_activity_at=_months_ago(12) + 2 * DAY)
    assert retention_sweep()["inactive_customers"] == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.erased_at is not None and kept.erased_at is None


def test_the_customer_who_consented_today_stays(settings):
    settings.RETENTION_INACTIVE_MONTHS = 36
    customer = CustomerFactory(last_activity_at=_months_ago(48))
    services.record_consent(
        customer=customer,
        purpose=ConsentPurpose.NEWSLETTER,
        channel=Channel.EMAIL,
        is_granted=True,
        via=ConsentEvent.Via.PORTAL,
    )
    assert retention_sweep()["inactive_customers"] == 0
    customer.refresh_from_db()
    assert customer.erased_at is None and customer.email


def test_a_consent_in_force_keeps_a_customer_who_bought_nothing_for_years(settings):
    settings.RETENTION_INACTIVE_MONTHS = 36
    customer = CustomerFactory(last_activity_at=_months_ago(48))
    ConsentEventFactory(customer=customer, is_granted=True, occurred_at=_months_ago(48))
    withdrawn = CustomerFactory(last_activity_at=_months_ago(48))
    ConsentEventFactory(customer=withdrawn, is_granted=True, occurred_at=_months_ago(49))
    ConsentEventFactory(customer=withdrawn, is_granted=False, occurred_at=_months_ago(48))
    counts = retention_sweep()
    assert counts["inactive_customers"] == 1
    assert Customer.objects.get(pk=customer.pk).erased_at is None
    assert Customer.objects.get(pk=withdrawn.pk).erased_at is not None


def test_a_message_to_customer_service_and_a_request_count_as_activity(settings):
    settings.RETENTION_INACTIVE_MONTHS = 36
    wrote = CustomerFactory(last_activity_at=_months_ago(48))
    services.save_note(note=wrote.notes.model(customer=wrote, kind="email", body="Kiitos!"))
    asked = CustomerFactory(last_activity_at=_months_ago(48))
    case = receive_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=asked,
    )
    withdraw_request(case=case)
    internal = CustomerFactory(last_activity_at=_months_ago(48))
    services.save_note(note=internal.notes.model(customer=internal, kind="internal", body="x"))
    assert retention_sweep()["inactive_customers"] == 1
    assert Customer.objects.get(pk=internal.pk).erased_at is not None
    assert Customer.objects.filter(pk__in=[wrote.pk, asked.pk], erased_at=None).count() == 2


def test_consent_history_goes_its_period_after_the_consent_ended():
    customer = CustomerFactory()
    ended_long_ago = ConsentEventFactory(
        customer=customer, is_granted=True, occurred_at=_outside(CONSENT_HISTORY) - 30 * DAY
    )
    ConsentEventFactory(customer=customer, is_granted=False, occurred_at=_outside(CONSENT_HISTORY))
    other = CustomerFactory()
    ended_lately = ConsentEventFactory(
        customer=other, is_granted=True, occurred_at=_outside(CONSENT_HISTORY)
    )
    ConsentEventFactory(customer=other, is_granted=False, occurred_at=_inside(CONSENT_HISTORY))
    assert retention_sweep()["consent_events_past_retention"] == 1
    assert not ConsentEvent.objects.filter(pk=ended_long_ago.pk).exists()
    assert ConsentEvent.objects.filter(pk=ended_lately.pk).exists()
    # The event in force (a withdrawal here) stays as long as the customer does.
    assert ConsentEvent.objects.filter(customer=customer).count() == 1


def test_an_erased_customers_consents_go_their_period_after_the_erasure():
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, is_granted=True)
    erase_customer(customer=customer)
    assert retention_sweep()["consent_events_past_retention"] == 0
    Customer.objects.filter(pk=customer.pk).update(erased_at=_outside(CONSENT_HISTORY))
    assert retention_sweep()["consent_events_past_retention"] == 1
    assert not ConsentEvent.objects.filter(customer=customer).exists()


def test_a_lifted_ban_goes_its_period_after_lifting_and_a_ban_in_force_stays():
    old = MarketingBanFactory(lifted_at=_outside(MARKETING_BANS))
    recent = MarketingBanFactory(lifted_at=_inside(MARKETING_BANS))
    in_force = MarketingBanFactory(created_at=_outside(MARKETING_BANS) - 300 * DAY)
    assert retention_sweep()["lifted_bans_past_retention"] == 1
    assert set(MarketingBan.objects.values_list("pk", flat=True)) == {recent.pk, in_force.pk}
    assert not MarketingBan.objects.filter(pk=old.pk).exists()


def _disclosure(customer: Customer, at: dt.datetime) -> Disclosure:
    return Disclosure.objects.create(
        customer=customer,
        recipient="Posti Oy",
        recipient_kind=Disclosure.RecipientKind.CARRIER,
        fields=["delivery_name"],
        reason="toimitus",
        disclosed_at=at,
    )


def test_the_disclosure_log_keeps_a_disclosure_for_its_period():
    customer = CustomerFactory()
    old = _disclosure(customer, _outside(DISCLOSURE_LOG))
    recent = _disclosure(customer, _inside(DISCLOSURE_LOG))
    assert retention_sweep()["disclosures_past_retention"] == 1
    assert list(Disclosure.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk not in Disclosure.objects.values_list("pk", flat=True)


def _decided_case(decided_at: dt.datetime) -> DataSubjectRequest:
    customer = CustomerFactory(first_name="Pyytäjä")
    case = receive_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        channel=DataSubjectRequest.Channel.EMAIL,
        requester_name="Pyytäjä Esimerkki",
        customer=customer,
    )
    withdraw_request(case=case)
    DataSubjectRequest.objects.filter(pk=case.pk).update(decided_at=decided_at)
    return case


def test_case_records_go_their_period_after_the_decision_and_take_the_requesters_name():
    old = _decided_case(_outside(CASE_RECORDS))
    recent = _decided_case(_inside(CASE_RECORDS))
    open_case = receive_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        channel=DataSubjectRequest.Channel.EMAIL,
        requester_name="Odottaja",
        received_at=_outside(CASE_RECORDS),
    )
    assert retention_sweep()["case_records_past_retention"] == 1
    remaining = set(DataSubjectRequest.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, open_case.pk}
    assert not RequestEvent.objects.filter(request_id=old.pk).exists()
    assert DataSubjectRequest.objects.filter(requester_name="Pyytäjä Esimerkki").count() == 1


def test_the_erasure_ledger_goes_once_no_backup_can_hold_the_person(
    settings, django_capture_on_commit_callbacks
):
    settings.BACKUP_KEEP_DAYS = 30
    assert ERASURE_LEDGER.period_text() == "30 päivää"
    old, recent = CustomerFactory(), CustomerFactory()
    for customer in (old, recent):
        with django_capture_on_commit_callbacks(execute=True):
            erase_customer(customer=customer)
    long_ago = timezone.now() - dt.timedelta(days=32)
    ErasureLedger.objects.filter(customer_code=old.code).update(erased_at=long_ago)
    path = settings.ERASURE_LEDGER_FILE
    entries = read_ledger_file(path)
    for entry in entries:
        if entry["customer_code"] == str(old.code):
            entry["erased_at"] = long_ago.isoformat()
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")

    assert retention_sweep()["erasure_ledger_past_backups"] == 1
    assert list(ErasureLedger.objects.values_list("customer_code", flat=True)) == [recent.code]
    assert [e["customer_code"] for e in read_ledger_file(path)] == [str(recent.code)]


def test_sent_mail_records_go_with_the_sweep():
    customer = CustomerFactory()
    common = {"customer": customer, "kind": OutgoingEmail.Kind.PORTAL_NOTICE}
    old = OutgoingEmail.objects.create(
        **common,
        key="vanha",
        status=OutgoingEmail.Status.SENT,
        finished_at=timezone.now() - dt.timedelta(days=OUTGOING_MAIL.in_days() + 1),
    )
    OutgoingEmail.objects.create(
        **common, key="uusi", status=OutgoingEmail.Status.SENT, finished_at=timezone.now()
    )
    assert retention_sweep()["sent_mail_records"] == 1
    assert not OutgoingEmail.objects.filter(pk=old.pk).exists()


def test_a_new_consent_to_a_suppressed_address_ends_its_suppression():
    customer = CustomerFactory(email="palaaja@example.fi")
    SuppressionEntry.objects.create(
        kind=SuppressionEntry.Kind.EMAIL, value_hash=keyed_hash("email", "palaaja@example.fi")
    )
    other = SuppressionEntry.objects.create(
        kind=SuppressionEntry.Kind.EMAIL, value_hash=keyed_hash("email", "muu@example.fi")
    )
    services.record_consent(
        customer=customer,
        purpose=ConsentPurpose.NEWSLETTER,
        channel=Channel.EMAIL,
        is_granted=True,
        via=ConsentEvent.Via.PORTAL,
    )
    assert list(SuppressionEntry.objects.values_list("pk", flat=True)) == [other.pk]
