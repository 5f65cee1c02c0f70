"""Trigram indexes for name-fragment search; PostgreSQL only, the app is correct without them.

Built CONCURRENTLY, outside a transaction, so an install upgrading past this migration with a
full customer table keeps taking writes while they build (docs/deploy.md, "Upgrades"). Released
in 0.1.0 with a plain CREATE INDEX; changed in 0.4.0 because the end state is the same: an
install that applied it keeps its indexes (a migration is never run twice), and one that has
not gets them without blocking.
"""

from django.db import migrations

# Django's icontains compiles to UPPER(col::text) LIKE UPPER(%term%), so the indexes are on that
# expression.
INDEXES = {
    "customer_last_name_trgm": "last_name",
    "customer_first_name_trgm": "first_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [name]
            )
            row = cursor.fetchone()
        if row and row[0]:
            # A concurrent build that was interrupted leaves an invalid index: build it again.
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON customers_customer "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
