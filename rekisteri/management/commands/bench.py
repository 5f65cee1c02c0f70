"""Seed a benchmark database of a chosen size and print every figure beside its baseline."""

import datetime as dt
import os
import platform
import subprocess
import sys
from decimal import Decimal

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from customers.management.commands.bench_staff import staff_section
from rekisteri import benchmarks as b

SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}
HEAVY_EMAIL = "raskas.asiakas@bench.example"


class Command(BaseCommand):
    help = (
        "Seed a separate PostgreSQL database (rekisteri_bench_<size>) with S=10k, M=100k or "
        "L=1M customers, then print medians and p95s of the staff, portal, statement and privacy "
        "figures beside their baselines measured in the same run, and append them to "
        "docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="S")
        parser.add_argument("--runs", type=int, default=30, help="Warm runs per figure.")
        parser.add_argument("--skip-load", action="store_true", help="No gunicorn + wrk run.")
        parser.add_argument("--no-record", action="store_true", help="Don't write benchmarks.md.")
        parser.add_argument("--inside", action="store_true", help=argparse_suppress())

    def handle(self, *args, size: str, runs: int, skip_load: bool, no_record: bool, **opts):
        if not opts["inside"]:
            self._prepare_and_reexec(size, runs, skip_load, no_record)
            return
        figures, load, memory = self._measure(size, runs, skip_load)
        report = render_report(size, figures, load, memory)
        self.stdout.write(report)
        if not no_record:
            path = settings.BASE_DIR / "docs" / "benchmarks.md"
            with path.open("a", encoding="utf-8") as handle:
                handle.write("\n" + report + "\n")
            self.stdout.write(f"Appended to {path}")

    def _prepare_and_reexec(self, size: str, runs: int, skip_load: bool, no_record: bool) -> None:
        base = dict(connection.settings_dict)
        if connection.vendor != "postgresql":
            base = {"HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres", "PASSWORD": ""}
        name = f"rekisteri_bench_{size.lower()}"
        url = (
            f"postgres://{base.get('USER') or 'postgres'}:{base.get('PASSWORD') or ''}@"
            f"{base.get('HOST') or '127.0.0.1'}:{base.get('PORT') or 5432}/{name}"
        )
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "TASKS_BACKEND": "immediate"}
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        self._create_database(base, name)
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
        count = (
            subprocess.run(  # noqa: S603
                [
                    *manage,
                    "shell",
                    "-c",
                    "from customers.models import Customer; print(Customer.objects.count())",
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        if int(count) < SIZES[size]:
            self.stdout.write(f"Seeding {SIZES[size]:,} customers into {name}…")
            seed = [
                *manage,
                "seed_demo",
                "--customers",
                str(SIZES[size] - int(count)),
                "--seed",
                "1",
                "--append",
                "--tracking-events",
                "10" if size == "L" else "3",
            ]
            subprocess.run(seed, env=env, check=True)  # noqa: S603
        command = [*manage, "bench", "--inside", "--size", size, "--runs", str(runs)]
        command += ["--skip-load"] * skip_load + ["--no-record"] * no_record
        result = subprocess.run(command, env=env, check=False)  # noqa: S603
        if result.returncode:
            raise CommandError("The measuring run failed.")

    def _create_database(self, base: dict, name: str) -> None:
        import psycopg

        conninfo = (
            f"host={base.get('HOST') or '127.0.0.1'} port={base.get('PORT') or 5432} "
            f"user={base.get('USER') or 'postgres'} dbname=postgres"
        )
        with psycopg.connect(
            conninfo, password=base.get("PASSWORD") or None, autocommit=True
        ) as db:
            exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                db.execute(f'CREATE DATABASE "{name}"')

    def _measure(self, size: str, runs: int, skip_load: bool):
        heavy = ensure_heavy_customer()
        figures: list[b.Figure] = []
        with override_settings(
            ROOT_URLCONF="rekisteri.benchmarks_urls",
            DEBUG=False,
            ALLOWED_HOSTS=["testserver", "127.0.0.1"],
        ):
            portal = portal_client(heavy)
            anonymous = Client()
            floor = b.timed(b.get_ok(anonymous, "/bench/floor/"), runs=runs)
            orders = b.timed(b.get_ok(portal, "/oma/tilaukset/"), runs=runs)
            figures.append(_vs_floor("Portal orders page (500 orders)", orders, floor))
            typical = portal_client(typical_customer())
            figures.append(
                _vs_floor(
                    "Portal orders page (typical customer)",
                    b.timed(b.get_ok(typical, "/oma/tilaukset/"), runs=runs),
                    floor,
                )
            )
            for section in EXTRA_SECTIONS:
                try:
                    figures.extend(section(heavy=heavy, runs=runs, floor=floor))
                except Exception as exc:  # a section that fails is reported, not hidden
                    figures.append(b.Figure(section.__name__, 0, 0, note=f"FAILED: {exc!r}"))
        load, memory = [], {}
        if not skip_load:
            cookie = portal_cookie(typical_customer())
            targets = [
                ("portal orders page", "/oma/tilaukset/", {"Cookie": cookie}),
                ("framework floor", "/bench/floor/", {}),
            ]
            targets += list(EXTRA_LOAD_TARGETS)
            load, memory = b.load_run(targets)
        return figures, load, memory


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS


def _vs_floor(label: str, ours: tuple[float, float], floor: tuple[float, float]) -> b.Figure:
    return b.Figure(label, *ours, "minimal view, one query", *floor)


def typical_customer():
    from customers.models import Customer

    return Customer.objects.filter(orders__isnull=False).exclude(email=HEAVY_EMAIL).first()


def portal_client(customer) -> Client:
    client = Client()
    session = client.session
    now = timezone.now().timestamp()
    # A far-future "seen" time keeps the session from going idle during long runs.
    session["portal_customer"] = {
        "id": customer.pk,
        "verified_at": now,
        "seen_at": now + 10**7,
        "method": "bench",
    }
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def portal_cookie(customer) -> str:
    client = portal_client(customer)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@transaction.atomic
def ensure_heavy_customer():
    """Return a customer with 500 orders and 5,000 tracking events, creating it once."""
    from customers.models import Customer, Order, OrderLine, Shipment, TrackingEvent

    heavy = Customer.objects.filter(email=HEAVY_EMAIL).first()
    if heavy:
        return heavy
    heavy = Customer.objects.create(
        first_name="Raskas",
        last_name="Asiakas",
        email=HEAVY_EMAIL,
        phone="+358401112223",
        street_address="Testikatu 5",
        postal_code="00100",
        post_office="Helsinki",
    )
    start = timezone.now() - dt.timedelta(days=900)
    orders = Order.objects.bulk_create(
        Order(
            customer=heavy,
            number=f"BENCH{heavy.pk}-{i:04d}",
            ordered_at=start + dt.timedelta(days=i * 1.7),
            status="shipped",
            invoice_state="paid",
            billing_name="Raskas Asiakas",
            delivery_name="Raskas Asiakas",
            delivery_street="Testikatu 5",
            delivery_postal_code="00100",
            delivery_post_office="Helsinki",
            total_net=Decimal("10.00"),
            total_vat=Decimal("2.55"),
            total_gross=Decimal("12.55"),
        )
        for i in range(500)
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=o,
            product_name="Postikortti",
            quantity=1,
            unit_price_net=Decimal("10.00"),
            vat_rate=Decimal("25.5"),
        )
        for o in orders
    )
    shipments = Shipment.objects.bulk_create(
        Shipment(
            order=o, carrier="posti", tracking_code=f"JJFIBENCH{o.pk}", shipped_at=o.ordered_at
        )
        for o in orders
    )
    TrackingEvent.objects.bulk_create(
        TrackingEvent(
            shipment=s,
            occurred_at=s.shipped_at + dt.timedelta(hours=h),
            status="in_transit",
            description="Lähetys matkalla",
            location="Vantaa",
        )
        for s in shipments
        for h in range(10)
    )
    return heavy


# Feature sections register here: callables (heavy=, runs=, floor=) -> list[Figure].
EXTRA_SECTIONS: list = [staff_section]
EXTRA_LOAD_TARGETS: list = []


def render_report(size: str, figures, load, memory) -> str:
    """Return the run as a Markdown section: machine, versions, figures, load."""
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    lines = [
        f"## Run {timezone.localtime():%Y-%m-%d %H:%M} — size {size} ({SIZES[size]:,} customers)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{_memory_gb():.0f} GiB; Python {platform.python_version()}, Django {django.__version__}, "
        f"PostgreSQL {pg}, psycopg {psycopg.__version__}.",
        "",
        "| figure | median ms | p95 ms | baseline | baseline median ms | baseline p95 ms | note |",
        "| --- | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for f in figures:
        base_med = f"{f.baseline_median_ms:.1f}" if f.baseline_median_ms is not None else ""
        base_p95 = f"{f.baseline_p95_ms:.1f}" if f.baseline_p95_ms is not None else ""
        note = " ".join(x for x in (f.target, f.note) if x)
        lines.append(
            f"| {f.label} | {f.median_ms:.1f} | {f.p95_ms:.1f} | {f.baseline_label} | "
            f"{base_med} | {base_p95} | {note} |"
        )
    if load:
        lines += [
            "",
            "Load (wrk, 16 connections, gunicorn):",
            "",
            "| target | requests | req/s | median ms | p95 ms |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {r.label} | {r.requests} | {r.rps:.0f} | {r.median_ms:.1f} | {r.p95_ms:.1f} |"
            for r in load
        ]
        lines += [
            "",
            f"Worker memory: {memory['worker_rss_before_mb']:.0f} MB at start, "
            f"{memory['worker_rss_after_mb']:.0f} MB after {memory['requests']:,} requests.",
        ]
    return "\n".join(lines)


def _memory_gb() -> float:
    with open("/proc/meminfo") as handle:
        return int(handle.readline().split()[1]) / 1024 / 1024
