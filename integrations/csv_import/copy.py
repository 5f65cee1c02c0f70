"""New customers written with PostgreSQL's COPY: the same rows bulk_create would insert, faster."""

import functools
from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone

from customers.models import Customer


@functools.cache
def copy_fields() -> list[models.Field]:
    """Return the customer columns a COPY of new customers fills (all but the id)."""
    return [f for f in Customer._meta.concrete_fields if not f.primary_key]


def copy_rows(rows: list[dict], numbers: list[str]) -> Iterable[list]:
    """Yield new customers' column values in copy_fields() order, as Customer() would set them.

    Defaults come from the model's fields, so a new field with a default needs no change here.
    """
    now = timezone.now()
    template = {}
    per_row = []
    for f in copy_fields():
        if f.name in ("created_at", "updated_at", "last_activity_at"):
            template[f.attname] = now
        elif f.has_default() and callable(f.default):
            per_row.append(f)
        else:
            template[f.attname] = f.get_default()
    template["source"] = Customer.Source.IMPORT
    names = [f.attname for f in copy_fields()]
    for values, number in zip(rows, numbers, strict=True):
        row = {**template, **values, "number": number}
        for f in per_row:
            row[f.attname] = f.get_default()
        yield [row[name] for name in names]


def copy_into(rows: list[dict], numbers: list[str]) -> None:
    """Insert new customers with PostgreSQL's COPY: several times faster than INSERTs."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in copy_fields())
    table = connection.ops.quote_name(Customer._meta.db_table)
    # Customer's columns are text, dates, booleans and a UUID, which psycopg adapts itself.
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in copy_rows(rows, numbers):
            copy.write_row(row)
