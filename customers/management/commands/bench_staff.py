"""Time the staff panel's customer list, search and customer page beside stock Django admin."""

import statistics
import time
from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from customers.models import ConsentEvent, Customer, Order
from privacy.roles import REGISTER_ADMIN, ensure_role_groups

# The targets for the project's panel (median ms, and queries for the customer page).
TARGETS = {
    "list": "< 50 ms",
    "email": "< 20 ms",
    "phone": "< 20 ms",
    "number": "< 20 ms",
    "surname": "< 100 ms",
    "page": "< 150 ms, < 20 q",
}


class _StockOrderInline(admin.TabularInline):
    model = Order
    extra = 0
    fields = ["number", "ordered_at", "status", "invoice_state", "total_gross"]
    readonly_fields = fields


class _StockConsentInline(admin.TabularInline):
    model = ConsentEvent
    extra = 0
    fields = ["occurred_at", "purpose", "channel", "is_granted", "via", "statement_version"]
    readonly_fields = fields


class _StockCustomerAdmin(admin.ModelAdmin):
    """What a shop gets from the Django tutorial: default search, counts and inlines."""

    list_display = ["number", "last_name", "first_name", "email", "phone", "post_office"]
    search_fields = ["first_name", "last_name", "email", "phone", "number"]
    inlines = [_StockOrderInline, _StockConsentInline]


class _Rollback(Exception):
    pass


def _summary(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


class Command(BaseCommand):
    help = (
        "Benchmark the staff panel on the current database: the customer list's first page, "
        "exact email, phone and customer-number search, a surname fragment and a customer page "
        "with --orders orders, each beside a stock ModelAdmin (default search_fields) on the same "
        "rows. Prints median and 95th percentile over --runs warm runs and the query counts. "
        "Everything it writes (a bench user, a customer's orders, audit rows) is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10, help="Warm runs per figure.")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed runs first.")
        parser.add_argument(
            "--orders", type=int, default=500, help="Orders of the customer whose page is timed."
        )
        parser.add_argument("--no-stock", action="store_true", help="Skip the stock admin.")

    def handle(self, *args, runs: int, warmup: int, orders: int, no_stock: bool, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        sample = Customer.objects.exclude(email="").exclude(phone="").order_by("pk").first()
        if sample is None:
            raise CommandError("The register has no customers: run seed_demo first.")
        rows = []
        try:
            with transaction.atomic():
                rows = self._measure(sample, runs, warmup, orders, no_stock)
                raise _Rollback
        except _Rollback:
            pass
        self._print(rows, runs)

    def _measure(self, sample, runs, warmup, orders, no_stock):
        user = get_user_model().objects.create_user("bench-staff", is_staff=True)
        user.groups.add(ensure_role_groups()[REGISTER_ADMIN])
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        ours = admin.site._registry[Customer]
        stock_site = admin.AdminSite(name="stock")
        stock = _StockCustomerAdmin(Customer, stock_site)
        page_customer = self._customer_with_orders(orders)
        fragment = (sample.last_name[1:5] or sample.last_name).lower()
        cases = [
            ("list", "customer list, first page", "changelist", {}),
            ("email", "exact email", "changelist", {"q": sample.email}),
            ("phone", "exact phone", "changelist", {"q": sample.phone}),
            ("number", "exact customer number", "changelist", {"q": sample.number}),
            ("surname", f"surname fragment {fragment!r}", "changelist", {"q": fragment}),
            ("page", f"customer page, {orders} orders", "change", {}),
        ]
        factory = RequestFactory()

        def request_for(path: str, params: dict):
            request = factory.get(path, params)
            request.user = user
            user.otp_device = device
            user.is_verified = lambda: True
            request.session = SessionStore()
            request._messages = FallbackStorage(request)
            return request

        def view(model_admin, kind: str, params: dict) -> Callable[[], None]:
            if kind == "changelist":
                return lambda: model_admin.changelist_view(request_for("/", params)).render()
            object_id = str(page_customer.pk)
            return lambda: model_admin.change_view(request_for("/", {}), object_id).render()

        rows = []
        for key, label, kind, params in cases:
            row = {"key": key, "label": label}
            for name, model_admin in (("ours", ours), ("stock", stock)):
                if name == "stock" and no_stock:
                    continue
                run = view(model_admin, kind, params)
                for _i in range(warmup):
                    run()
                timings = []
                for _i in range(runs):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        run()
                        timings.append(time.perf_counter() - started)
                row[name] = (*_summary(timings), len(queries))
            rows.append(row)
            self.stderr.write(f"  measured {label}")
        return rows

    def _customer_with_orders(self, n: int) -> Customer:
        customer = Customer.objects.create(first_name="Bench", last_name="Mittaus")
        Order.objects.bulk_create(
            Order(customer=customer, number=f"BENCH-{customer.pk}-{i:05d}") for i in range(n)
        )
        return customer

    def _print(self, rows: list[dict], runs: int) -> None:
        head = (
            f"{'figure':<34} {'ours median':>11} {'p95':>8} {'q':>4}   "
            f"{'stock median':>12} {'p95':>8} {'q':>4}   target"
        )
        self.stdout.write(f"Staff panel, {runs} warm runs per figure (ms):")
        self.stdout.write(head)
        self.stdout.write("-" * len(head))
        for row in rows:
            ours = row.get("ours")
            stock = row.get("stock")
            line = f"{row['label']:<34} {ours[0]:>11.1f} {ours[1]:>8.1f} {ours[2]:>4}   "
            line += (
                f"{stock[0]:>12.1f} {stock[1]:>8.1f} {stock[2]:>4}"
                if stock
                else f"{'–':>12} {'–':>8} {'–':>4}"
            )
            self.stdout.write(f"{line}   {TARGETS[row['key']]}")
