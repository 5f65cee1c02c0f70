"""Loading the demo rows fast: PostgreSQL's COPY, with keys and indexes rebuilt once at the end.

The rows are what Django's bulk_create would insert (demo.customers makes them); this is only
the speed-up for large seeds (`seed_demo --customers 100000`).
"""

import datetime as dt
import json
import uuid
from decimal import Decimal

from django.db import connection, models

from customers.models import (
    ConsentEvent,
    Customer,
    CustomerNote,
    Disclosure,
    MarketingBan,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
)


def _escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


# COPY text format per Python type; str() is right for numbers, decimals, dates and UUIDs.
_COPY_FORMAT = {
    str: _escape,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: "\\N",
    int: str,
    Decimal: str,
    dt.datetime: str,
    dt.date: str,
    uuid.UUID: str,
}


def to_copy_text(rows: list[tuple]) -> str:
    """Return rows in PostgreSQL's COPY text format."""
    fmt = _COPY_FORMAT
    return "".join("\t".join([fmt[type(v)](v) for v in row]) + "\n" for row in rows)


def attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


class Writer:
    """Write rows of one model with COPY (PostgreSQL) or bulk_create (other databases)."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def write(self, model: type[models.Model], columns: list[str], rows: list[tuple] | str) -> None:
        if not rows:
            return
        if self.postgres:
            table = model._meta.db_table
            names = ", ".join(model._meta.get_field(c).column for c in columns)
            data = rows if isinstance(rows, str) else to_copy_text(rows)
            with connection.cursor() as cursor:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    copy.write(data)
        else:
            json_columns = {
                c for c in columns if isinstance(model._meta.get_field(c), models.JSONField)
            }
            objs = []
            for row in rows:
                values = dict(zip(columns, row, strict=True))
                for c in json_columns:
                    values[c] = json.loads(values[c])
                objs.append(model(**{attname(model, k): val for k, val in values.items()}))
            model.objects.bulk_create(objs, batch_size=500)

    def reset_sequences(self, models_: list[type[models.Model]]) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )


COLUMNS = {
    Customer: [
        "id",
        "code",
        "number",
        "external_id",
        "first_name",
        "last_name",
        "street_address",
        "postal_code",
        "post_office",
        "country",
        "phone",
        "email",
        "company",
        "business_id",
        "preferred_language",
        "birth_date",
        "profession",
        "interests",
        "source",
        "is_restricted",
        "created_at",
        "updated_at",
        "last_activity_at",
        "erased_at",
    ],
    Order: [
        "id",
        "code",
        "customer",
        "number",
        "external_id",
        "ordered_at",
        "status",
        "invoice_state",
        *Order.BILLING_FIELDS,
        *Order.DELIVERY_FIELDS,
        "customer_note",
        "total_net",
        "total_vat",
        "total_gross",
        "created_at",
    ],
    OrderLine: ["id", "order", "product_name", "sku", "quantity", "unit_price_net", "vat_rate"],
    Shipment: [
        "id",
        "code",
        "order",
        "external_id",
        "carrier",
        "tracking_code",
        "shipped_at",
        "delivered_at",
    ],
    TrackingEvent: ["id", "shipment", "occurred_at", "status", "description", "location"],
    ConsentEvent: [
        "id",
        "customer",
        "purpose",
        "channel",
        "is_granted",
        "occurred_at",
        "via",
        "statement_version",
        "wording",
        "evidence",
    ],
    MarketingBan: ["id", "customer", "channel", "scope", "created_at", "lifted_at", "via"],
    Disclosure: [
        "id",
        "customer",
        "order",
        "listed_recipient",
        "recipient",
        "recipient_kind",
        "fields",
        "reason",
        "disclosed_at",
    ],
    CustomerNote: ["id", "customer", "author", "kind", "body", "created_at"],
}

CHUNK_SIZE = 5_000
# From this many customers on, foreign keys and secondary indexes are dropped during the load and
# rebuilt afterwards (in the same transaction): one validating join and one index build are far
# cheaper than millions of per-row checks and index insertions.
BULK_THRESHOLD = 50_000


class DeferredSchema:
    """Drop foreign keys and secondary indexes of the seeded tables; restore them on exit."""

    def __init__(self, models_: list[type[models.Model]]) -> None:
        self.tables = [m._meta.db_table for m in models_]
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.indexes: list[tuple[str, str]] = []

    def __enter__(self) -> "DeferredSchema":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' "
                "AND (c.conrelid::regclass::text = ANY(%s) "
                "OR c.confrelid::regclass::text = ANY(%s))",
                [self.tables, self.tables],
            )
            self.foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema() "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [self.tables],
            )
            self.indexes = cursor.fetchall()
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            return  # the transaction rolls back and restores everything
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _name, definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
