"""Erasure (GDPR Art. 17), driven by the personal-data declaration.

`plan_erasure()` says, per model and field, what erasure does — delete, anonymise, or keep — and
for what is kept, the legal reason and the date it can go. `erase_customer()` carries the same plan
out in one transaction. Legal holds that depend on the row (an open invoice, debt collection) are
applied on top of the declaration, which states what is always kept (accounting vouchers).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from customers import marketing
from customers.models import Customer, Order, SuppressionEntry
from privacy import audit, connected_systems
from privacy.citations import Style, cite_lazy, with_citations
from privacy.deadlines import add_months, voucher_kept_until
from privacy.declaration import Erasure, Field, ModelDeclaration, Retention, linked_declarations
from privacy.vocabulary import (
    ACCOUNTING_VOUCHERS,
    CASE_RECORDS,
    CONSENT_HISTORY,
    DISCLOSURE_LOG,
    KEEP_FOR_ACCOUNTING,
)
from rights.ledger import (
    append_ledger_file,
    check_ledger_writable,
    known_erasures,
    ledger_entry,
    record_shop_ids,
)
from rights.models import (
    AccessPackage,
    DataSubjectRequest,
    ErasureLedger,
    RequestEvent,
)
from rights.notices import list_recipients_to_notify

HELD_INVOICE_STATES = (Order.InvoiceState.OPEN, Order.InvoiceState.COLLECTION)


@dataclass(frozen=True)
class Hold:
    """A legal hold on some rows of a model: what it keeps and why."""

    invoice_state: str
    reason: Promise
    until: Promise
    # The fields it keeps; None keeps the whole row.
    fields: frozenset[str] | None


_BILLING = frozenset(Order.BILLING_FIELDS)
# Collecting a debt needs the billing details of the open invoice and the proof of delivery
# (GDPR 17(3)(e): establishment, exercise or defence of legal claims).
_HOLD_REASONS = {
    Order.InvoiceState.OPEN: (
        with_citations(
            _("Avoin lasku: laskutustiedot tarvitaan saatavan perimiseen (%(article)s)"),
            article=cite_lazy("17(3)(e)", style=Style.TEXT),
        ),
        _("kun lasku on maksettu"),
    ),
    Order.InvoiceState.COLLECTION: (
        with_citations(
            _("Saatava perinnässä: tiedot tarvitaan perintään (%(article)s)"),
            article=cite_lazy("17(3)(e)", style=Style.TEXT),
        ),
        _("kun perintä on päättynyt"),
    ),
}
# How each held model reaches the order whose invoice state holds it, and what the hold keeps.
_HELD_MODELS: dict[str, tuple[str, frozenset[str] | None]] = {
    "customers.Order": ("", _BILLING),
    "customers.Shipment": ("order__", None),
    "customers.TrackingEvent": ("shipment__order__", None),
}


@dataclass(frozen=True)
class PlanItem:
    """What erasure does to one field in a group of rows."""

    model: str
    model_name: Promise | str
    field: str
    field_name: Promise | str
    action: Erasure
    rows: int
    # Lazy, so letters and pages show them in their reader's language.
    legal_reason: Promise | str = ""
    kept_until: dt.date | None = None
    criterion: Promise | str = ""

    @property
    def action_label(self) -> str:
        return str(self.action.label)


@dataclass
class ErasurePlan:
    """The dry run of an erasure: every item, and the holds that keep data."""

    customer: Customer | None
    items: list[PlanItem] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)

    @property
    def kept(self) -> list[PlanItem]:
        return [item for item in self.items if item.action == Erasure.KEEP]

    def counts(self) -> dict[str, int]:
        """Return the number of field-rows per action."""
        totals: dict[str, int] = defaultdict(int)
        for item in self.items:
            totals[item.action.value] += item.rows
        return dict(totals)


@dataclass
class ErasureResult:
    plan: ErasurePlan
    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    suppressed: int = 0
    # The connected systems (web shop, newsletter tool) asked to erase the person too.
    systems_told: list[connected_systems.Told] = field(default_factory=list)


@dataclass
class _Segment:
    """Rows of one model treated alike: all of them, or those under one hold."""

    declaration: ModelDeclaration
    queryset: models.QuerySet
    hold: Hold | None
    # (keep-until day, rows) of the segment, filled by the plan when it needs them.
    groups: list[tuple[dt.date | None, int]] | None = None


def _segments(decl: ModelDeclaration, queryset: models.QuerySet) -> Iterator[_Segment]:
    held = _HELD_MODELS.get(decl.label)
    if held is None:
        yield _Segment(decl, queryset, None)
        return
    prefix, kept_fields = held
    lookup = f"{prefix}invoice_state"
    for state in HELD_INVOICE_STATES:
        reason, until = _HOLD_REASONS[state]
        yield _Segment(
            decl, queryset.filter(**{lookup: state}), Hold(state, reason, until, kept_fields)
        )
    yield _Segment(decl, queryset.exclude(**{f"{lookup}__in": HELD_INVOICE_STATES}), None)


def _action(segment: _Segment, name: str, declared: Field) -> tuple[Erasure, Promise | str, ...]:
    """Return the action for one field of a segment, with the hold's reason and criterion."""
    hold = segment.hold
    if hold and declared.erasure != Erasure.KEEP and (hold.fields is None or name in hold.fields):
        return Erasure.KEEP, hold.reason, hold.until
    return declared.erasure, declared.legal_reason or "", ""


def anonymised_value(model: type[models.Model], name: str, declared: Field):
    """Return the value an erased field gets: the declared one, or blank for its type."""
    if declared.anonymised_value is not None:
        value = declared.anonymised_value
        return value() if callable(value) else value
    model_field = model._meta.get_field(name)
    if model_field.null:
        return None
    if isinstance(model_field, models.BooleanField):
        return False
    if isinstance(model_field, models.JSONField):
        return model_field.get_default()
    if isinstance(model_field, (models.CharField, models.TextField, models.FileField)):
        return ""
    return model_field.get_default()


# Where each kept model finds the date its keeping is counted from, and the rule that turns the
# date into the day the row can go. An empty path counts from the erasure itself (a consent ends
# when the customer is erased).
_DATED_MODELS: dict[str, tuple[str, Retention]] = {
    "customers.Order": ("ordered_at", ACCOUNTING_VOUCHERS),
    "customers.OrderLine": ("order__ordered_at", ACCOUNTING_VOUCHERS),
    "customers.ConsentEvent": ("", CONSENT_HISTORY),
    "rights.AuthorityRequest": ("received_at", DISCLOSURE_LOG),
    "rights.DataSubjectRequest": ("decided_at", CASE_RECORDS),
    "rights.RequestEvent": ("request__decided_at", CASE_RECORDS),
    "rights.CorrectionItem": ("request__decided_at", CASE_RECORDS),
    "rights.RecipientNotification": ("listed_at", CASE_RECORDS),
}


def _latest_voucher_date(customer: Customer) -> dt.date | None:
    latest = Order.objects.filter(customer=customer).aggregate(at=Max("ordered_at"))["at"]
    return timezone.localdate(latest) if latest else None


def _keep_date(rule: Retention, day: dt.date | None) -> dt.date | None:
    """Return the last day a row dated `day` is kept under `rule`."""
    if day is None:
        return None
    if rule == ACCOUNTING_VOUCHERS:
        return voucher_kept_until(day)
    return add_months(day, rule.in_months())


def _kept_groups(
    segment: _Segment, declared: Field, voucher_date: dt.date | None, rows: int
) -> list[tuple[dt.date | None, int]]:
    """Return (day the rows can go, how many) for a field the declaration keeps.

    Rows are grouped by their own date (one query per segment, cached on the segment), so each
    record gets the date the law gives it rather than the latest of the customer's.
    """
    dated = _DATED_MODELS.get(segment.declaration.label)
    accounting = declared.legal_reason == KEEP_FOR_ACCOUNTING
    if dated is None:
        # A kept row without a date of its own goes with the customer's last voucher.
        return [(voucher_kept_until(voucher_date) if accounting and voucher_date else None, rows)]
    if segment.groups is None:
        path, rule = dated
        if not path:
            segment.groups = [(_keep_date(rule, timezone.localdate()), rows)]
            return segment.groups
        days = (
            segment.queryset.order_by()
            .annotate(day=TruncDate(path))
            .values("day")
            .annotate(rows=Count("pk"))
        )
        groups: dict[dt.date | None, int] = defaultdict(int)
        for row in days:
            groups[_keep_date(rule, row["day"])] += row["rows"]
        segment.groups = sorted(
            groups.items(), key=lambda kv: (kv[0] is None, kv[0] or dt.date.min)
        )
    return segment.groups


def plan_erasure(*, customer: Customer) -> ErasurePlan:
    """Return what erasing the customer does to each declared field, without changing anything.

    Items are per model, field and group of records treated alike (a legal hold, the same
    keep-until day). Runs one counting query per declared model and hold, and one grouping query
    where kept rows carry their own date.
    """
    plan = ErasurePlan(customer=customer)
    voucher_date = _latest_voucher_date(customer)
    for decl in linked_declarations():
        meta = decl.model._meta
        for segment in _segments(decl, decl.rows_for(customer)):
            rows = segment.queryset.count()
            if not rows:
                continue
            if segment.hold:
                plan.holds.append(
                    f"{meta.verbose_name_plural}: {rows} ({segment.hold.reason}; "
                    f"{segment.hold.until})"
                )
            for name, declared in decl.fields.items():
                action, reason, criterion = _action(segment, name, declared)
                item = partial(
                    PlanItem,
                    model=decl.label,
                    model_name=meta.verbose_name_plural,
                    field=name,
                    field_name=meta.get_field(name).verbose_name,
                    action=action,
                    legal_reason=reason,
                )
                if action != Erasure.KEEP or criterion:
                    # Erased, or kept by a hold until its criterion is met.
                    plan.items.append(item(rows=rows, criterion=criterion))
                    continue
                for kept_until, count in _kept_groups(segment, declared, voucher_date, rows):
                    plan.items.append(
                        item(
                            rows=count,
                            kept_until=kept_until,
                            criterion="" if kept_until else declared.retention.text(),
                        )
                    )
    return plan


def _wants_suppression(customer: Customer, case: DataSubjectRequest | None) -> bool:
    """Return whether the person objected to direct marketing (GDPR 21(3)) in any way."""
    if case is not None and case.kind == DataSubjectRequest.Kind.OBJECTION:
        return True
    return (
        marketing.has_marketing_ban(customer)
        or customer.privacy_requests.filter(kind=DataSubjectRequest.Kind.OBJECTION).exists()
    )


def wants_suppression(*, customer: Customer) -> bool:
    """Return whether erasing the customer puts their hashed contact details on the list."""
    return _wants_suppression(customer, None)


def suppress_contacts(*, customer: Customer) -> int:
    """Add the customer's hashed, normalised contact details to the suppression list."""
    entries = [
        SuppressionEntry(kind=kind, value_hash=marketing.keyed_hash(kind, value))
        for kind, value in sorted(marketing.contact_keys(customer))
    ]
    SuppressionEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return len(entries)


def delete_access_packages(*, packages: models.QuerySet) -> int:
    """Delete access packages and, once the transaction commits, their files."""
    names = [
        f.name
        for package in packages
        for f in (package.json_file, package.archive_file, package.pdf_file)
        if f
    ]
    count, _by_model = packages.delete()

    def remove_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove_files)
    return count


def _execute(
    segment: _Segment, result: ErasureResult, *, ending: frozenset[str] = frozenset()
) -> None:
    """Delete or anonymise a segment's rows as declared; `ending`: kept fields now due to go."""
    decl = segment.declaration
    actions = {
        name: Erasure.ANONYMISE if name in ending else _action(segment, name, d)[0]
        for name, d in decl.fields.items()
    }
    if all(action == Erasure.DELETE for action in actions.values()):
        deleted, _by_model = segment.queryset.delete()
        if deleted:
            result.deleted[decl.label] = result.deleted.get(decl.label, 0) + deleted
        return
    updates = {
        name: anonymised_value(decl.model, name, decl.fields[name])
        for name, action in actions.items()
        # The customer number is unique and has a fixed format: erase_customer() gives the
        # erased customer a fresh random one that links to nothing.
        if action != Erasure.KEEP and (decl.model, name) != (Customer, "number")
    }
    if updates:
        # A queryset update, so append-only models (request events) are anonymised too: erasure
        # is the one rewrite their history allows.
        changed = segment.queryset.update(**updates)
        if changed:
            result.anonymised[decl.label] = result.anonymised.get(decl.label, 0) + changed


@transaction.atomic
def erase_customer(
    *,
    customer: Customer,
    case: DataSubjectRequest | None = None,
    user=None,
    reason: str = ErasureLedger.Reason.REQUEST,
    record: bool = True,
) -> ErasureResult:
    """Erase the customer as the declaration says, keeping only what a legal hold needs.

    Idempotent: erasing an erased customer again changes nothing but what reappeared. Writes the
    erasure ledger (unless `record` is False, as when re-applying the ledger) and, for a request,
    its history and the recipients to notify (Art. 19). Access package files are removed after
    the transaction commits. Raises LedgerUnwritable, erasing nothing, when the ledger file
    cannot take the erasure's line.
    """
    if record:
        # Before anything changes: an erasure the ledger file cannot take would not survive a
        # restore, so it is not made at all.
        check_ledger_writable()
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    plan = plan_erasure(customer=customer)
    result = ErasureResult(plan=plan)
    original_number = customer.number
    already_erased = customer.erased_at is not None

    if _wants_suppression(customer, case):
        result.suppressed = suppress_contacts(customer=customer)
    if case is not None:
        len(list_recipients_to_notify(case=case, customer=customer))
    if record and not already_erased:
        # Before the rows go: the systems are told by the ids the register holds for the person.
        result.systems_told = connected_systems.tell_erasure(customer=customer, case=case)
    # Before the rows go too: the shops' ids of the person, hashed into the ledger below.
    platform_ids = [customer.external_id, *connected_systems.shop_ids(customer=customer)]
    delete_access_packages(packages=AccessPackage.objects.filter(customer=customer))

    for decl in linked_declarations():
        for segment in _segments(decl, decl.rows_for(customer)):
            _execute(segment, result)

    # The number is regenerated once, so repeated runs leave the erased row as it was.
    fields = {"erased_at": customer.erased_at or timezone.now()}
    if not already_erased:
        fields["number"] = Customer.objects.allocate_numbers(1)[0]
        # A change form opened before the erasure must not save the old details back.
        fields["updated_at"] = fields["erased_at"]
    Customer.objects.filter(pk=customer.pk).update(**fields)

    if record:
        ledger, created = ErasureLedger.objects.get_or_create(
            customer_code=customer.code,
            defaults={
                "customer_number": original_number,
                "reason": reason,
                "erased_by": user,
                "request": case,
            },
        )
        if created:
            entry = ledger_entry(ledger)
            # Once committed, so the file never names an erasure that was rolled back; should
            # the write still fail, recover_tasks appends the line (catch_up_ledger_file).
            transaction.on_commit(lambda: append_ledger_file(entries=[entry]), robust=True)
    # Re-applied after a restore, the ledger row comes from the ledger file: the restored
    # customer's ids are hashed into it as at the first erasure.
    ledger_row = ErasureLedger.objects.filter(customer_code=customer.code).first()
    if ledger_row is not None:
        record_shop_ids(ledger=ledger_row, platform_ids=platform_ids)
    if case is not None:
        RequestEvent.objects.create(
            request=case,
            kind=RequestEvent.Kind.ERASED,
            actor=user,
            message=_erasure_summary(result),
        )
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.DELETE,
        customer_id=customer.pk,
        object_label=audit.object_label(customer),
        details={
            "erasure": reason,
            "request": case.pk if case else None,
            "deleted": sum(result.deleted.values()),
            "anonymised": sum(result.anonymised.values()),
        },
    )
    return result


def _erasure_summary(result: ErasureResult) -> str:
    """Return a summary of an erasure that names no personal data, in Finnish for staff."""
    with translation.override("fi"):
        kept = {(str(item.model_name), str(item.legal_reason)) for item in result.plan.kept}
    lines = [
        f"Poistettu {sum(result.deleted.values())} riviä, anonymisoitu "
        f"{sum(result.anonymised.values())} riviä, estolistalle {result.suppressed} tiivistettä."
    ]
    lines += [f"Säilytetty: {model} — {reason}" for model, reason in sorted(kept)]
    return "\n".join(lines)


# Order-level erasure, for orders past their accounting retention and released holds.


def _order_declarations() -> list[tuple[ModelDeclaration, str]]:
    """Return the declarations reached through an order, with the lookup to that order."""
    found = []
    for decl in linked_declarations():
        if decl.label == "customers.Order":
            found.append((decl, ""))
        elif decl.customer_path.endswith("order__customer"):
            found.append((decl, decl.customer_path.removesuffix("__customer")))
    return found


# The voucher's own personal data: kept as booked while the voucher must be kept, erased when
# its retention ends (the amounts, dates and lines stay, naming nobody).
_VOUCHER_PERSON = frozenset(Order.BILLING_FIELDS) - {"billing_email", "billing_phone"}


def orders_with_personal_data(
    orders: models.QuerySet, *, voucher_ended: bool = False
) -> models.QuerySet:
    """Return the orders of a queryset that still hold something erasure would remove.

    With `voucher_ended`, the buyer's name and address the voucher kept count as removable too.
    """
    decl = next(d for d, path in _order_declarations() if path == "")
    query = Q(shipments__isnull=False)
    for name, declared in decl.fields.items():
        if declared.erasure != Erasure.KEEP or (voucher_ended and name in _VOUCHER_PERSON):
            query |= ~Q(**{name: anonymised_value(Order, name, declared)})
    return orders.filter(query).distinct()


@transaction.atomic
def anonymise_orders(*, orders: models.QuerySet, voucher_ended: bool = False) -> int:
    """Remove the person from orders whose holds allow it; the voucher stays until it ends.

    With `voucher_ended` (the accounting retention is over) the buyer's name and address on the
    voucher go too. Orders under an open invoice or debt collection are skipped.
    """
    ids = list(
        orders_with_personal_data(
            orders.exclude(invoice_state__in=HELD_INVOICE_STATES), voucher_ended=voucher_ended
        ).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    result = ErasureResult(plan=ErasurePlan(customer=None))
    for decl, path in _order_declarations():
        lookup = f"{path}__in" if path else "pk__in"
        queryset = decl.model._default_manager.filter(**{lookup: ids})
        ending = _VOUCHER_PERSON if voucher_ended and not path else frozenset()
        _execute(_Segment(decl, queryset, None), result, ending=ending)
    return len(ids)


def reapply_erasures(*, entries: list[dict] | None = None) -> int:
    """Erase again every ledger customer who is no longer erased, e.g. after a backup restore.

    `entries` are ledger rows kept outside the backups; by default the database's ledger and
    ERASURE_LEDGER_FILE together. Missing ledger rows are recreated from them. Customers are
    matched by their code, never by number: an erased customer's old number may since have been
    given to someone else.
    """
    if entries is None:
        entries = known_erasures()
    count = 0
    for entry in entries:
        with transaction.atomic():
            ledger, _created = ErasureLedger.objects.get_or_create(
                customer_code=entry["customer_code"],
                defaults={
                    "customer_number": entry["customer_number"],
                    "reason": entry.get("reason") or ErasureLedger.Reason.REQUEST,
                },
            )
            customer = Customer.objects.filter(
                code=entry["customer_code"], erased_at__isnull=True
            ).first()
            if customer is None:
                continue
            erase_customer(customer=customer, record=False)
            ErasureLedger.objects.filter(pk=ledger.pk).update(reapplied_at=timezone.now())
            count += 1
    return count
