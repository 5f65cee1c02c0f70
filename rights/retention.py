"""The retention sweep: delete or anonymise what has outlived its declared retention rule.

Each step here enforces one rule of privacy.vocabulary and is registered for it in
rights/personal_data.py; other apps register the steps for their own records the same way. The
sweep runs every registered step (privacy.retention), so a rule the statement promises is a rule
some code enforces — privacy.E006 fails at start-up otherwise. Each step reads its period from
its rule, never from a constant of its own.
"""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.marketing import consents_in_force
from customers.models import (
    ConsentEvent,
    Customer,
    Disclosure,
    MarketingBan,
    Order,
    PortalLoginCode,
    Shipment,
)
from privacy.deadlines import add_months, last_voucher_day_past_retention
from privacy.models import AuditEntry
from privacy.retention import sweep_steps
from privacy.vocabulary import (
    AUDIT_LOG,
    CASE_RECORDS,
    CONSENT_HISTORY,
    DELIVERY_TRACKING,
    DISCLOSURE_LOG,
    ERASURE_LEDGER,
    LOGIN_CODES,
    MARKETING_BANS,
    WHILE_CUSTOMER,
)
from rights.erasure import (
    HELD_INVOICE_STATES,
    anonymise_orders,
    erase_customer,
    orders_with_personal_data,
)
from rights.ledger import prune_ledger_file
from rights.models import (
    OPEN_STATUSES,
    AuthorityRequest,
    DataSubjectRequest,
    ErasureLedger,
    RecipientNotification,
)

logger = logging.getLogger(__name__)

SKIPPED_CUSTOMERS = "inactive_customers_skipped_restricted_or_pending_request"


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _months_before(now: dt.datetime, months: int) -> dt.datetime:
    """Return local midnight of the day `months` before `now`'s local date."""
    return _local_midnight(add_months(timezone.localdate(now), -months))


def audit_entries_cutoff(now: dt.datetime) -> dt.datetime:
    """Return the time before which audit entries are past their declared retention.

    A day's margin keeps the sweep clear of the PostgreSQL trigger's own boundary (its clock is
    the database's), which would otherwise refuse the whole DELETE for one row.
    """
    return _months_before(now, AUDIT_LOG.in_months()) - dt.timedelta(days=1)


def inactive_customers(now: dt.datetime) -> QuerySet:
    """Return customers with no activity for the period of WHILE_CUSTOMER (the shop's choice)."""
    cutoff = _months_before(now, WHILE_CUSTOMER.in_months())
    return Customer.objects.active().filter(last_activity_at__lt=cutoff)


def _kept_from_sweep() -> Q:
    # A restricted customer's data may only be stored (GDPR 18(2)), often because the person
    # needs it kept (18(1)(b)–(c)); a pending request must be answered on the data it is about;
    # and a consent in force is a relationship the person keeps up, however long ago they bought.
    pending = DataSubjectRequest.objects.filter(customer=OuterRef("pk"), status__in=OPEN_STATUSES)
    consenting = consents_in_force().filter(customer=OuterRef("pk"))
    return Q(is_restricted=True) | Q(Exists(pending)) | Q(Exists(consenting))


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
    """Return shipments delivered (or sent) longer ago than DELIVERY_TRACKING keeps them.

    A shipment an open invoice or a collection holds stays: it proves the delivery.
    """
    return (
        Shipment.objects.annotate(done_at=Coalesce("delivered_at", "shipped_at"))
        .filter(done_at__lt=_months_before(now, DELIVERY_TRACKING.in_months()))
        .exclude(order__invoice_state__in=HELD_INVOICE_STATES)
    )


def old_login_codes(now: dt.datetime) -> QuerySet:
    """Return portal login codes older than LOGIN_CODES keeps them."""
    return PortalLoginCode.objects.filter(
        created_at__lt=now - dt.timedelta(days=LOGIN_CODES.in_days())
    )


def old_case_records(now: dt.datetime) -> QuerySet:
    """Return requests decided longer ago than CASE_RECORDS keeps them."""
    return DataSubjectRequest.objects.filter(
        decided_at__lt=_months_before(now, CASE_RECORDS.in_months())
    )


def old_recipient_notices(now: dt.datetime) -> QuerySet:
    """Return notices of a customer's own change listed longer ago than CASE_RECORDS keeps them.

    A request's notices go with the request (old_case_records).
    """
    return RecipientNotification.objects.filter(
        request__isnull=True, listed_at__lt=_months_before(now, CASE_RECORDS.in_months())
    )


def old_ledger_entries(now: dt.datetime) -> QuerySet:
    """Return ledger rows older than every backup (ERASURE_LEDGER: BACKUP_KEEP_DAYS).

    A day's margin: the backup taken on the day of the erasure is kept that full period.
    """
    cutoff = now - dt.timedelta(days=ERASURE_LEDGER.in_days() + 1)
    return ErasureLedger.objects.filter(erased_at__lt=cutoff)


def old_disclosures(now: dt.datetime) -> QuerySet:
    """Return disclosures made longer ago than DISCLOSURE_LOG keeps them."""
    return Disclosure.objects.filter(
        disclosed_at__lt=_months_before(now, DISCLOSURE_LOG.in_months())
    )


def old_authority_requests(now: dt.datetime) -> QuerySet:
    """Return authority requests handed over longer ago than DISCLOSURE_LOG keeps the hand-over.

    Counted from the hand-over, as the rule says ("luovutuksesta"); a request never handed over
    from its receipt.
    """
    return AuthorityRequest.objects.annotate(
        disclosed_at=Coalesce("handed_over_at", "received_at")
    ).filter(disclosed_at__lt=_months_before(now, DISCLOSURE_LOG.in_months()))


def ended_consents(now: dt.datetime) -> QuerySet:
    """Return consent events whose consent ended longer ago than CONSENT_HISTORY keeps them.

    An event ended when a later event for the same customer, purpose and channel replaced it, or
    when the customer was erased. The event in force stays as long as the customer does.
    """
    cutoff = _months_before(now, CONSENT_HISTORY.in_months())
    replaced = ConsentEvent.objects.filter(
        customer=OuterRef("customer"),
        purpose=OuterRef("purpose"),
        channel=OuterRef("channel"),
        occurred_at__gt=OuterRef("occurred_at"),
        occurred_at__lt=cutoff,
    )
    return ConsentEvent.objects.filter(Q(Exists(replaced)) | Q(customer__erased_at__lt=cutoff))


def lifted_bans(now: dt.datetime) -> QuerySet:
    """Return marketing bans lifted longer ago than MARKETING_BANS keeps them."""
    return MarketingBan.objects.filter(
        lifted_at__lt=_months_before(now, MARKETING_BANS.in_months())
    )


def _delete_in_batches(queryset: QuerySet, batch: int = 5000) -> int:
    """Delete the rows in batches, each in its own transaction; return how many rows went.

    The first sweep of a large register may find millions of rows; batches keep memory and lock
    times small, and an interrupted sweep resumes where it stopped.
    """
    model = queryset.model
    total = 0
    while ids := list(queryset.values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            _count, by_model = model._default_manager.filter(pk__in=ids).delete()
        total += by_model.get(model._meta.label, 0)
    return total


def _deleting(select):
    """Return a sweep step that deletes (or, dry, counts) the rows `select(now)` returns."""

    def step(*, now: dt.datetime, dry_run: bool = False) -> int:
        rows = select(now)
        return rows.count() if dry_run else _delete_in_batches(rows)

    step.__name__ = step.__qualname__ = f"delete_{select.__name__}"
    step.__module__ = __name__
    return step


# The steps registered for the rules (rights/personal_data.py).
delete_old_deliveries = _deleting(old_deliveries)
delete_old_login_codes = _deleting(old_login_codes)
_delete_old_requests = _deleting(old_case_records)
_delete_old_recipient_notices = _deleting(old_recipient_notices)


def delete_old_case_records(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete requests past CASE_RECORDS, with their records, and own changes' notices."""
    return _delete_old_requests(now=now, dry_run=dry_run) + _delete_old_recipient_notices(
        now=now, dry_run=dry_run
    )


delete_old_disclosures = _deleting(old_disclosures)
delete_old_authority_requests = _deleting(old_authority_requests)
delete_ended_consents = _deleting(ended_consents)
delete_lifted_bans = _deleting(lifted_bans)


def erase_inactive_customers(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Erase each customer inactive for WHILE_CUSTOMER's period, unless something keeps them.

    Each customer is erased in a transaction of its own, so one failure does not undo the rest.
    """
    customers = inactive_customers(now).exclude(_kept_from_sweep())
    if dry_run:
        return customers.count()
    erased = 0
    for customer in customers.iterator():
        erase_customer(customer=customer, reason=ErasureLedger.Reason.RETENTION)
        erased += 1
    return erased


def anonymise_orders_past_retention(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Erase the vouchers whose accounting retention has ended (unless a debt holds them)."""
    orders = orders_past_retention(now).exclude(invoice_state__in=HELD_INVOICE_STATES)
    if dry_run:
        return orders_with_personal_data(orders, voucher_ended=True).count()
    return anonymise_orders(orders=orders, voucher_ended=True)


def anonymise_released_holds(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Erase the orders of erased customers that a paid invoice no longer holds."""
    if dry_run:
        return orders_with_personal_data(released_holds()).count()
    return anonymise_orders(orders=released_holds())


def prune_audit_entries(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete audit entries past AUDIT_LOG's period.

    Never counted from later than the real time: the database's trigger, which refuses to delete
    younger entries, reads the real clock, so a sweep run "as of" a later day (a test, a catch-up)
    prunes only what is really past its period.
    """
    cutoff = audit_entries_cutoff(min(now, timezone.now()))
    if dry_run:
        return AuditEntry.objects.filter(occurred_at__lt=cutoff).count()
    return AuditEntry.objects.prune(before=cutoff)


def prune_erasure_ledger(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete ledger rows and file lines older than every backup that could restore the person."""
    entries = old_ledger_entries(now)
    if dry_run:
        return entries.count()
    cutoff = now - dt.timedelta(days=ERASURE_LEDGER.in_days() + 1)
    with transaction.atomic():
        _count, by_model = entries.delete()
    # The rows' shop id hashes go with them (ErasedShopId); the count is of erasures.
    count = by_model.get(ErasureLedger._meta.label, 0)
    prune_ledger_file(before=cutoff)
    return count


def retention_sweep(*, dry_run: bool = False, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every registered retention step and return the count of each.

    Re-running finds nothing more to do. `SKIPPED_CUSTOMERS` counts the inactive customers a
    restriction, a pending request or a consent in force keeps.
    """
    now = now or timezone.now()
    counts = {key: step(now=now, dry_run=dry_run) for key, step in sweep_steps()}
    counts[SKIPPED_CUSTOMERS] = inactive_customers(now).filter(_kept_from_sweep()).count()
    if not dry_run:
        logger.info("retention sweep: %s", counts)
    return counts
