import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.utils import timezone

from customers.marketing import keyed_hash
from customers.models import (
    ConsentEvent,
    ConsentWording,
    Customer,
    CustomerNote,
    MarketingBan,
    Order,
    OrderLine,
    PortalLoginCode,
    Shipment,
    SuppressionEntry,
    TrackingEvent,
)
from privacy.deadlines import add_months
from privacy.declaration import Erasure, linked_declarations
from privacy.models import AuditEntry
from privacy.vocabulary import CONSENT_HISTORY
from rekisteri.operations import recover_tasks
from rights.cases import receive_request
from rights.erasure import erase_customer, plan_erasure, reapply_erasures
from rights.ledger import LedgerUnwritable
from rights.models import (
    CorrectionItem,
    DataSubjectRequest,
    ErasureLedger,
    RecipientNotification,
    RequestEvent,
)
from rights.retention import retention_sweep
from tests.disks import full_disk, read_only_directory
from tests.factories import OrderFactory
from tests.rights.conftest import ERASED, make_full_customer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]

TEXT_TYPES = ("character varying", "text", "character", "json", "jsonb")
# Django's own schema bookkeeping: model and permission names, never a person's data (a generic
# value such as a channel's name, "sähköposti", would otherwise match a permission's name).
SCHEMA_TABLES = ("auth_permission", "django_content_type", "django_migrations")


def columns_holding(values: list[str]) -> list[str]:
    """Search every text column of every table in the database for any of the values."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s) "
            "AND NOT table_name = ANY(%s)",
            [list(TEXT_TYPES), list(SCHEMA_TABLES)],
        )
        columns = cursor.fetchall()
        patterns = [f"%{value}%" for value in values]
        found = []
        for table, column in columns:
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE ANY(%s) LIMIT 1',  # noqa: S608
                [patterns],
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


# Everything the person gave, in every form it is stored in; the phone without its prefix too.
SEARCHED = [*ERASED.values(), ERASED["phone"].removeprefix("+358")]


def values_erasure_removes(customer: Customer) -> set[str]:
    """Collect from the declaration every text value of the customer that erasure must remove.

    Read before erasure from every declared field whose action is not "keep"; values that a kept
    field holds too (a field name listed in the disclosure log, say) are the kept record's and
    are left out, as are the shop's own words (the consent wording a consent event quotes),
    codes of choice fields and strings too short to search for.
    """
    removed: set[str] = set()
    kept: list[str] = [
        text
        for texts in ConsentWording.objects.values_list("text_fi", "text_sv", "text_en")
        for text in texts
    ]
    for decl in linked_declarations():
        rows = decl.rows_for(customer)
        for name, declared in decl.fields.items():
            model_field = decl.model._meta.get_field(name)
            if not isinstance(model_field, (models.CharField, models.TextField, models.JSONField)):
                continue
            values = [str(value) for value in rows.values_list(name, flat=True) if value]
            if declared.erasure == Erasure.KEEP:
                kept += values
            elif not model_field.choices:
                removed.update(value for value in values if len(value) >= 5)
    kept_text = " ".join(kept).lower()
    return {value for value in removed if value.lower() not in kept_text}


def test_the_test_search_finds_the_values_before_erasure(full_customer):
    found = columns_holding(SEARCHED)
    assert "customers_customer.email" in found
    assert "customers_order.billing_name" in found
    assert "privacy_datasubjectrequest.requester_name" in found


# The voucher as booked: the buyer's name and address stay on it until its retention ends
# (Kirjanpitolaki 2:10 §, ALV 209 e §), and the sweep erases them then.
VOUCHER_COLUMNS = {
    f"customers_order.billing_{name}" for name in ("name", "street", "postal_code", "post_office")
}


def test_after_erasure_only_the_booked_vouchers_hold_anything_of_the_person(full_customer):
    number = full_customer.number
    values = values_erasure_removes(full_customer) - {number}
    assert {ERASED["email"], ERASED["phone"]} <= values and len(values) > 20
    assert columns_holding(sorted(values))
    erase_customer(customer=full_customer)
    assert columns_holding(SEARCHED)
    assert set(columns_holding(SEARCHED)) <= VOUCHER_COLUMNS
    assert columns_holding(sorted(values)) == []
    # The ledger keeps the old customer number, and only the ledger, to erase again after a
    # restore; the erased row got a fresh number that links to nothing.
    assert columns_holding([number]) == ["privacy_erasureledger.customer_number"]


def test_orders_kept_for_accounting_stay_as_booked_but_lose_contacts_and_delivery(
    full_customer,
):
    order = full_customer.orders.get()
    before = (order.number, order.ordered_at, order.total_net, order.total_vat, order.total_gross)
    lines_before = list(OrderLine.objects.filter(order=order).values())
    erase_customer(customer=full_customer)
    order.refresh_from_db()
    assert (
        order.number,
        order.ordered_at,
        order.total_net,
        order.total_vat,
        order.total_gross,
    ) == before
    assert list(OrderLine.objects.filter(order=order).values()) == lines_before
    assert order.billing_name == f"{ERASED['first_name']} {ERASED['last_name']}"
    for name in ("billing_email", "billing_phone", "delivery_street", "customer_note"):
        assert getattr(order, name) == ""
    assert not Shipment.objects.filter(order=order).exists()
    assert not TrackingEvent.objects.filter(shipment__order=order).exists()


def test_consents_keep_their_proof_and_a_ban_lives_on_as_suppressed_contacts(full_customer):
    consents = list(ConsentEvent.objects.filter(customer=full_customer).values())
    email = full_customer.email
    erase_customer(customer=full_customer)
    assert list(ConsentEvent.objects.filter(customer=full_customer).values()) == consents
    # The ban row goes with the person (MARKETING_BANS); the objection stays as a hash.
    assert not MarketingBan.objects.filter(customer=full_customer).exists()
    assert SuppressionEntry.objects.filter(value_hash=keyed_hash("email", email)).exists()
    customer = Customer.objects.get(pk=full_customer.pk)
    assert (customer.email, customer.phone, customer.street_address) == ("", "", "")


def test_the_erased_customer_row_loses_every_personal_field(full_customer):
    number = full_customer.number
    erase_customer(customer=full_customer)
    customer = Customer.objects.get(pk=full_customer.pk)
    assert customer.erased_at is not None
    assert customer.number != number
    assert customer.birth_date is None
    assert customer.company == customer.profession == customer.interests == ""
    assert not CustomerNote.objects.filter(customer=customer).exists()
    assert not PortalLoginCode.objects.filter(customer=customer).exists()


def test_request_records_stay_without_the_persons_words(full_customer):
    request = full_customer.privacy_requests.get()
    erase_customer(customer=full_customer)
    request.refresh_from_db()
    assert (request.kind, request.status) == (DataSubjectRequest.Kind.CORRECTION, "received")
    assert request.requester_name == request.requester_contact == request.description == ""
    item = CorrectionItem.objects.get(request=request)
    assert item.field_name == "street_address"
    assert item.old_value == item.new_value == item.reason == ""


def test_the_plan_lists_each_field_with_its_action_reason_and_date(full_customer):
    plan = plan_erasure(customer=full_customer)
    by_field = {(i.model, i.field): i for i in plan.items}
    assert by_field["customers.Customer", "email"].action == Erasure.ANONYMISE
    assert by_field["customers.CustomerNote", "body"].action == Erasure.DELETE
    kept = by_field["customers.Order", "total_gross"]
    assert kept.action == Erasure.KEEP
    assert "Kirjanpitolain" in kept.legal_reason
    year = timezone.localdate(full_customer.orders.get().ordered_at).year
    assert kept.kept_until == dt.date(year + 6, 12, 31)
    # The consent ends with the erasure; its proof is kept CONSENT_HISTORY's period after that.
    consent = by_field["customers.ConsentEvent", "purpose"]
    assert consent.action == Erasure.KEEP
    assert consent.kept_until == add_months(timezone.localdate(), CONSENT_HISTORY.in_months())
    assert plan.holds == []


def test_the_plan_changes_nothing(full_customer):
    plan_erasure(customer=full_customer)
    assert Customer.objects.get(pk=full_customer.pk).email == ERASED["email"]


def test_each_order_is_kept_until_the_day_its_own_voucher_retention_ends(db):
    customer = make_full_customer(ordered_at=timezone.now().replace(year=2021, month=3, day=1))
    OrderFactory(customer=customer, ordered_at=timezone.now().replace(year=2023, month=11, day=2))
    plan = plan_erasure(customer=customer)
    totals = sorted(
        (item.kept_until, item.rows)
        for item in plan.items
        if (item.model, item.field) == ("customers.Order", "total_gross")
    )
    assert totals == [(dt.date(2027, 12, 31), 1), (dt.date(2029, 12, 31), 1)]
    lines = {
        item.kept_until
        for item in plan.items
        if (item.model, item.field) == ("customers.OrderLine", "vat_rate")
    }
    assert lines == {dt.date(2027, 12, 31)}


def test_the_plan_follows_the_shops_financial_year(db, settings):
    settings.ACCOUNTING_YEAR_END = (6, 30)
    customer = make_full_customer(ordered_at=timezone.now().replace(year=2023, month=9, day=1))
    kept = next(
        item
        for item in plan_erasure(customer=customer).items
        if (item.model, item.field) == ("customers.Order", "total_vat")
    )
    assert kept.kept_until == dt.date(2030, 12, 31)


def test_the_records_of_a_decided_request_are_kept_five_years_from_the_decision(full_customer):
    request = full_customer.privacy_requests.get()
    decided = timezone.now().replace(year=2025, month=5, day=20, hour=12)
    DataSubjectRequest.objects.filter(pk=request.pk).update(
        status="refused", refusal_reason="excessive", decided_at=decided
    )
    by_field = {(i.model, i.field): i for i in plan_erasure(customer=full_customer).items}
    assert by_field["rights.DataSubjectRequest", "kind"].kept_until == dt.date(2030, 5, 20)
    assert by_field["rights.RequestEvent", "kind"].kept_until == dt.date(2030, 5, 20)


@pytest.mark.parametrize("state", [Order.InvoiceState.OPEN, Order.InvoiceState.COLLECTION])
def test_an_open_invoice_or_collection_keeps_what_collecting_needs(db, state):
    customer = make_full_customer(invoice_state=state)
    plan = plan_erasure(customer=customer)
    held = {(i.model, i.field): i for i in plan.items}
    # The debt needs the buyer's contacts until it is paid; the voucher keeps the name anyway.
    assert held["customers.Order", "billing_email"].action == Erasure.KEEP
    reason = held["customers.Order", "billing_email"].legal_reason
    assert "17 artiklan 3 kohdan e alakohta" in reason
    assert "Kirjanpitolain" in held["customers.Order", "billing_name"].legal_reason
    assert held["customers.Order", "delivery_name"].action == Erasure.ANONYMISE
    assert held["customers.Shipment", "tracking_code"].action == Erasure.KEEP
    assert held["customers.Shipment", "tracking_code"].criterion
    # The hold keeps the billing details; the voucher's own retention still dates the totals.
    assert held["customers.Order", "total_gross"].kept_until.month == 12
    assert len(plan.holds) == 3
    out = io.StringIO()
    call_command("erase", customer.number, "--dry-run", stdout=out)
    assert "HOLD" in out.getvalue()
    assert "customers.Order.billing_name: keep" in out.getvalue()

    erase_customer(customer=customer)
    order = Order.objects.get(customer=customer)
    assert order.billing_name == f"{ERASED['first_name']} {ERASED['last_name']}"
    assert order.billing_email == ERASED["email"]
    assert order.delivery_name == order.customer_note == ""
    assert Shipment.objects.filter(order=order).exists()
    assert Customer.objects.get(pk=customer.pk).email == ""


def test_a_paid_invoice_releases_the_hold_at_the_next_sweep(db):
    customer = make_full_customer(invoice_state=Order.InvoiceState.OPEN)
    erase_customer(customer=customer)
    Order.objects.filter(customer=customer).update(invoice_state=Order.InvoiceState.PAID)
    counts = retention_sweep()
    assert counts["orders_of_erased_customers_released_from_holds"] == 1
    assert set(columns_holding(SEARCHED)) <= VOUCHER_COLUMNS


def test_erasure_is_idempotent(full_customer):
    request = receive_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=full_customer,
    )
    erase_customer(customer=full_customer, case=request)
    snapshot = Customer.objects.filter(pk=full_customer.pk).values().get()
    orders = list(Order.objects.filter(customer=full_customer).values())
    notifications = RecipientNotification.objects.filter(request=request).count()
    result = erase_customer(customer=full_customer, case=request)
    assert Customer.objects.filter(pk=full_customer.pk).values().get() == snapshot
    assert list(Order.objects.filter(customer=full_customer).values()) == orders
    assert result.deleted == {}
    assert RecipientNotification.objects.filter(request=request).count() == notifications
    assert ErasureLedger.objects.filter(customer_code=full_customer.code).count() == 1


def test_a_marketing_ban_leaves_hashed_contacts_in_the_suppression_list(db):
    customer = make_full_customer()
    MarketingBan.objects.filter(customer=customer).delete()
    request = receive_request(
        kind=DataSubjectRequest.Kind.OBJECTION,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=customer,
    )
    erase_customer(customer=customer, case=request)
    hashes = set(SuppressionEntry.objects.values_list("kind", "value_hash"))
    assert ("email", keyed_hash("email", ERASED["email"])) in hashes
    assert ("phone", keyed_hash("phone", ERASED["phone"])) in hashes
    assert set(columns_holding(SEARCHED)) <= VOUCHER_COLUMNS


def test_an_erasure_without_any_ban_suppresses_nothing(db):
    customer = make_full_customer()
    MarketingBan.objects.filter(customer=customer).delete()
    erase_customer(customer=customer)
    assert not SuppressionEntry.objects.exists()


def test_erasure_for_a_request_lists_recipients_and_records_the_ledger(
    full_customer, register_admin
):
    request = receive_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        channel=DataSubjectRequest.Channel.PORTAL,
        customer=full_customer,
    )
    number = full_customer.number
    erase_customer(customer=full_customer, case=request, user=register_admin)
    ledger = ErasureLedger.objects.get()
    assert (ledger.customer_code, ledger.customer_number) == (full_customer.code, number)
    assert (ledger.request, ledger.erased_by) == (request, register_admin)
    assert RecipientNotification.objects.filter(request=request, recipient="Perintä Oy").exists()
    event = request.events.get(kind=RequestEvent.Kind.ERASED)
    assert "Säilytetty" in event.message


def test_reapply_erases_a_customer_restored_from_a_backup(full_customer, tmp_path):
    snapshot = {
        "customer": Customer.objects.filter(pk=full_customer.pk).values().get(),
    }
    erase_customer(customer=full_customer)
    dump = tmp_path / "ledger.json"
    call_command("reapply_erasures", "--dump", dump, stdout=io.StringIO())
    # A restore brings the person back and loses the ledger row written after the backup.
    Customer.objects.filter(pk=full_customer.pk).update(**snapshot["customer"])
    ErasureLedger.objects.all().delete()
    assert columns_holding([ERASED["email"]]) == ["customers_customer.email"]

    out = io.StringIO()
    call_command("reapply_erasures", "--ledger", dump, stdout=out)
    assert "1" in out.getvalue()
    assert set(columns_holding(SEARCHED)) <= VOUCHER_COLUMNS
    assert ErasureLedger.objects.get().reapplied_at is not None
    assert reapply_erasures() == 0
    assert json.loads(dump.read_text())[0]["customer_code"] == str(full_customer.code)


def test_every_erasure_is_appended_to_the_ledger_file_once_committed(
    full_customer, settings, django_capture_on_commit_callbacks
):
    path = settings.ERASURE_LEDGER_FILE
    with django_capture_on_commit_callbacks(execute=True):
        erase_customer(customer=full_customer)
        erase_customer(customer=full_customer)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["customer_code"] for line in lines] == [str(full_customer.code)]
    # The file names the customer only by code and number, like the ledger.
    assert set(lines[0]) == {"customer_code", "customer_number", "reason", "erased_at"}


def test_a_restore_that_loses_the_ledger_row_is_undone_from_the_ledger_file(
    full_customer, django_capture_on_commit_callbacks
):
    restored = Customer.objects.filter(pk=full_customer.pk).values().get()
    with django_capture_on_commit_callbacks(execute=True):
        erase_customer(customer=full_customer)
    # The restored backup predates the erasure: the person and no ledger row.
    Customer.objects.filter(pk=full_customer.pk).update(**restored)
    ErasureLedger.objects.all().delete()
    out = io.StringIO()
    call_command("reapply_erasures", stdout=out)
    assert "Erased again: 1" in out.getvalue()
    assert set(columns_holding(SEARCHED)) <= VOUCHER_COLUMNS
    assert ErasureLedger.objects.get().customer_code == full_customer.code


def test_an_erasure_whose_ledger_line_cannot_be_written_erases_nothing(
    full_customer, settings, tmp_path
):
    before = columns_holding(SEARCHED)
    with read_only_directory(tmp_path / "ledger") as ledger_dir:
        settings.ERASURE_LEDGER_FILE = ledger_dir / "erasure-ledger.jsonl"
        with pytest.raises(LedgerUnwritable):
            erase_customer(customer=full_customer)
        with pytest.raises(CommandError, match="Nothing was erased: the erasure ledger file"):
            call_command("erase", full_customer.number, stdout=io.StringIO())
    assert columns_holding(SEARCHED) == before
    full_customer.refresh_from_db()
    assert full_customer.erased_at is None
    assert not ErasureLedger.objects.exists()
    assert not AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, customer_id=full_customer.pk
    ).exists()


def test_an_erasure_is_refused_when_the_ledger_disk_is_full(full_customer, settings, tmp_path):
    disk = tmp_path / "ledger"
    with full_disk(disk, size_kb=32) as limit:
        if limit is not None:
            pytest.skip("a full disk needs a tmpfs (root)")
        (disk / "filler").write_bytes(b"x" * (30 * 1024))
        settings.ERASURE_LEDGER_FILE = disk / "erasure-ledger.jsonl"
        with pytest.raises(LedgerUnwritable, match="on a full disk"):
            erase_customer(customer=full_customer)
    full_customer.refresh_from_db()
    assert full_customer.erased_at is None


def test_an_erasure_the_file_missed_after_its_commit_is_caught_up_by_recover_tasks(
    full_customer, settings
):
    # What a write that failed after the commit leaves: the ledger row, no line in the file.
    erase_customer(customer=full_customer)
    assert settings.ERASURE_LEDGER_FILE.read_text() == ""
    assert recover_tasks()["ledger_lines_caught_up"] == 1
    (line,) = settings.ERASURE_LEDGER_FILE.read_text().splitlines()
    assert json.loads(line)["customer_code"] == str(full_customer.code)
    assert recover_tasks()["ledger_lines_caught_up"] == 0


def test_erase_command_dry_run_prints_the_plan_and_changes_nothing(full_customer):
    out = io.StringIO()
    call_command("erase", full_customer.number, "--dry-run", stdout=out)
    assert "customers.Order.total_gross: keep" in out.getvalue()
    assert "Dry run" in out.getvalue()
    assert Customer.objects.get(pk=full_customer.pk).erased_at is None
    call_command("erase", full_customer.formatted_number, stdout=out)
    assert Customer.objects.get(pk=full_customer.pk).erased_at is not None
    assert ErasureLedger.objects.get().reason == ErasureLedger.Reason.STAFF
