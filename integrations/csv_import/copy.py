"""New customers written with PostgreSQL's COPY: the same rows bulk_create would insert, faster."""

import functools
import itertools
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


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Return `count` new primary keys from the table's own sequence, as INSERTs would take.

    COPY returns no ids; taking them first lets the rows that point at the new ones (an order's
    lines) be copied in the same way.
    """
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_values(model: type[models.Model], rows: Iterable[dict]) -> None:
    """Insert rows of any model with COPY: the same rows bulk_create(model(**row)) would insert.

    A row gives values by attribute name (`customer_id`, and `id` when allocated); a field it
    leaves out takes the model's default, as the constructor would give it.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    # Left out: a primary key not allocated, and a column the database fills (db_default).
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.attname in first or not (f.primary_key or (f.has_db_default() and not f.has_default()))
    ]
    plain = {
        f.attname: f.get_default()
        for f in fields
        if f.attname not in first and not (f.has_default() and callable(f.default))
    }
    per_row = [f for f in fields if f.attname not in first and f.attname not in plain]
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in itertools.chain([first], rows):
            full = {**plain, **row}
            for f in per_row:
                full[f.attname] = f.get_default()
            copy.write_row([full[name] for name in names])
