"""`manage.py bench` section: the CSV import of 100,000 customers beside `psql \\copy` of them.

Every run happens in a transaction that is rolled back, so the benchmark database is left as it
was. The floor is PostgreSQL loading the very rows the import writes (same table, same indexes
and constraints) with `\\copy`, which is as fast as rows can get into that table.
"""

import subprocess
import tempfile
import uuid
from pathlib import Path

from django.db import connection, transaction

from bench import harness as b
from customers import validators as v
from customers.models import Customer
from integrations.csv_import import import_customers, plan_import
from integrations.csv_import.copy import copy_fields, copy_rows

ROWS = 100_000
RUNS = 3
TARGET = "< 60 s"
FIRST_NAMES = ["Aino", "Eino", "Äijö", "Åsa", "Helmi", "Väinö", "Lempi", "Toivo", "Siiri", "Ilmari"]
LAST_NAMES = ["Mäkelä", "Virtanen", "Öhman", "Lindén", "Korhonen", "Nieminen", "Hämäläinen"]
POST_OFFICES = [("00100", "Helsinki"), ("33100", "Tampere"), ("20100", "Turku"), ("90100", "Oulu")]
HEADER = (
    "Asiakasnumero;Etunimi;Sukunimi;Sähköposti;Puhelin;Katuosoite;Postinumero;Postitoimipaikka;"
    "Yritys;Y-tunnus"
)


class _Rollback(Exception):
    pass


def _business_id(n: int) -> str:
    # Seven digits with no valid check digit are skipped (Y-tunnus check digit 1 is impossible).
    while True:
        first = f"{1_000_000 + n % 8_999_999:07d}"
        digit = v.business_id_check_digit(first)
        if digit is not None:
            return f"{first}-{digit}"
        n += 1


def make_csv(rows: int, tag: str) -> bytes:
    """Return an Excel-style Finnish CSV (Windows-1252, `;`) of `rows` new customers."""
    lines = [HEADER]
    for n in range(rows):
        postal_code, post_office = POST_OFFICES[n % len(POST_OFFICES)]
        company, business_id = (f"Yritys {n} Oy", _business_id(n)) if n % 10 == 0 else ("", "")
        lines.append(
            ";".join(
                [
                    f"{tag}-{n}",
                    FIRST_NAMES[n % len(FIRST_NAMES)],
                    LAST_NAMES[n % len(LAST_NAMES)],
                    f"tuonti.{n}.{tag}@bench.example",
                    f"040 {n % 10_000_000:07d}",
                    f"Tuontikatu {n % 200 + 1}",
                    postal_code,
                    post_office,
                    company,
                    business_id,
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _copy_file(data: bytes, path: Path) -> str:
    """Write the rows the import would insert as a COPY text file; return the column list."""
    to_create = plan_import(data).to_create
    numbers = Customer.objects.allocate_numbers(len(to_create))

    def text(value) -> str:
        if value is None:
            return r"\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    with path.open("w", encoding="utf-8") as handle:
        for row in copy_rows(to_create, numbers):
            handle.write("\t".join(map(text, row)) + "\n")
    return ", ".join(connection.ops.quote_name(f.column) for f in copy_fields())


def _psql_copy(path: Path, columns: str) -> None:
    table = connection.ops.quote_name(Customer._meta.db_table)
    script = f"BEGIN;\n\\copy {table} ({columns}) FROM '{path}'\nROLLBACK;\n"
    command, env = b.psql_command()
    result = subprocess.run(  # noqa: S603
        command, input=script, text=True, env=env, check=False, capture_output=True
    )
    if result.returncode:
        raise RuntimeError(f"psql \\copy failed: {result.stderr.strip()}")


def _import_and_roll_back(data: bytes, *, again: bool) -> None:
    """Import the file (and, with again, import it a second time) and undo everything."""
    try:
        with transaction.atomic():
            report = import_customers(data=data, dry_run=False)
            if not report.written:
                raise RuntimeError(f"import refused the benchmark file: {report.summary()}")
            if again:
                report = import_customers(data=data, dry_run=False)
                if report.count("unchanged") != ROWS:
                    raise RuntimeError(f"re-run changed rows: {report.summary()}")
            raise _Rollback
    except _Rollback:
        pass


def import_section(*, heavy, runs: int, floor) -> list[b.Figure]:
    """Time importing 100,000 new customers, and re-importing the same file, beside \\copy."""
    data = make_csv(ROWS, f"bi{uuid.uuid4().hex[:8]}")
    runs = min(runs, RUNS)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "customers.copy"
        columns = _copy_file(data, path)
        copy = b.timed(lambda: _psql_copy(path, columns), runs=runs, warmup=1)
    first = b.timed(lambda: _import_and_roll_back(data, again=False), runs=runs, warmup=0)
    both = b.timed(lambda: _import_and_roll_back(data, again=True), runs=runs, warmup=0)
    baseline = "psql \\copy of the same rows"
    return [
        b.Figure(f"CSV import, {ROWS:,} new customers", *first, baseline, *copy, target=TARGET),
        b.Figure(
            f"CSV import, same {ROWS:,} rows twice (2nd changes nothing)",
            *both,
            baseline,
            *copy,
            target=TARGET + " each",
        ),
    ]
