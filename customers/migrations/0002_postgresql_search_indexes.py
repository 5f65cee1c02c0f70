"""Trigram indexes for name-fragment search; PostgreSQL only, the app is correct without them."""

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
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON customers_customer "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
