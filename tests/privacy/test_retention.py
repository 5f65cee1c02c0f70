import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from customers.models import Customer, Order, Shipment
from privacy.requests_models import AccessPackage, ErasureLedger
from privacy.retention import retention_sweep
from privacy.tasks import retention_sweep_task
from tests.factories import CustomerFactory, OrderFactory, ShipmentFactory

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
