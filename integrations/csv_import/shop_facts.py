"""Two facts of a shop's customer record beyond the contact details, one rule for each.

The shop's data arrives two ways: the import of its export (planning, many rows at
once) and its webhooks (platforms.webhooks, one customer at a time). Both follow these rules:

- When the customer relationship began (`Customer.created_at`) only ever moves earlier: a later
  date from the shop (a re-created account, a newer export) does not move it on.
- The shop's own note on the customer (Shopify's Note) becomes an internal customer-service
  note (`CustomerNote`, kind internal: declared in customers.personal_data as a customer-service
  record, kept while the customer is, deleted on erasure), prefixed with where it came from so
  staff know who wrote it. It is kept once: the same text from the same platform, by its export
  or by its webhooks, is not added again; a changed note is added beside the old one.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy

from customers.models import LOOKUP_CHUNK, Customer, CustomerNote
from integrations.csv_import.platforms import SHOPIFY_CUSTOMERS
from privacy import audit

# Where a note from Shopify's customer webhooks says it came from.
SHOPIFY_WEBHOOK = gettext_lazy("Shopify-webhook")


def earlier_start(*, known: dt.datetime | None, given: dt.datetime | None) -> dt.datetime | None:
    """Return `given` when it moves the relationship's start before `known`, else None."""
    if given is None or (known is not None and given >= known):
        return None
    return given


def note_body(*, source: str, text: str) -> str:
    """Return the internal note a shop's note becomes: its text after where it came from."""
    return f"{source}: {text}"


def _same_sources(source: str) -> tuple[str, ...]:
    # A platform's export and its webhooks carry the same note of the shop's.
    shopify = (str(SHOPIFY_CUSTOMERS.label), str(SHOPIFY_WEBHOOK))
    return shopify if source in shopify else (source,)


def kept_notes(customer_ids: Iterable[int]) -> set[tuple[int, str]]:
    """Return (customer id, text) of the internal notes the customers already have."""
    customer_ids = list(customer_ids)
    found: set[tuple[int, str]] = set()
    notes = CustomerNote.objects.filter(kind=CustomerNote.Kind.INTERNAL)
    for i in range(0, len(customer_ids), LOOKUP_CHUNK):
        chunk = customer_ids[i : i + LOOKUP_CHUNK]
        found.update(notes.filter(customer_id__in=chunk).values_list("customer_id", "body"))
    return found


def is_kept(kept: set[tuple[int, str]], *, customer_id: int, source: str, text: str) -> bool:
    """Return whether the customer already has the shop's note (`kept` from kept_notes)."""
    return any(
        (customer_id, note_body(source=same, text=text)) in kept for same in _same_sources(source)
    )


@transaction.atomic
def record_shop_facts(
    *,
    customer: Customer,
    started_at: dt.datetime | None,
    note: str,
    source: str,
    actor_label: str,
    details: dict | None = None,
) -> list[str]:
    """Move the customer's relationship start earlier and keep the shop's note once.

    Return what changed ("created_at", "notes"); an audit entry names it, in this transaction.
    """
    changed = []
    earlier = earlier_start(known=customer.created_at, given=started_at)
    if earlier is not None:
        customer.created_at = earlier
        customer.save(update_fields=["created_at"])
        changed.append("created_at")
    note = note.replace("\x00", "").strip()
    if note and not is_kept(
        kept_notes([customer.pk]), customer_id=customer.pk, source=source, text=note
    ):
        CustomerNote.objects.create(
            customer=customer,
            kind=CustomerNote.Kind.INTERNAL,
            body=note_body(source=source, text=note),
        )
        changed.append("notes")
    if changed:
        audit.record(
            actor=None,
            actor_label=actor_label,
            action=audit.AuditEntry.Action.CHANGE,
            customer_id=customer.pk,
            object_label=audit.object_label(customer),
            details={**(details or {}), "fields": changed},
        )
    return changed
