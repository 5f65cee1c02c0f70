"""Time the access package and erasure of a heavy customer beside their database floors.

`privacy_figures()` is also a section of the project's `manage.py bench` (privacy/bench_sections).
"""

import io
import os
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from pypdf import PdfReader

from bench import harness as b
from bench.management.commands.bench import ensure_heavy_customer
from customers.models import Customer, Order, OrderLine, Shipment, TrackingEvent
from portal.auth import clear_rate_limit
from privacy.declaration import Erasure, get_declaration
from privacy.pdf import render_pdf
from rights.access import (
    build_access_archive,
    build_access_json,
    build_access_pdf,
    exported_tables,
)
from rights.erasure import anonymised_value, erase_customer, plan_erasure


class _Rollback(Exception):
    pass


def _sql(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return connection.ops.compose_sql(sql, params)


def _bulk_querysets(customer: Customer) -> list:
    """Return the customer's rows that dominate the work: customer, orders and deliveries."""
    return [
        Customer.objects.filter(pk=customer.pk).values(),
        Order.objects.filter(customer=customer).values(),
        OrderLine.objects.filter(order__customer=customer).values(),
        Shipment.objects.filter(order__customer=customer).values(),
        TrackingEvent.objects.filter(shipment__order__customer=customer).values(),
    ]


def copy_floor(customer: Customer, *, runs: int) -> tuple[float, float]:
    """Time `psql \\copy` of the customer's rows to /dev/null: reading them, nothing more."""
    return b.psql_ms(
        [f"\\copy ({_sql(qs)}) TO '/dev/null'" for qs in _bulk_querysets(customer)], runs=runs
    )


def _blanked(model) -> str:
    """Return SET assignments that blank what erasure anonymises in the model, per declaration."""
    decl = get_declaration(model)
    assignments = []
    for name, declared in decl.fields.items():
        if declared.erasure != Erasure.ANONYMISE or (model, name) == (Customer, "number"):
            continue
        value = anonymised_value(model, name, declared)
        column = model._meta.get_field(name).column
        assignments.append(
            f"{column} = {'NULL' if value is None else connection.ops.compose_sql('%s', [value])}"
        )
    return ", ".join(assignments)


def erasure_floor(customer: Customer, *, runs: int) -> tuple[float, float]:
    """Time the same deletes and blanking updates as plain SQL in one rolled-back transaction."""
    t = {m: m._meta.db_table for m in (Customer, Order, Shipment, TrackingEvent)}
    pk = int(customer.pk)
    # Table and column names from the models and an integer id: nothing here comes from outside.
    script = (
        "BEGIN; "  # noqa: S608
        f"DELETE FROM {t[TrackingEvent]} WHERE shipment_id IN (SELECT s.id FROM {t[Shipment]} s "
        f"JOIN {t[Order]} o ON o.id = s.order_id WHERE o.customer_id = {pk}); "
        f"DELETE FROM {t[Shipment]} WHERE order_id IN "
        f"(SELECT id FROM {t[Order]} WHERE customer_id = {pk}); "
        f"UPDATE {t[Order]} SET {_blanked(Order)} WHERE customer_id = {pk}; "
        f"UPDATE {t[Customer]} SET {_blanked(Customer)} WHERE id = {pk}; "
        "ROLLBACK;"
    )
    return b.psql_ms([script], runs=runs)


def _json_and_zip(customer: Customer) -> None:
    tables = exported_tables(customer)
    json_bytes = build_access_json(customer=customer, tables=tables)
    build_access_archive(json_bytes=json_bytes, tables=tables)


# The portal's download click leaves the package to the task worker; measured with the database
# task backend, as in production, so the figure is the wait the customer has.
_WORKER_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _download_click(customer: Customer):
    """Return a function that presses "Muodosta tietopaketti" as `customer`, then rolls it back."""
    client = b.portal_client(customer)
    url = reverse("portal:download")

    def press() -> None:
        clear_rate_limit(f"access-package:{customer.pk}")
        try:
            with override_settings(TASKS=_WORKER_TASKS), transaction.atomic():
                response = client.post(url)
                if response.status_code != 302:
                    raise RuntimeError(f"POST {url} answered {response.status_code}")
                raise _Rollback
        except _Rollback:
            pass

    return press


def _erase_and_roll_back(customer: Customer) -> None:
    try:
        with transaction.atomic():
            erase_customer(customer=customer, record=False)
            raise _Rollback
    except _Rollback:
        pass


def _cpu_ms(fn, *, runs: int) -> float:
    """Return the median CPU time of this process for `fn`, in ms.

    On a shared machine, other processes stretch the wall-clock time; the CPU time shows what
    the work itself costs in this process (the database server's work is not counted).
    """
    samples = []
    for _ in range(runs):
        started = time.process_time()
        fn()
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def privacy_figures(*, heavy: Customer, runs: int, floor=None) -> list[b.Figure]:
    """Measure the access package and erasure of `heavy` beside their database floors.

    The erasure runs in a transaction that is rolled back, as its SQL floor is, so the customer
    stays for the next run. With `floor` (the HTTP framework floor), the portal's download click
    is measured beside it: that is the customer's wait, as the task worker builds the package.
    """
    runs = max(3, min(runs, 10))
    tables = exported_tables(heavy)
    # A web or task worker has WeasyPrint's fonts loaded already; the first render pays for it.
    render_pdf("<p>.</p>", title="", author="", language="fi")
    pdf_floor = b.timed(
        lambda: render_pdf("<p>.</p>", title="", author="", language="fi"), runs=runs
    )
    copy = copy_floor(heavy, runs=runs)
    sql = erasure_floor(heavy, runs=runs)
    rows = sum(len(t["rows"]) for t in tables.values())
    erasure_cpu = _cpu_ms(lambda: _erase_and_roll_back(heavy), runs=runs)
    pdf = build_access_pdf(customer=heavy, tables=tables)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    # Tens of seconds a run for this customer: three runs tell enough.
    pdf_ms = b.timed(lambda: build_access_pdf(customer=heavy, tables=tables), runs=3, warmup=0)
    figures = []
    if floor is not None:
        figures.append(
            b.Figure(
                "Portal: download click, heavy customer (the worker builds the package)",
                *b.timed(_download_click(heavy), runs=runs, warmup=1),
                "minimal view, one query",
                *floor,
                target="target < 2000 ms",
            )
        )
    return [
        *figures,
        b.Figure(
            f"Access package JSON + ZIP ({rows:,} rows)",
            *b.timed(lambda: _json_and_zip(heavy), runs=runs, warmup=1),
            "psql \\copy of the same rows",
            *copy,
            target="target < 2000 ms",
        ),
        b.Figure(
            f"Access package PDF, every row ({pages} pages; task worker)",
            *pdf_ms,
            "WeasyPrint one-line page",
            *pdf_floor,
            note=f"{pages / (pdf_ms[0] / 1000):.1f} pages/s",
        ),
        b.Figure(
            "Erasure plan (dry run)",
            *b.timed(lambda: plan_erasure(customer=heavy), runs=runs, warmup=1),
            "SQL deletes and updates, rolled back",
            *sql,
        ),
        b.Figure(
            "Erasure, one transaction (rolled back)",
            *b.timed(lambda: _erase_and_roll_back(heavy), runs=runs, warmup=1),
            "SQL deletes and updates, rolled back",
            *sql,
            target="target < 1000 ms",
            note=f"app CPU {erasure_cpu:.0f} ms (PostgreSQL not counted)",
        ),
    ]


class Command(BaseCommand):
    help = (
        "Time the access package (JSON, ZIP and PDF) and the erasure of a customer with 500 "
        "orders and 5,000 tracking events (targets under 2 s and 1 s), each beside its database "
        "floor measured in the same run: psql \\copy of the same rows, and the same deletes and "
        "updates as plain SQL. PostgreSQL only; creates the heavy customer once and keeps it; "
        "erasures are rolled back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=5, help="Warm runs per figure (3–10).")

    def handle(self, *args, runs: int, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_privacy measures PostgreSQL; set DATABASE_URL.")

        heavy = ensure_heavy_customer()
        self.stdout.write(
            f"Customer {heavy.number}: {heavy.orders.count()} orders, "
            f"{TrackingEvent.objects.filter(shipment__order__customer=heavy).count()} "
            f"tracking events; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
        )
        self.stdout.write("| figure | median ms | p95 ms | baseline | median ms | p95 ms | note |")
        self.stdout.write("| --- | ---: | ---: | --- | ---: | ---: | --- |")
        with override_settings(
            ROOT_URLCONF="bench.urls", DEBUG=False, ALLOWED_HOSTS=["testserver"]
        ):
            floor = b.timed(b.get_ok(Client(), "/bench/floor/"), runs=runs)
            figures = privacy_figures(heavy=heavy, runs=runs, floor=floor)
        for f in figures:
            self.stdout.write(
                f"| {f.label} | {f.median_ms:.0f} | {f.p95_ms:.0f} | {f.baseline_label} | "
                f"{f.baseline_median_ms:.0f} | {f.baseline_p95_ms:.0f} | {f.target} {f.note} |"
            )
