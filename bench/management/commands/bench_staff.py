"""Time the staff panel beside stock Django admin on the same rows, in one run.

Pages are fetched through the whole stack (middleware, session, TOTP check, audit writes) with
Django's test client: the customer list, exact email, phone and number search, a surname
fragment, a customer page with many orders, the dashboard, and the streamed audience exports.
Everything written (a bench user, a customer's orders, audit rows) is rolled back.
"""

import datetime as dt
import re
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import harness as b
from customers.audiences import DATA_COLUMNS, export_audience
from customers.models import BanRegisterEntry, Channel, Customer, Order, Shipment
from staff.roles import REGISTER_ADMIN, ensure_role_groups

STOCK = "/stock-admin/customers/customer/"
OURS = "/hallinta/customers/customer/"
# The targets (median, warm).
TARGETS = {
    "list": "< 50 ms",
    "email": "< 20 ms",
    "phone": "< 20 ms",
    "number": "< 20 ms",
    "surname": "< 100 ms",
    "page": "< 150 ms, < 20 queries",
    "export": "< 30 s, flat memory",
}


class _Rollback(Exception):
    pass


def _summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ]


def _timed_get(client: Client, url: str, params: dict, runs: int, warmup: int):
    """Return (median ms, p95 ms, queries of one run) of GETting a page that must be 200."""

    def fetch() -> None:
        response = client.get(url, params)
        if response.status_code != 200:
            raise CommandError(f"GET {url} {params} answered {response.status_code}")

    for _i in range(warmup):
        fetch()
    samples = []
    for _i in range(runs):
        started = time.perf_counter()
        fetch()
        samples.append((time.perf_counter() - started) * 1000)
    # Counted on one more, untimed run: capturing queries puts a debug cursor around each one,
    # which production does not have.
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return (*_summary(samples), len(captured))


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def _export_run(user, channel: str) -> tuple[float, int, float, float]:
    """Stream one audience to nowhere; return (seconds, rows, RSS at start MB, peak RSS MB)."""
    start_rss = peak = _rss_mb()
    rows = 0
    started = time.perf_counter()
    for _line in export_audience(actor=user, channel=channel):
        rows += 1
        if rows % 20_000 == 0:
            peak = max(peak, _rss_mb())
    seconds = time.perf_counter() - started
    return seconds, rows - 1, start_rss, max(peak, _rss_mb())


def customer_with_orders(n: int) -> Customer:
    """Create (inside the caller's rolled-back transaction) a customer with n shipped orders."""
    customer = Customer.objects.create(first_name="Bench", last_name="Mittaus")
    start = timezone.now() - dt.timedelta(days=n)
    orders = Order.objects.bulk_create(
        Order(
            customer=customer,
            number=f"BENCH-{customer.pk}-{i:05d}",
            ordered_at=start + dt.timedelta(days=i),
            total_net=Decimal("10.00"),
            total_vat=Decimal("2.55"),
            total_gross=Decimal("12.55"),
        )
        for i in range(n)
    )
    Shipment.objects.bulk_create(
        Shipment(order=o, carrier="posti", tracking_code=f"JJFIBENCH{o.pk}") for o in orders
    )
    return customer


def _client_for(user, device) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def staff_figures(
    *,
    runs: int,
    warmup: int,
    page_customer: Customer,
    stock: bool = True,
    export: bool = True,
    progress: Callable[[str], None] = lambda _label: None,
) -> list[b.Figure]:
    """Measure every staff figure beside its baseline; the caller rolls the writes back."""
    sample = (
        Customer.objects.active()
        .exclude(email="")
        .exclude(phone="")
        .exclude(last_name="")
        .order_by("pk")
        .first()
    )
    if sample is None:
        raise CommandError("The register has no customers with contact details: seed it first.")
    user = get_user_model().objects.create_user("bench-staff", is_staff=True)
    user.groups.add(ensure_role_groups()[REGISTER_ADMIN])
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    figures: list[b.Figure] = []
    fragment = sample.last_name[1:5].lower()
    cases = [
        ("list", "Staff: customer list, first page", "", {}),
        ("email", "Staff: search by exact email", "", {"q": sample.email}),
        ("phone", "Staff: search by exact phone", "", {"q": sample.phone}),
        ("number", "Staff: search by customer number", "", {"q": sample.number}),
        ("surname", f"Staff: surname fragment {fragment!r}", "", {"q": fragment}),
        (
            "page",
            f"Staff: customer page, {page_customer.orders.count()} orders",
            f"{page_customer.pk}/change/",
            {},
        ),
    ]
    # As in production: DEBUG off (CaptureQueriesContext still counts the queries).
    with override_settings(
        ROOT_URLCONF="bench.stock_admin",
        ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
        DEBUG=False,
    ):
        client = _client_for(user, device)
        for key, label, suffix, params in cases:
            ours = _timed_get(client, OURS + suffix, params, runs, warmup)
            base = _timed_get(client, STOCK + suffix, params, runs, warmup) if stock else None
            figures.append(
                b.Figure(
                    label,
                    ours[0],
                    ours[1],
                    "stock ModelAdmin" if base else "",
                    base[0] if base else None,
                    base[1] if base else None,
                    target=TARGETS[key],
                    note=f"{ours[2]} queries" + (f" (stock {base[2]})" if base else ""),
                )
            )
            progress(label)
        figures += _dashboard_figures(client, runs, warmup)
        progress("dashboard")
    if export:
        figures += _export_figures(user, runs=min(runs, 3), progress=progress)
    return figures


def _dashboard_figures(client: Client, runs: int, warmup: int) -> list[b.Figure]:
    def cold() -> None:
        cache.clear()
        client.get("/hallinta/")

    cold_ms = b.timed(cold, runs=min(runs, 5), warmup=1)
    warm = _timed_get(client, "/hallinta/", {}, runs, warmup)
    naive = b.timed(
        lambda: (Customer.objects.count(), Order.objects.count()), runs=min(runs, 5), warmup=1
    )
    baseline = "exact COUNT(*) of customers and orders"
    return [
        b.Figure("Staff: dashboard, cache cold", *cold_ms, baseline, *naive),
        b.Figure(
            "Staff: dashboard, cached",
            warm[0],
            warm[1],
            baseline,
            *naive,
            note=f"{warm[2]} queries",
        ),
    ]


def _export_figures(user, *, runs: int, progress) -> list[b.Figure]:

    tables = connection.introspection.table_names()
    # The email audience is also timed with the existing-customer exception on (every purchase
    # counts as informed): the largest audience and the heaviest query.
    variants = [(Channel.EMAIL, None), (Channel.EMAIL, dt.date(2000, 1, 1))]
    variants += [(c, None) for c in (Channel.SMS, Channel.POST, Channel.PHONE)]
    figures = []
    for channel, notice_since in variants:
        if (
            channel in (Channel.POST, Channel.PHONE)
            and BanRegisterEntry._meta.db_table not in tables
        ):
            continue  # the restriction-list table's migration is not applied here
        overrides = {"EXISTING_CUSTOMER_NOTICE_SINCE": notice_since} if notice_since else {}
        samples, rows, start_rss, peak = [], 0, 0.0, 0.0
        with override_settings(**overrides):
            for _i in range(runs):
                seconds, rows, start_rss, run_peak = _export_run(user, channel)
                samples.append(seconds * 1000)
                peak = max(peak, run_peak)
        median, p95 = _summary(samples)
        note = f"{rows:,} rows; RSS {start_rss:.0f} → peak {peak:.0f} MB"
        baseline = (None, None)
        if connection.vendor == "postgresql":
            # The stored columns; the export adds the basis and the signed opt-out link per row.
            columns = ", ".join(DATA_COLUMNS[channel])
            query = f"SELECT {columns} FROM customers_customer WHERE erased_at IS NULL"  # noqa: S608
            baseline = b.psql_copy([query], runs=runs)
        label = f"Staff: {channel.value} audience CSV export"
        if notice_since:
            label += " (with existing customers)"
        figures.append(
            b.Figure(
                label,
                median,
                p95,
                "psql \\copy of the same columns, no rules",
                *baseline,
                target=TARGETS["export"],
                note=note,
            )
        )
        progress(label)
    return figures


def staff_section(*, heavy: Customer, runs: int, floor) -> list[b.Figure]:
    """The `manage.py bench` section: every staff figure, with its writes rolled back."""
    figures: list[b.Figure] = []
    try:
        with transaction.atomic():
            figures = staff_figures(runs=runs, warmup=2, page_customer=heavy)
            raise _Rollback
    except _Rollback:
        pass
    return figures


class Command(BaseCommand):
    help = (
        "Benchmark the staff panel on the current database beside a stock ModelAdmin (default "
        "search_fields, exact counts, inlines) on the same rows: the customer list, exact email, "
        "phone and number search, a surname fragment, a customer page with --orders orders, the "
        "dashboard and the streamed audience exports (time, rows, peak memory). Prints medians "
        "and 95th percentiles of warm runs. Everything it writes is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10, help="Warm runs per figure.")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed runs first.")
        parser.add_argument(
            "--orders", type=int, default=500, help="Orders of the customer whose page is timed."
        )
        parser.add_argument("--no-stock", action="store_true", help="Skip the stock admin.")
        parser.add_argument(
            "--no-export", dest="export", action="store_false", help="Skip audience exports."
        )

    def handle(self, *args, runs: int, warmup: int, orders: int, no_stock: bool, export: bool, **o):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        figures: list[b.Figure] = []
        try:
            with transaction.atomic():
                figures = staff_figures(
                    runs=runs,
                    warmup=warmup,
                    page_customer=customer_with_orders(orders),
                    stock=not no_stock,
                    export=export,
                    progress=lambda label: self.stderr.write(f"  measured {label}"),
                )
                raise _Rollback
        except _Rollback:
            pass
        self._print(figures, runs)

    def _print(self, figures: list[b.Figure], runs: int) -> None:
        head = f"{'figure':<44} {'median':>9} {'p95':>9}   {'baseline median':>15} {'p95':>9}"
        self.stdout.write(f"Staff panel, {runs} warm runs per figure (ms); baseline beside:")
        self.stdout.write(head)
        self.stdout.write("-" * len(head))
        for f in figures:
            base = (
                f"{f.baseline_median_ms:>15.1f} {f.baseline_p95_ms:>9.1f}"
                if f.baseline_median_ms is not None
                else f"{'–':>15} {'–':>9}"
            )
            self.stdout.write(f"{f.label:<44} {f.median_ms:>9.1f} {f.p95_ms:>9.1f}   {base}")
            details = "; ".join(x for x in (f.baseline_label, f.target, f.note) if x)
            self.stdout.write(f"    {details}")
