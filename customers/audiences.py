"""Marketing audiences: who may be contacted through a channel, and their streamed export.

`marketable()` is the one place the marketing rule lives; `Customer.objects.marketable(channel)`
calls it. The suppression list holds keyed hashes, which SQL cannot compute, so it is screened in
`audience_rows()` chunk by chunk; every export goes through that function.
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import batched
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from customers import validators as v
from customers.models import (
    BanScope,
    Channel,
    ConsentEvent,
    Customer,
    MarketingBan,
    Order,
    Purpose,
    SuppressionEntry,
)

# Consent to either purpose for a channel is consent to market through it.
MARKETING_PURPOSES = (Purpose.DIRECT_MARKETING, Purpose.NEWSLETTER)
# Either ban stops marketing: distance selling is marketing with an offer to buy.
BLOCKING_SCOPES = (BanScope.DIRECT_MARKETING, BanScope.DISTANCE_SELLING)
# A child under 13 cannot consent alone (Tietosuojalaki 1050/2018 5 §).
MINIMUM_AGE = 13
CHUNK_SIZE = 2000

# What each audience contains: only what that channel needs (data minimisation, GDPR 5(1)(c)).
COLUMNS: dict[str, list[str]] = {
    Channel.EMAIL: ["number", "first_name", "last_name", "email", "preferred_language"],
    Channel.SMS: ["number", "first_name", "phone", "preferred_language"],
    Channel.POST: [
        "number",
        "first_name",
        "last_name",
        "company",
        "street_address",
        "postal_code",
        "post_office",
        "country",
    ],
    Channel.PHONE: ["number", "first_name", "last_name", "phone", "preferred_language"],
}
# A person without the channel's contact detail cannot be in its audience.
REQUIRED: dict[str, list[str]] = {
    Channel.EMAIL: ["email"],
    Channel.SMS: ["phone"],
    Channel.POST: ["street_address", "postal_code", "post_office"],
    Channel.PHONE: ["phone"],
}


def _latest_consent(channel: str, purpose: str) -> Subquery:
    """Return the latest consent event's is_granted for one purpose and channel (or NULL)."""
    return Subquery(
        ConsentEvent.objects.filter(customer=OuterRef("pk"), purpose=purpose, channel=channel)
        .order_by("-occurred_at", "-id")
        .values("is_granted")[:1]
    )


def age_cutoff(today: dt.date) -> dt.date:
    """Return the latest birth date of a person who is at least MINIMUM_AGE today."""
    try:
        return today.replace(year=today.year - MINIMUM_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - MINIMUM_AGE, day=28)


def marketable(queryset: QuerySet, channel: str, *, today: dt.date | None = None) -> QuerySet:
    """Return the customers of `queryset` who may be marketed to through `channel`.

    All rules but the suppression list, which `audience_rows()` screens (see the module note).
    """
    if channel not in COLUMNS:
        raise ValueError(f"Unknown marketing channel {channel!r}.")
    today = today or timezone.localdate()
    consents = {f"consent_{p}": _latest_consent(channel, p) for p in MARKETING_PURPOSES}
    queryset = queryset.annotate(**consents)
    consented = Q()
    for name in consents:
        consented |= Q(**{name: True})
    allowed = consented
    if channel == Channel.EMAIL:
        # The existing-customer exception (917/2014 200 § 2 mom.): an address obtained in a sale
        # may be used for the seller's own similar products unless the customer opted out. It
        # does not reach a gift-card redeemer, who bought nothing themselves.
        not_opted_out = Q()
        for name in consents:
            not_opted_out &= Q(**{f"{name}__isnull": True}) | Q(**{name: True})
        has_order = Exists(Order.objects.filter(customer=OuterRef("pk")))
        allowed |= Q(has_order) & not_opted_out & ~Q(source=Customer.Source.GIFT_CARD)
    banned = Exists(
        MarketingBan.objects.filter(
            customer=OuterRef("pk"),
            lifted_at__isnull=True,
            scope__in=BLOCKING_SCOPES,
            channel__in=[channel, "all"],
        )
    )
    has_contact = Q()
    for name in REQUIRED[channel]:
        has_contact &= ~Q(**{name: ""})
    return queryset.filter(
        allowed,
        has_contact,
        Q(birth_date__isnull=True) | Q(birth_date__lte=age_cutoff(today)),
        ~Q(banned),
        erased_at__isnull=True,
        is_restricted=False,
    )


def _suppression_keys(email: str, phone: str) -> list[tuple[str, str]]:
    from privacy.erasure import suppression_hash

    keys = []
    if email:
        kind = SuppressionEntry.Kind.EMAIL
        keys.append((kind, suppression_hash(kind, email.strip().lower())))
    if phone:
        kind = SuppressionEntry.Kind.PHONE
        try:
            normalised = v.normalise_phone(phone)
        except ValidationError:
            # A malformed legacy number is suppressed as stored (privacy.erasure does the same).
            normalised = phone.strip()
        keys.append((kind, suppression_hash(kind, normalised)))
    return keys


def _screen(rows: Iterable[tuple]) -> Iterator[tuple]:
    """Drop rows whose email or phone is on the suppression list; one query per chunk.

    A suppressed detail is an objection the person made before (GDPR 21(3)); it keeps them out
    of every channel, not only the one the detail belongs to.
    """
    for chunk in batched(rows, CHUNK_SIZE):
        keys = {row: _suppression_keys(row[-2], row[-1]) for row in chunk}
        hashes = {h for ks in keys.values() for _k, h in ks}
        suppressed = set(
            SuppressionEntry.objects.filter(value_hash__in=hashes).values_list("kind", "value_hash")
        )
        for row in chunk:
            if not suppressed.intersection(keys[row]):
                yield row[:-2]


def audience_rows(channel: str, *, today: dt.date | None = None) -> Iterator[tuple]:
    """Yield the channel's audience as tuples of COLUMNS[channel], in customer-number order.

    Streams with a server-side cursor on PostgreSQL, so memory stays flat however large.
    """
    rows = (
        marketable(Customer.objects.all(), channel, today=today)
        .order_by("number")
        .values_list(*COLUMNS[channel], "email", "phone")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    return _screen(rows)


def is_marketable(customer: Customer, channel: str) -> bool:
    """Return whether one customer is in the channel's audience (all rules, suppression too)."""
    rows = (
        marketable(Customer.objects.filter(pk=customer.pk), channel)
        .values_list("pk", "email", "phone")
        .iterator()
    )
    return any(True for _row in _screen(rows))


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_audience(
    *, actor: Any, channel: str, request: HttpRequest | None = None
) -> Iterator[str]:
    """Yield the channel's audience as CSV lines, recording the export in the audit log.

    One entry is written before the first row (criteria) and one when the stream ends, with the
    number of people sent and whether the stream was completed.
    """
    from privacy.audit import AuditEntry, record

    criteria = {
        "channel": channel,
        "columns": COLUMNS[channel],
        "purposes": list(MARKETING_PURPOSES),
        "existing_customer_exception": channel == Channel.EMAIL,
        "blocking_ban_scopes": list(BLOCKING_SCOPES),
        "minimum_age": MINIMUM_AGE,
        "suppression_list": True,
    }
    started = record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_label=f"audience:{channel}",
        details={"criteria": criteria, "stage": "started"},
        request=request,
    )

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        count, completed = 0, False
        try:
            yield writer.writerow(COLUMNS[channel])
            for row in audience_rows(channel):
                count += 1
                yield writer.writerow(row)
            completed = True
        finally:
            record(
                actor=actor,
                action=AuditEntry.Action.EXPORT,
                object_label=f"audience:{channel}",
                details={
                    "export": started.pk,
                    "stage": "finished",
                    "count": count,
                    "completed": completed,
                },
                request=request,
            )

    return lines()
