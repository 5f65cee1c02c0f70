"""Seed a benchmark database of a chosen size and print every figure beside its baseline."""

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from decimal import Decimal

import django
import gunicorn
import psycopg
import weasyprint
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from bench import harness as b
from customers.models import Customer, Order, OrderLine, Shipment, TrackingEvent

SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}
HEAVY_EMAIL = "raskas.asiakas@bench.example"


class Command(BaseCommand):
    help = (
        "Seed a separate PostgreSQL database (rekisteri_bench_<size>, or --database) with "
        "S=10k, M=100k or L=1M customers (10 tracking events per shipment on L), then print one "
        "table of medians and p95s, each beside its baseline measured in the same run — the "
        "sections of every app's bench_sections module — and a wrk load run against gunicorn; "
        "append the report to docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="S")
        parser.add_argument("--runs", type=int, default=30, help="Warm runs per figure.")
        parser.add_argument(
            "--database", help="Benchmark database name (default rekisteri_bench_<size>)."
        )
        parser.add_argument("--skip-load", action="store_true", help="No gunicorn + wrk run.")
        parser.add_argument("--no-record", action="store_true", help="Don't write benchmarks.md.")
        parser.add_argument(
            "--only", default="", help="Run only sections whose title contains this text."
        )
        parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, size: str, **opts):
        if not opts["inside"]:
            self._prepare_and_reexec(size, opts)
            return
        heavy = ensure_heavy_customer()
        typical = typical_customer()
        figures, load, memory = self._measure(size, opts, heavy, typical)
        report = render_report(size, figures, load, memory)
        self.stdout.write("\n" + report)
        if not opts["no_record"]:
            doc = settings.BASE_DIR / "docs" / "benchmarks.md"
            with doc.open("a", encoding="utf-8") as handle:
                handle.write("\n" + report + "\n")
            self.stdout.write(f"\nAppended to {doc}")
        failed = sorted({f.section for f in figures if f.failed})
        if failed:
            raise CommandError(f"{len(failed)} section(s) failed: {', '.join(failed)}")

    def _prepare_and_reexec(self, size: str, opts: dict) -> None:
        base = dict(connection.settings_dict)
        if connection.vendor != "postgresql":
            base = {"HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres", "PASSWORD": ""}
        name = opts["database"] or f"rekisteri_bench_{size.lower()}"
        url = (
            f"postgres://{base.get('USER') or 'postgres'}:{base.get('PASSWORD') or ''}@"
            f"{base.get('HOST') or '127.0.0.1'}:{base.get('PORT') or 5432}/{name}"
        )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "true",
            "TASKS_BACKEND": "immediate",
            "CONN_MAX_AGE": "60",
        }
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if not opts["skip_load"]:
            b.wrk_path()  # fail before seeding, not after
        self._create_database(base, name)
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
        # gunicorn serves with DEBUG off, through the manifest of collected static files.
        subprocess.run(  # noqa: S603
            [*manage, "collectstatic", "--no-input", "-v0"],
            env={**env, **b.production_env()},
            check=True,
        )
        count = subprocess.run(  # noqa: S603
            [
                *manage,
                "shell",
                "-v0",
                "-c",
                "from customers.models import Customer; print(Customer.objects.count())",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        if int(count) < SIZES[size]:
            self.stdout.write(f"Seeding {SIZES[size] - int(count):,} customers into {name}…")
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
        # Fresh planner statistics, as autovacuum would eventually gather after a bulk load, and
        # no dead rows left by an earlier run's rolled-back imports (autovacuum may be off).
        subprocess.run(  # noqa: S603
            [*manage, "dbshell", "--", "-q", "-c", "VACUUM (ANALYZE)"], env=env, check=True
        )
        command = [*manage, "bench", "--inside", "--size", size, "--runs", str(opts["runs"])]
        command += ["--skip-load"] * opts["skip_load"] + ["--no-record"] * opts["no_record"]
        command += ["--only", opts["only"]] if opts["only"] else []
        result = subprocess.run(command, env=env, check=False)  # noqa: S603
        if result.returncode:
            raise CommandError("The measuring run failed or a section failed (see above).")

    def _create_database(self, base: dict, name: str) -> None:

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

    def _load_run(self, targets: list) -> tuple[list, object, list]:
        """Return the load run's results, its memory figures, and a failed row if it failed."""
        self.stderr.write(f"  load run: {', '.join(t.label for t in targets)}")
        try:
            load, memory = b.load_run(targets)
        except Exception as exc:  # reported in the table like a failed section
            failed = b.Figure(
                "load run failed",
                None,
                None,
                note=f"FAILED: {exc}"[:300],
                section="Load run",
                failed=True,
            )
            return [], None, [failed]
        return load, memory, []

    def _measure(self, size: str, opts: dict, heavy, typical):
        sections, load_targets = b.discover()
        if opts["only"]:
            sections = [s for s in sections if opts["only"].lower() in b.section_title(s).lower()]
        with override_settings(
            ROOT_URLCONF="bench.urls",
            DEBUG=False,
            ALLOWED_HOSTS=["testserver", "127.0.0.1"],
        ):
            floor = b.timed(b.get_ok(Client(), "/bench/floor/"), runs=opts["runs"])
            ctx = b.BenchContext(
                size=size,
                customers=SIZES[size],
                runs=opts["runs"],
                heavy=heavy,
                typical=typical,
                floor=floor,
            )
            # The load run goes first, on the freshly vacuumed database: the sections' rolled-back
            # writes (imports of 100,000 customers) leave dead rows and dirty pages behind, and a
            # load run after them measured the floor at half its rate (docs/benchmarks.md).
            load, memory, failed = [], None, []
            if not opts["skip_load"]:
                load, memory, failed = self._load_run([t for f in load_targets for t in f(ctx)])
            figures = b.run_sections(sections, ctx, log=self.stderr.write) + failed
        return figures, load, memory


def typical_customer():
    """Return a customer with a few orders, as most are."""

    return (
        Customer.objects.active()
        .filter(orders__isnull=False)
        .exclude(email=HEAVY_EMAIL)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def ensure_heavy_customer():
    """Return a customer with 500 orders and 5,000 tracking events, creating it once."""

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


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def render_report(size: str, figures, load, memory) -> str:
    """Return the run as a Markdown section: machine, versions, one table of figures, load."""
    lines = [
        f"## Run {timezone.localtime():%Y-%m-%d %H:%M} — size {size} ({SIZES[size]:,} customers)",
        "",
        f"Machine: {machine()}. Versions: {versions()}.",
        "",
        "| section | figure | median ms | p95 ms | baseline | baseline median ms | "
        "baseline p95 ms | target / note |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for f in figures:
        note = " ".join(x for x in (f.target, f.note) if x)
        lines.append(
            f"| {f.section} | {f.label} | {_ms(f.median_ms)} | {_ms(f.p95_ms)} | "
            f"{f.baseline_label} | {_ms(f.baseline_median_ms)} | {_ms(f.baseline_p95_ms)} | "
            f"{note} |"
        )
    if load:
        lines += [
            "",
            f"Load: wrk from a second process, 16 connections, against gunicorn "
            f"(deploy/gunicorn.conf.py, {memory.workers} workers; cache: {memory.cache}); "
            "figures of each page's median round after a warm-up round (req/s of every round "
            "beside it).",
            "",
            "| page | requests | req/s | median ms | p95 ms | target | req/s of each round |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        lines += [
            f"| {r.label} | {r.requests:,} | {r.rps:.0f} | {r.median_ms:.1f} | {r.p95_ms:.1f} | "
            f"{r.target} | {', '.join(f'{x:.0f}' for x in r.rounds_rps)} |"
            for r in load
        ]
        rounds = ", ".join(f"{mb:.0f}" for mb in memory.after_round_mb)
        lines += [
            "",
            f"Worker memory (largest worker, MB, after each round): {rounds} — "
            f"{memory.after_round_mb[-1]:.0f} MB after {memory.requests:,} requests, "
            f"{'still growing' if memory.grows else 'not growing'} (target < 150 MB, flat).",
        ]
    return "\n".join(lines)


def machine() -> str:
    """Return the CPU model, core count and memory of this machine."""
    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            models = [line for line in handle if line.startswith("model name")]
        cpu = models[0].split(":", 1)[1].strip() if models else cpu
        with open("/proc/meminfo", encoding="utf-8") as handle:
            ram = int(handle.readline().split()[1]) / 1024 / 1024
    except OSError:
        ram = 0
    return f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM"


def versions() -> str:
    """Return the versions that matter for the figures."""

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    return (
        f"Python {platform.python_version()}, Django {django.__version__}, PostgreSQL {pg}, "
        f"psycopg {psycopg.__version__}, WeasyPrint {weasyprint.__version__}, "
        f"gunicorn {gunicorn.__version__}"
    )
