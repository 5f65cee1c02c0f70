"""Marketing audiences: a channel's audience streamed as CSV, the export recorded in the audit log.

Who is in an audience is the marketing rule (customers.marketing); this module only reads it.
Every row carries the person's signed opt-out link (customers.unsubscribe) and, for email, the
values of the RFC 8058 headers a mailing tool puts on the message.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from customers.marketing import (
    BASIS_EXISTING_CUSTOMER,
    MINIMUM_AGE,
    PUBLICATION_SCOPES,
    SCREENED_CHANNELS,
    TARGETING_MONTHS,
    USE_MARKETING,
    USES,
    Use,
    bases,
    publishable,
)
from customers.models import BanRegisterImport, Channel, Customer
from customers.unsubscribe import LINK_VALID_DAYS, ONE_CLICK, LinkMaker
from privacy import csv_export
from privacy.audit import record
from privacy.models import AuditEntry
from privacy.vocabulary import REFERENCE_LIST
from statement.purposes import require_in_use

CHUNK_SIZE = 2000

# What each audience contains: only what that channel needs (data minimisation, GDPR 5(1)(c)).
DATA_COLUMNS: dict[str, list[str]] = {
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
# After the data: on which basis the person is in it (customers.marketing.BASIS_*) and the
# opt-out link; an email also gets the List-Unsubscribe and List-Unsubscribe-Post header values.
LINK_COLUMNS = ["basis", "unsubscribe_url"]
EMAIL_HEADER_COLUMNS = ["list_unsubscribe", "list_unsubscribe_post"]
COLUMNS: dict[str, list[str]] = {
    channel: [
        *data,
        *LINK_COLUMNS,
        *(EMAIL_HEADER_COLUMNS if channel == Channel.EMAIL else []),
    ]
    for channel, data in DATA_COLUMNS.items()
}
# A published list names the business, never the person.
PUBLICATION_COLUMNS = ["number", "company", "business_id", "post_office"]


def audience_rows(
    channel: str, *, use: Use = USE_MARKETING, today: dt.date | None = None
) -> Iterator[tuple]:
    """Yield the channel's audience for a use as tuples of COLUMNS[channel], basis by basis.

    Each basis is one query streamed through a server-side cursor, so memory stays flat however
    large the audience; rows come in the database's order (no sort of a million rows).
    """
    columns = DATA_COLUMNS[channel]
    links = LinkMaker(channel=channel, scope=use.unsubscribe_scope)
    for basis in bases(channel, use):
        rows = (
            Customer.objects.marketable(channel, use=use, basis=basis, today=today)
            .order_by()
            .values_list(*columns, "code", "preferred_language")
            .iterator(chunk_size=CHUNK_SIZE)
        )
        for *data, code, language in rows:
            url = links.url(code, language)
            if channel == Channel.EMAIL:
                yield (*data, basis, url, f"<{url}>", ONE_CLICK)
            else:
                yield (*data, basis, url)


def publication_rows() -> Iterator[tuple]:
    """Yield the business customers who may be named in a published list (PUBLICATION_COLUMNS)."""
    yield from (
        publishable(Customer.objects.all())
        .order_by("company", "pk")
        .values_list(*PUBLICATION_COLUMNS)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def export_criteria(channel: str, use: Use = USE_MARKETING) -> dict[str, Any]:
    """Return the rules an export of the channel applies, as recorded in the audit log."""
    notice_since = settings.EXISTING_CUSTOMER_NOTICE_SINCE
    used_bases = bases(channel, use)
    criteria: dict[str, Any] = {
        "channel": channel,
        "use": use.key,
        "columns": COLUMNS[channel],
        "bases": used_bases,
        "purposes": list(use.consent_purposes),
        "existing_customer_exception": BASIS_EXISTING_CUSTOMER in used_bases,
        "blocking_ban_scopes": list(use.ban_scopes),
        "objection_purposes": list(use.objection_purposes),
        "minimum_age": MINIMUM_AGE,
        "suppression_list": True,
        "unsubscribe_links": {"scope": use.unsubscribe_scope, "valid_days": LINK_VALID_DAYS},
    }
    if use.recent_buyers_only:
        criteria["bought_within_months"] = TARGETING_MONTHS
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


def _audited_stream(
    *,
    actor: Any,
    label: str,
    criteria: dict[str, Any],
    header: list[str],
    rows: Callable[[], Iterator[tuple]],
    request: HttpRequest | None,
) -> Iterator[str]:
    """Record the export's start, then stream its CSV lines and record how it ended."""
    started = record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_label=label,
        details={"criteria": criteria, "stage": "started"},
        request=request,
    )

    def lines() -> Iterator[str]:
        writer = csv_export.writer(_Echo())
        count, completed = 0, False
        try:
            # In a transaction the server-side cursor streams; in autocommit PostgreSQL would
            # hold (materialise) the whole result before the first row.
            with transaction.atomic():
                yield writer.writerow(header)
                for row in rows():
                    count += 1
                    yield writer.writerow(row)
            completed = True
        finally:
            record(
                actor=actor,
                action=AuditEntry.Action.EXPORT,
                object_label=label,
                details={
                    "export": started.pk,
                    "stage": "finished",
                    "count": count,
                    "completed": completed,
                },
                request=request,
            )

    return lines()


def export_audience(
    *, actor: Any, channel: str, use: str = USE_MARKETING.key, request: HttpRequest | None = None
) -> Iterator[str]:
    """Yield the channel's audience for a use as CSV lines, recording the export in the log.

    One entry is written before the first row (criteria) and one when the stream ends, with the
    number of people sent and whether the stream was completed.
    """
    chosen = USES[use]
    if chosen.purpose is not None:
        require_in_use(chosen.purpose)
    return _audited_stream(
        actor=actor,
        label=f"audience:{channel}" if chosen is USE_MARKETING else f"audience:{use}:{channel}",
        criteria=export_criteria(channel, chosen),
        header=COLUMNS[channel],
        rows=lambda: audience_rows(channel, use=chosen),
        request=request,
    )


def export_publication_list(*, actor: Any, request: HttpRequest | None = None) -> Iterator[str]:
    """Yield the business customers that may be named in a published list, audited likewise.

    Refused (ValidationError) while the statement in force has no reference list.
    """
    require_in_use(REFERENCE_LIST)
    return _audited_stream(
        actor=actor,
        label="audience:publication",
        criteria={
            "use": "publication",
            "columns": PUBLICATION_COLUMNS,
            "blocking_ban_scopes": list(PUBLICATION_SCOPES),
            "business_customers_only": True,
        },
        header=PUBLICATION_COLUMNS,
        rows=publication_rows,
        request=request,
    )
