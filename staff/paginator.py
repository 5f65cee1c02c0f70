"""Lists of the staff panel's big tables: never a count of the whole table, often no count."""

from functools import cached_property

from django.contrib.admin.views.main import ChangeList
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


class FirstPageChangeList(ChangeList):
    """A change list that reads its first page before counting anything.

    A first page that is not full is the whole list, so it is its own count: an exact search
    (one customer by email, phone or number) then costs one query for its rows and none for a
    count. A full first page is counted as before (estimate or capped count), and the rows
    already read are the page, so no list costs more queries than the admin's own.
    """

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        # A list reads only the columns it shows, where its admin names them.
        columns = getattr(self.model_admin, "list_columns", None)
        return queryset.only(*columns) if columns else queryset

    def get_results(self, request) -> None:
        if self.page_num != 1 or self.show_all or self.list_editable:
            super().get_results(request)
            return
        per_page = self.list_per_page
        head = list(self.queryset[: per_page + 1])
        paginator = self.model_admin.get_paginator(request, self.queryset, per_page)
        if len(head) <= per_page:
            # cached_property: the instance attribute is the count from here on.
            paginator.count = len(head)
        count = paginator.count
        self.result_count = count
        self.full_result_count = None
        self.show_full_result_count = False
        # As the admin does without full counts: the actions are offered on any list.
        self.show_admin_actions = True
        self.can_show_all = count <= self.list_max_show_all
        self.multi_page = count > per_page
        self.paginator = paginator
        self.result_list = head[:per_page]


class BigTableAdminMixin:
    """For a table of up to millions of rows: estimated or capped counts, first page first.

    `list_columns`, where set, names the columns the list page reads (`QuerySet.only`).
    """

    list_columns: list[str] | None = None

    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return FirstPageChangeList
