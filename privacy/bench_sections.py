"""Privacy figures for `manage.py bench`: access package and erasure beside `psql \\copy`.

See rekisteri/benchmarks.py for how sections plug in.
"""

from django.db import connection, transaction

from rekisteri.benchmarks import BenchContext, Figure, psql_copy, timed


def _customer_rows_sql(customer) -> list[str]:
    """Return literal SQL selecting every declared row of the customer (what the export reads)."""
    from privacy.declaration import linked_declarations

    queries = []
    for decl in linked_declarations():
        sql, params = decl.rows_for(customer).query.sql_with_params()
        queries.append(connection.ops.compose_sql(sql, params))
    return queries


def access_and_erasure(ctx: BenchContext) -> list[Figure]:
    """Access package and erasure of a heavy customer vs psql \\copy of the same rows"""
    from customers.models import Customer
    from privacy.access import build_access_files
    from privacy.erasure import erase_customer

    heavy = ctx.heavy
    runs = max(3, min(ctx.runs, 10))
    floor = psql_copy(_customer_rows_sql(heavy), runs=runs)
    access = timed(lambda: build_access_files(customer=heavy), runs=runs, warmup=1)

    def erase() -> None:
        with transaction.atomic():
            erase_customer(customer=Customer.objects.get(pk=heavy.pk), record=False)
            transaction.set_rollback(True)

    erasure = timed(erase, runs=runs, warmup=1)
    baseline = "psql \\copy of the same rows"
    return [
        Figure(
            "access package (JSON, ZIP, PDF), 500 orders, 5,000 events",
            *access,
            baseline,
            *floor,
            target="< 2 s",
        ),
        Figure("erasure, 500 orders, 5,000 events", *erasure, baseline, *floor, target="< 1 s"),
    ]


SECTIONS = [access_and_erasure]
