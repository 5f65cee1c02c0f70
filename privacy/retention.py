"""The retention sweep: anonymise what has outlived its retention, with the erasure machinery."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from customers.models import Customer, Order
from privacy.access import prune_access_packages
from privacy.audit import AuditEntry
from privacy.deadlines import add_months, first_year_past_voucher_retention
from privacy.erasure import (
    HELD_INVOICE_STATES,
    anonymise_orders,
    erase_customer,
    orders_with_personal_data,
)
from privacy.personal_data import AUDIT_ENTRIES
from privacy.requests_models import AccessPackage, ErasureLedger

logger = logging.getLogger(__name__)

INACTIVE_CUSTOMERS = "inactive_customers"
ORDERS_PAST_RETENTION = "orders_past_accounting_retention"
RELEASED_HOLDS = "orders_of_erased_customers_released_from_holds"
EXPIRED_PACKAGES = "expired_access_packages"
EXPIRED_AUDIT_ENTRIES = "audit_entries_past_retention"


def audit_entries_cutoff(now: dt.datetime) -> dt.datetime:
    """Return the time before which audit entries are past their declared retention.

    A day's margin keeps the sweep clear of the PostgreSQL trigger's own boundary (its clock is
    the database's), which would otherwise refuse the whole DELETE for one row.
    """
    today = timezone.localdate(now)
    cutoff_day = add_months(today, -AUDIT_ENTRIES.months) - dt.timedelta(days=1)
    return dt.datetime.combine(cutoff_day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def inactive_customers(now: dt.datetime) -> QuerySet:
    """Return customers with no activity for RETENTION_INACTIVE_MONTHS."""
    today = timezone.localdate(now)
    cutoff_day = add_months(today, -settings.RETENTION_INACTIVE_MONTHS)
    cutoff = dt.datetime.combine(cutoff_day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return Customer.objects.active().filter(last_activity_at__lt=cutoff)


def orders_past_retention(now: dt.datetime) -> QuerySet:
    """Return orders whose voucher retention has ended (Kirjanpitolaki 2:10 §)."""
    first_kept_year = first_year_past_voucher_retention(timezone.localdate(now))
    start = dt.datetime(first_kept_year, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return Order.objects.filter(ordered_at__lt=start)


def released_holds() -> QuerySet:
    """Return orders of erased customers that an open invoice or collection no longer holds."""
    return Order.objects.filter(customer__erased_at__isnull=False).exclude(
        invoice_state__in=HELD_INVOICE_STATES
    )


def retention_sweep(*, dry_run: bool = False, now: dt.datetime | None = None) -> dict[str, int]:
    """Anonymise what has outlived its retention and return counts per rule.

    Each customer is erased in a transaction of its own, so one failure does not undo the rest.
    """
    now = now or timezone.now()
    customers = inactive_customers(now)
    old_orders = orders_past_retention(now).exclude(invoice_state__in=HELD_INVOICE_STATES)
    if dry_run:
        return {
            INACTIVE_CUSTOMERS: customers.count(),
            ORDERS_PAST_RETENTION: orders_with_personal_data(old_orders).count(),
            RELEASED_HOLDS: orders_with_personal_data(released_holds()).count(),
            EXPIRED_PACKAGES: AccessPackage.objects.filter(expires_at__lte=now).count(),
            EXPIRED_AUDIT_ENTRIES: AuditEntry.objects.filter(
                occurred_at__lt=audit_entries_cutoff(now)
            ).count(),
        }
    erased = 0
    for customer in customers.iterator():
        erase_customer(customer=customer, reason=ErasureLedger.Reason.RETENTION)
        erased += 1
    counts = {
        INACTIVE_CUSTOMERS: erased,
        ORDERS_PAST_RETENTION: anonymise_orders(orders=old_orders),
        RELEASED_HOLDS: anonymise_orders(orders=released_holds()),
        EXPIRED_PACKAGES: prune_access_packages(now=now),
        EXPIRED_AUDIT_ENTRIES: AuditEntry.objects.prune(before=audit_entries_cutoff(now)),
    }
    logger.info("retention sweep: %s", counts)
    return counts
