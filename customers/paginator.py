"""A paginator for the staff panel's big tables that never counts the whole table."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections

# Counting stops here: a list that long is refined by searching, not paged through.
COUNT_CAP = 1000


# A table this big is counted from the planner's estimate rather than row by row.
ESTIMATE_ABOVE = 10_000


def table_count(model) -> int:
    """Return a table's row count: the planner's estimate when big, else counted exactly.

    For figures shown beside a list (the dashboard): exact for a small table, within a few per
    cent for a big one, and never a scan of a million rows on every page load.
    """
    estimate = EstimatedCountPaginator._estimate(model._default_manager.all())
    if estimate is not None and estimate > ESTIMATE_ABOVE:
        return estimate
    return model._default_manager.count()


class EstimatedCountPaginator(Paginator):
    """Count an unfiltered table from the planner's estimate, anything else up to a cap.

    `SELECT COUNT(*)` over a million rows takes hundreds of milliseconds on every page; the
    estimate (PostgreSQL `pg_class.reltuples`, kept fresh by autovacuum) is free, and a filtered
    list is counted only up to COUNT_CAP + 1 rows. `is_estimate` and `is_capped` tell the
    template to say "about" or "over" (templates/admin/pagination.html).
    """

    is_estimate = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None:
            return len(queryset)
        if not query.where and not query.combinator:
            estimate = self._estimate(queryset)
            if estimate is not None and estimate > COUNT_CAP:
                self.is_estimate = True
                return estimate
        return queryset.order_by()[: COUNT_CAP + 1].count()

    @property
    def is_capped(self) -> bool:
        """Return whether the count stopped at the cap (the list is longer than it says)."""
        return not self.is_estimate and self.count > COUNT_CAP

    @property
    def count_cap(self) -> int:
        return COUNT_CAP

    @staticmethod
    def _estimate(queryset) -> int | None:
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        # -1 means never analysed: fall back to counting.
        return int(row[0]) if row and row[0] >= 0 else None
