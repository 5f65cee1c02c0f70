"""The retention sweep: anonymise what has outlived its retention, with the erasure machinery.

Each rule here enforces a retention rule the statement declares (privacy.vocabulary): customers
inactive for RETENTION_INACTIVE_MONTHS (WHILE_CUSTOMER), order vouchers past Kirjanpitolaki
2:10 § (ACCOUNTING_VOUCHERS), delivery tracking 12 months after delivery (DELIVERY_TRACKING),
login codes after 30 days (LOGIN_CODES) and access packages after 7 days.
"""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.models import Customer, Order, PortalLoginCode, Shipment
from privacy.deadlines import add_months, last_voucher_day_past_retention
from privacy.models import AuditEntry
from privacy.personal_data import AUDIT_ENTRIES
from privacy.retention import sweep_steps
from rights.access import prune_access_packages
from rights.erasure import (
    HELD_INVOICE_STATES,
    anonymise_orders,
    erase_customer,
    orders_with_personal_data,
)
from rights.models import OPEN_STATUSES, AccessPackage, DataSubjectRequest, ErasureLedger

logger = logging.getLogger(__name__)

INACTIVE_CUSTOMERS = "inactive_customers"
SKIPPED_CUSTOMERS = "inactive_customers_skipped_restricted_or_pending_request"
ORDERS_PAST_RETENTION = "orders_past_accounting_retention"
RELEASED_HOLDS = "orders_of_erased_customers_released_from_holds"
OLD_DELIVERIES = "delivery_tracking_past_12_months"
OLD_LOGIN_CODES = "login_codes_past_30_days"
EXPIRED_PACKAGES = "expired_access_packages"
EXPIRED_AUDIT_ENTRIES = "audit_entries_past_retention"

DELIVERY_TRACKING_MONTHS = 12
LOGIN_CODE_DAYS = 30


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def audit_entries_cutoff(now: dt.datetime) -> dt.datetime:
    """Return the time before which audit entries are past their declared retention.

    A day's margin keeps the sweep clear of the PostgreSQL trigger's own boundary (its clock is
    the database's), which would otherwise refuse the whole DELETE for one row.
    """
    today = timezone.localdate(now)
    return _local_midnight(add_months(today, -AUDIT_ENTRIES.months) - dt.timedelta(days=1))


def inactive_customers(now: dt.datetime) -> QuerySet:
    """Return customers with no activity for RETENTION_INACTIVE_MONTHS."""
    cutoff = add_months(timezone.localdate(now), -settings.RETENTION_INACTIVE_MONTHS)
    return Customer.objects.active().filter(last_activity_at__lt=_local_midnight(cutoff))


def _kept_from_sweep() -> Q:
    # A restricted customer's data may only be stored (GDPR 18(2)), often because the person
    # needs it kept (18(1)(b)–(c)); and a pending request must be answered on the data it is about.
    pending = DataSubjectRequest.objects.filter(customer=OuterRef("pk"), status__in=OPEN_STATUSES)
    return Q(is_restricted=True) | Q(Exists(pending))


def orders_past_retention(now: dt.datetime) -> QuerySet:
    """Return orders whose voucher retention has ended (Kirjanpitolaki 2:10 §)."""
    last_day = last_voucher_day_past_retention(timezone.localdate(now))
    return Order.objects.filter(ordered_at__lt=_local_midnight(last_day + dt.timedelta(days=1)))


def released_holds() -> QuerySet:
    """Return orders of erased customers that an open invoice or collection no longer holds."""
    return Order.objects.filter(customer__erased_at__isnull=False).exclude(
        invoice_state__in=HELD_INVOICE_STATES
    )


def old_deliveries(now: dt.datetime) -> QuerySet:
    """Return shipments delivered (or sent) over 12 months ago, unless a legal hold needs them."""
    cutoff = _local_midnight(add_months(timezone.localdate(now), -DELIVERY_TRACKING_MONTHS))
    return (
        Shipment.objects.annotate(done_at=Coalesce("delivered_at", "shipped_at"))
        .filter(done_at__lt=cutoff)
        .exclude(order__invoice_state__in=HELD_INVOICE_STATES)
    )


def old_login_codes(now: dt.datetime) -> QuerySet:
    """Return portal login codes created over 30 days ago."""
    return PortalLoginCode.objects.filter(created_at__lt=now - dt.timedelta(days=LOGIN_CODE_DAYS))


def _delete_in_batches(queryset: QuerySet, model, batch: int = 5000) -> int:
    """Delete the rows in batches, each in its own transaction; return how many `model` rows went.

    The first sweep of a large register may find millions of rows; batches keep memory and lock
    times small, and an interrupted sweep resumes where it stopped.
    """
    total = 0
    while ids := list(queryset.values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            _count, by_model = model._default_manager.filter(pk__in=ids).delete()
        total += by_model.get(model._meta.label, 0)
    return total


def retention_sweep(*, dry_run: bool = False, now: dt.datetime | None = None) -> dict[str, int]:
    """Anonymise or delete what has outlived its retention and return counts per rule.

    Each customer is erased in a transaction of its own, so one failure does not undo the rest;
    re-running finds nothing more to do.
    """
    now = now or timezone.now()
    inactive = inactive_customers(now)
    kept = _kept_from_sweep()
    customers = inactive.exclude(kept)
    old_orders = orders_past_retention(now).exclude(invoice_state__in=HELD_INVOICE_STATES)
    if dry_run:
        return {
            INACTIVE_CUSTOMERS: customers.count(),
            SKIPPED_CUSTOMERS: inactive.filter(kept).count(),
            ORDERS_PAST_RETENTION: orders_with_personal_data(old_orders).count(),
            RELEASED_HOLDS: orders_with_personal_data(released_holds()).count(),
            OLD_DELIVERIES: old_deliveries(now).count(),
            OLD_LOGIN_CODES: old_login_codes(now).count(),
            EXPIRED_PACKAGES: AccessPackage.objects.filter(expires_at__lte=now).count(),
            **{key: step(now=now, dry_run=True) for key, step in sweep_steps()},
            EXPIRED_AUDIT_ENTRIES: AuditEntry.objects.filter(
                occurred_at__lt=audit_entries_cutoff(now)
            ).count(),
        }
    erased = 0
    for customer in customers.iterator():
        erase_customer(customer=customer, reason=ErasureLedger.Reason.RETENTION)
        erased += 1
    deliveries = _delete_in_batches(old_deliveries(now), Shipment)
    codes = _delete_in_batches(old_login_codes(now), PortalLoginCode)
    counts = {
        INACTIVE_CUSTOMERS: erased,
        SKIPPED_CUSTOMERS: inactive.filter(kept).count(),
        ORDERS_PAST_RETENTION: anonymise_orders(orders=old_orders),
        RELEASED_HOLDS: anonymise_orders(orders=released_holds()),
        OLD_DELIVERIES: deliveries,
        OLD_LOGIN_CODES: codes,
        EXPIRED_PACKAGES: prune_access_packages(now=now),
        **{key: step(now=now) for key, step in sweep_steps()},
        EXPIRED_AUDIT_ENTRIES: AuditEntry.objects.prune(before=audit_entries_cutoff(now)),
    }
    logger.info("retention sweep: %s", counts)
    return counts
