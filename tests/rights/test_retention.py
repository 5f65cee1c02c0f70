import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from customers.models import Customer, Order, PortalLoginCode, Shipment, TrackingEvent
from rights.cases import receive_request
from rights.models import AccessPackage, DataSubjectRequest, ErasureLedger
from rights.retention import retention_sweep
from rights.tasks import prune_access_packages_task, retention_sweep_task
from tests.factories import (
    CustomerFactory,
    OrderFactory,
    ShipmentFactory,
    TrackingEventFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]


def _years_ago(years: int) -> dt.datetime:
    now = timezone.now()
    return now.replace(year=now.year - years, month=6, day=15)


def test_the_dry_run_counts_per_rule_and_changes_nothing(settings):
    settings.RETENTION_INACTIVE_MONTHS = 36
    CustomerFactory(last_activity_at=_years_ago(4))
    CustomerFactory()
    ShipmentFactory(order=OrderFactory(ordered_at=_years_ago(8)))
    OrderFactory(ordered_at=_years_ago(5))
    counts = retention_sweep(dry_run=True)
    assert counts["inactive_customers"] == 1
    assert counts["orders_past_accounting_retention"] == 1
    assert counts["expired_access_packages"] == 0
    assert not Customer.objects.filter(erased_at__isnull=False).exists()


def test_the_sweep_erases_inactive_customers_with_the_erasure_machinery(settings):
    settings.RETENTION_INACTIVE_MONTHS = 36
    inactive = CustomerFactory(last_activity_at=_years_ago(4))
    active = CustomerFactory()
    counts = retention_sweep()
    assert counts["inactive_customers"] == 1
    inactive.refresh_from_db()
    active.refresh_from_db()
    assert inactive.erased_at is not None and inactive.email == ""
    assert active.erased_at is None
    assert ErasureLedger.objects.get().reason == ErasureLedger.Reason.RETENTION


def test_the_sweep_leaves_restricted_customers_and_pending_requests_alone(settings):
    settings.RETENTION_INACTIVE_MONTHS = 36
    restricted = CustomerFactory(last_activity_at=_years_ago(4), is_restricted=True)
    asking = CustomerFactory(last_activity_at=_years_ago(4))
    # Still open four years on: the request keeps the customer, though it is no new activity.
    receive_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        channel=DataSubjectRequest.Channel.LETTER,
        customer=asking,
        received_at=_years_ago(4),
    )
    assert (
        retention_sweep(dry_run=True)["inactive_customers_skipped_restricted_or_pending_request"]
        == 2
    )
    counts = retention_sweep()
    assert counts["inactive_customers"] == 0
    for customer in (restricted, asking):
        customer.refresh_from_db()
        assert customer.erased_at is None and customer.email


def test_a_financial_year_ending_in_june_keeps_autumn_orders_a_year_longer(settings):
    settings.ACCOUNTING_YEAR_END = (6, 30)
    now = timezone.now()
    seven_years = now.year - 7
    june = OrderFactory(ordered_at=now.replace(year=seven_years, month=6, day=15))
    autumn = OrderFactory(ordered_at=now.replace(year=seven_years, month=9, day=15))
    assert retention_sweep()["orders_past_accounting_retention"] == 1
    june.refresh_from_db()
    autumn.refresh_from_db()
    assert june.billing_name == "" and autumn.billing_name != ""


def test_delivery_tracking_goes_twelve_months_after_delivery_unless_an_invoice_is_open():
    old = ShipmentFactory(order=OrderFactory(), shipped_at=_years_ago(2))
    TrackingEventFactory(shipment=old)
    recent = ShipmentFactory(order=OrderFactory())
    held = ShipmentFactory(
        order=OrderFactory(invoice_state=Order.InvoiceState.OPEN), shipped_at=_years_ago(2)
    )
    assert retention_sweep(dry_run=True)["delivery_tracking_past_retention"] == 1
    assert retention_sweep()["delivery_tracking_past_retention"] == 1
    assert set(Shipment.objects.values_list("pk", flat=True)) == {recent.pk, held.pk}
    assert not TrackingEvent.objects.filter(shipment_id=old.pk).exists()
    assert old.order.__class__.objects.filter(pk=old.order_id).exists()


def test_login_codes_go_after_thirty_days():
    customer = CustomerFactory()
    for days in (31, 1):
        PortalLoginCode.objects.create(
            customer=customer,
            code_hash="b" * 64,
            link_hash=f"{days:064d}",
            created_at=timezone.now() - dt.timedelta(days=days),
            expires_at=timezone.now() - dt.timedelta(days=days) + dt.timedelta(minutes=15),
        )
    assert retention_sweep()["login_codes_past_retention"] == 1
    assert PortalLoginCode.objects.count() == 1


def test_the_sweep_anonymises_orders_past_accounting_retention_only():
    old = OrderFactory(ordered_at=_years_ago(8))
    ShipmentFactory(order=old)
    kept = OrderFactory(ordered_at=_years_ago(6))
    held = OrderFactory(ordered_at=_years_ago(8), invoice_state=Order.InvoiceState.COLLECTION)
    assert retention_sweep()["orders_past_accounting_retention"] == 1
    old.refresh_from_db()
    kept.refresh_from_db()
    held.refresh_from_db()
    assert old.billing_name == "" and old.total_gross > 0
    assert not Shipment.objects.filter(order=old).exists()
    assert kept.billing_name != ""
    assert held.billing_name != ""
    # Re-running finds nothing more to do.
    assert retention_sweep(dry_run=True)["orders_past_accounting_retention"] == 0


def test_the_sweep_prunes_expired_access_packages():
    customer = CustomerFactory()
    AccessPackage.objects.create(customer=customer, expires_at=timezone.now())
    assert retention_sweep()["expired_access_packages"] == 1
    assert not AccessPackage.objects.exists()


def test_the_retention_sweep_command_prints_counts_per_rule():
    out = io.StringIO()
    call_command("retention_sweep", "--dry-run", stdout=out)
    assert "inactive_customers: 0" in out.getvalue()
    assert "Dry run" in out.getvalue()


def test_the_retention_sweep_task_runs():
    result = retention_sweep_task.enqueue()
    assert result.return_value["inactive_customers"] == 0


def test_the_pruning_task_deletes_expired_packages():
    AccessPackage.objects.create(customer=CustomerFactory(), expires_at=timezone.now())
    assert prune_access_packages_task.enqueue().return_value == 1
    assert not AccessPackage.objects.exists()
