"""Marketing audiences: a channel's audience streamed as CSV, the export recorded in the audit log.

Who is in an audience is the marketing rule (customers.marketing); this module only reads it.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from customers.marketing import (
    BASIS_CONSENT,
    BASIS_EXISTING_CUSTOMER,
    BLOCKING_SCOPES,
    MARKETING_PURPOSES,
    MINIMUM_AGE,
    SCREENED_CHANNELS,
    existing_customer_notice_since,
)
from customers.models import BanRegisterImport, Channel, Customer
from privacy import csv_export
from privacy.audit import record
from privacy.models import AuditEntry

CHUNK_SIZE = 2000

# What each audience contains: only what that channel needs (data minimisation, GDPR 5(1)(c)).
COLUMNS: dict[str, list[str]] = {
    Channel.EMAIL: ["number", "first_name", "last_name", "email", "preferred_language", "basis"],
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


def audience_rows(channel: str, *, today: dt.date | None = None) -> Iterator[tuple]:
    """Yield the channel's audience as tuples of COLUMNS[channel], consent basis first.

    Each basis is one query streamed through a server-side cursor, so memory stays flat however
    large the audience; rows come in the database's order (no sort of a million rows).
    """
    columns = [c for c in COLUMNS[channel] if c != "basis"]
    bases = [BASIS_CONSENT]
    if channel == Channel.EMAIL and existing_customer_notice_since() is not None:
        bases.append(BASIS_EXISTING_CUSTOMER)
    for basis in bases:
        rows = (
            Customer.objects.marketable(channel, basis=basis, today=today)
            .order_by()
            .values_list(*columns)
            .iterator(chunk_size=CHUNK_SIZE)
        )
        if "basis" in COLUMNS[channel]:
            yield from ((*row, basis) for row in rows)
        else:
            yield from rows


def export_criteria(channel: str) -> dict[str, Any]:
    """Return the rules an export of the channel applies, as recorded in the audit log."""
    notice_since = settings.EXISTING_CUSTOMER_NOTICE_SINCE
    criteria: dict[str, Any] = {
        "channel": channel,
        "columns": COLUMNS[channel],
        "purposes": list(MARKETING_PURPOSES),
        "existing_customer_exception": channel == Channel.EMAIL and notice_since is not None,
        "blocking_ban_scopes": list(BLOCKING_SCOPES),
        "minimum_age": MINIMUM_AGE,
        "suppression_list": True,
    }
    if criteria["existing_customer_exception"]:
        criteria["informed_at_purchase_since"] = notice_since.isoformat()
    if channel in SCREENED_CHANNELS:
        latest = (
            BanRegisterImport.objects.filter(service=SCREENED_CHANNELS[channel])
            .order_by("-imported_at", "-id")
            .first()
        )
        criteria["ban_register"] = (
            {"import": latest.pk, "list_date": latest.list_date.isoformat()} if latest else None
        )
    return criteria


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

    started = record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_label=f"audience:{channel}",
        details={"criteria": export_criteria(channel), "stage": "started"},
        request=request,
    )

    def lines() -> Iterator[str]:
        writer = csv_export.writer(_Echo())
        count, completed = 0, False
        try:
            # In a transaction the server-side cursor streams; in autocommit PostgreSQL would
            # hold (materialise) the whole result before the first row.
            with transaction.atomic():
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
