"""`manage.py bench` section: a Shopify export of 100,000 customers and their orders, imported
beside `psql \\copy` of the same rows.

The customer export and the order export (two lines, two VAT rates and shipping per order) are
imported in one transaction that is rolled back, so the benchmark database is left as it was.
The floor is PostgreSQL loading the very rows the import wrote (customers, consent events,
orders and their lines, read back from the import's own transaction) with `\\copy`.
"""

import csv
import io
import subprocess
import tempfile
import uuid
from pathlib import Path

from django.db import connection, models, transaction

from bench import harness as b
from customers.models import ConsentEvent, Customer, Order, OrderLine
from integrations.csv_import import RowAction, import_customers

CUSTOMERS = 100_000
RUNS = 3
TARGET = "< 120 s"
TABLES: tuple[type[models.Model], ...] = (Customer, ConsentEvent, Order, OrderLine)
CUSTOMER_HEADER = [
    "Customer ID",
    "First Name",
    "Last Name",
    "Email",
    "Accepts Email Marketing",
    "Default Address Company",
    "Default Address Address1",
    "Default Address Address2",
    "Default Address City",
    "Default Address Province Code",
    "Default Address Country Code",
    "Default Address Zip",
    "Default Address Phone",
    "Phone",
    "Accepts SMS Marketing",
    "Total Spent",
    "Total Orders",
    "Note",
    "Tax Exempt",
    "Tags",
]
ORDER_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Fulfillment Status",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Amount",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Lineitem taxable",
    "Billing Name",
    "Billing Address1",
    "Billing City",
    "Billing Zip",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Address1",
    "Shipping City",
    "Shipping Zip",
    "Shipping Country",
    "Id",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
]
FIRST_NAMES = ["Aino", "Eino", "Äijö", "Åsa", "Helmi", "Väinö", "Lempi", "Toivo", "Siiri"]
LAST_NAMES = ["Mäkelä", "Virtanen", "Öhman", "Lindén", "Korhonen", "Nieminen", "Hämäläinen"]
PLACES = [("00100", "Helsinki"), ("33100", "Tampere"), ("20100", "Turku"), ("90100", "Oulu")]


class _Rollback(Exception):
    pass


def _csv(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def make_exports(count: int, tag: str) -> tuple[bytes, bytes]:
    """Return a Shopify customer export of `count` customers and their order export."""
    customers, orders = [], []
    for n in range(count):
        zip_code, city = PLACES[n % len(PLACES)]
        first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]
        email = f"shop.{n}.{tag}@bench.example"
        phone = f"+35840{n % 10_000_000:07d}"
        street = f"Kauppakatu {n % 200 + 1}"
        customers.append(
            [
                *(f"'{tag}{n}", first, last, email, "yes" if n % 3 == 0 else "no", ""),
                *(street, "", city, "", "FI", f"'{zip_code}", "", phone),
                *("no" if n % 5 else "yes", "58.60", "1", "", "no", ""),
            ]
        )
        address = [f"{first} {last}", street, city, zip_code, "FI"]
        orders.append(
            [
                *(f"#{tag}-{n}", email, "paid", "fulfilled", "EUR", "52.70", "5.90", "10.87"),
                *("58.60", "0.00", "2025-11-03 14:22:11 +0200", "1", "Kahvipaketti 500 g"),
                *("12.90", "KAHVI-500", "true", *address, phone, *address, f"'{tag}9{n}"),
                *("FI ALV 14%", "1.58", "FI ALV 25.5%", "9.29"),
            ]
        )
        follow_up = [f"#{tag}-{n}", email, *[""] * 9, "2", "Kahvimuki", "19.90", "MUKI-1", "true"]
        orders.append(follow_up + [""] * (len(ORDER_HEADER) - len(follow_up)))
    return _csv(CUSTOMER_HEADER, customers), _csv(ORDER_HEADER, orders)


def _import_both(customers: bytes, orders: bytes, *, expect: str) -> None:
    for data in (customers, orders):
        report = import_customers(data=data, dry_run=False)
        if not report.written or {row.action for row in report.rows} != {expect}:
            raise RuntimeError(
                f"the benchmark export did not import as expected: {report.summary()}"
            )


def _dump_new_rows(before: dict, directory: Path) -> list[tuple[type[models.Model], Path]]:
    """Write the rows the import added to each table as COPY text files, in the import's
    transaction: the floor loads exactly these."""
    files = []
    with connection.cursor() as cursor:
        for model in TABLES:
            path = directory / f"{model._meta.db_table}.copy"
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in model._meta.concrete_fields
            )
            table = connection.ops.quote_name(model._meta.db_table)
            query = (
                f"COPY (SELECT {columns} FROM {table} WHERE id > {int(before[model])}) TO STDOUT"  # noqa: S608
            )
            with path.open("wb") as handle, cursor.cursor.copy(query) as copy:
                for chunk in copy:
                    handle.write(chunk)
            files.append((model, path))
    return files


def _import_and_roll_back(customers: bytes, orders: bytes, *, again: bool, dump_to=None):
    before = {model: model.objects.aggregate(top=models.Max("id"))["top"] or 0 for model in TABLES}
    files = []
    try:
        with transaction.atomic():
            _import_both(customers, orders, expect=RowAction.CREATE)
            if dump_to is not None:
                files = _dump_new_rows(before, dump_to)
            if again:
                _import_both(customers, orders, expect=RowAction.UNCHANGED)
            raise _Rollback
    except _Rollback:
        pass
    return files


def _psql_copy(files: list[tuple[type[models.Model], Path]]) -> None:
    script = ["BEGIN;"]
    for model, path in files:
        columns = ", ".join(
            connection.ops.quote_name(f.column) for f in model._meta.concrete_fields
        )
        table = connection.ops.quote_name(model._meta.db_table)
        script.append(f"\\copy {table} ({columns}) FROM '{path}'")
    script.append("ROLLBACK;")
    command, env = b.psql_command()
    result = subprocess.run(  # noqa: S603
        command,
        input="\n".join(script) + "\n",
        text=True,
        env=env,
        check=False,
        capture_output=True,
    )
    if result.returncode or "ERROR" in result.stderr:
        raise RuntimeError(f"psql \\copy failed: {result.stderr.strip()}")


def platform_section(*, runs: int) -> list[b.Figure]:
    """Time a Shopify export of 100,000 customers and their orders, and its re-run, beside
    \\copy of the rows it writes."""
    customers, orders = make_exports(CUSTOMERS, f"p{uuid.uuid4().hex[:6]}")
    runs = min(runs, RUNS)
    with tempfile.TemporaryDirectory() as directory:
        files = _import_and_roll_back(customers, orders, again=False, dump_to=Path(directory))
        rows = sum(1 for _model, path in files for _line in path.open("rb"))
        copy = b.timed(lambda: _psql_copy(files), runs=runs, warmup=1)
    first = b.timed(
        lambda: _import_and_roll_back(customers, orders, again=False), runs=runs, warmup=0
    )
    both = b.timed(
        lambda: _import_and_roll_back(customers, orders, again=True), runs=runs, warmup=0
    )
    baseline = f"psql \\copy of the same {rows:,} rows"
    label = f"Shopify export, {CUSTOMERS:,} customers + {CUSTOMERS:,} orders (2 lines each)"
    return [
        b.Figure(label, *first, baseline, *copy, target=TARGET),
        b.Figure(
            "the same two files twice (2nd changes nothing)",
            *both,
            baseline,
            *copy,
            target=TARGET + " each",
        ),
    ]
