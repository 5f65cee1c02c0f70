"""Row counts of every table, to show that a rejected input wrote nothing."""

from django.db import connection

# Written by any request whatever its outcome: sessions, throttling, login attempts, the
# record of who viewed what. The rest must not change when an input is refused.
BOOKKEEPING = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "privacy_auditentry",
    "django_admin_log",
}


def row_counts(exclude: set[str] = BOOKKEEPING) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names()) - exclude):
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - a table name
            counts[table] = cursor.fetchone()[0]
    return counts
