"""The staff panel's front page: each role's figures, queue and charts (staff.charts).

The request queue is read live (a small table, two queries). Figures over the big tables are
estimates (PostgreSQL's planner statistics) or cached: the register counts for CACHE_SECONDS,
the monthly consent and ban figures for MONTHLY_CACHE_SECONDS, so no page load counts a
million rows; the page says when the cached figures were computed.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from customers.models import BanChannel, Channel, ConsentEvent, Customer, MarketingBan, Order
from rekisteri.backups import backup_status
from rights.models import OPEN_STATUSES, DataSubjectRequest, ErasureLedger, RecipientNotification
from staff.charts import Series, bar_chart, stacked_columns
from staff.paginator import table_count
from staff.roles import REGISTER_ADMIN, has_role
from statement.publishing import stale_reason

CACHE_SECONDS = 600
# How long the front page trusts its last check that the statement still matches the register.
STALE_SECONDS = 60
MONTHLY_CACHE_SECONDS = 3600
MONTHS = 12
WEEKS = 4
QUEUE_LENGTH = 15


def month_starts(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """Return the first days of the last `months` months, the current one last."""
    year, month = today.year, today.month
    starts = []
    for _i in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _month_label(day: dt.date) -> str:
    return f"{day.month}/{day.year % 100:02d}"


def _monthly(queryset, field: str, since: dt.datetime, channels) -> dict[str, dict[dt.date, int]]:
    """Return {channel: {month start: count}} of a queryset's rows since a time, in one query."""
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = (
        queryset.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field, tzinfo=zone))
        .values_list("channel", "month")
        .annotate(n=Count("id"))
    )
    counts: dict[str, dict[dt.date, int]] = {c.value: {} for c in channels}
    for channel, month, n in rows:
        day = month.date() if isinstance(month, dt.datetime) else month
        counts.setdefault(channel, {})[day] = n
    return counts


def _monthly_table(months: list[dt.date], channels, counts) -> dict[str, Any]:
    return {
        "headers": [str(c.label) for c in channels],
        "rows": [(_month_label(m), [counts[c.value].get(m, 0) for c in channels]) for m in months],
    }


def marketing_figures(today: dt.date) -> dict[str, Any]:
    """Return the last twelve months of consents granted and withdrawn and of bans set."""
    months = month_starts(today)
    since = dt.datetime.combine(months[0], dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    granted = _monthly(ConsentEvent.objects.filter(is_granted=True), "occurred_at", since, Channel)
    withdrawn = _monthly(
        ConsentEvent.objects.filter(is_granted=False), "occurred_at", since, Channel
    )
    bans = _monthly(MarketingBan.objects.all(), "created_at", since, BanChannel)
    labels = [_month_label(m) for m in months]
    charts = []
    for key, title, channels, counts in (
        ("granted", _("Annetut suostumukset kuukausittain kanavan mukaan"), Channel, granted),
        ("withdrawn", _("Perutut suostumukset kuukausittain kanavan mukaan"), Channel, withdrawn),
        ("bans", _("Asetetut markkinointikiellot kuukausittain kanavan mukaan"), BanChannel, bans),
    ):
        series = [
            Series(str(c.label), [counts[c.value].get(m, 0) for m in months]) for c in channels
        ]
        charts.append(
            {
                "title": title,
                "svg": stacked_columns(title, labels, series, key=key),
                "table": _monthly_table(months, channels, counts),
            }
        )
    return {"charts": charts, "computed_at": timezone.now()}


def request_queue(today: dt.date) -> dict[str, Any]:
    """Return open requests by due window (overdue first) and by status, and the queue itself."""
    open_requests = DataSubjectRequest.objects.open()
    windows: list[tuple[str, Q]] = [(_("myöhässä"), Q(due_date__lt=today))]
    for week in range(WEEKS):
        start = today + dt.timedelta(days=7 * week)
        end = start + dt.timedelta(days=7)
        label = _("%(start)s–%(end)s") % {
            "start": f"{start.day}.{start.month}.",
            "end": f"{(end - dt.timedelta(days=1)).day}.{(end - dt.timedelta(days=1)).month}.",
        }
        windows.append((label, Q(due_date__gte=start, due_date__lt=end)))
    windows.append((_("myöhemmin"), Q(due_date__gte=today + dt.timedelta(days=7 * WEEKS))))
    counts = open_requests.aggregate(
        **{f"w{i}": Count("id", filter=condition) for i, (_label, condition) in enumerate(windows)}
    )
    due_rows = [(label, counts[f"w{i}"] or 0) for i, (label, _c) in enumerate(windows)]
    by_status = dict(open_requests.values_list("status").annotate(n=Count("id")))
    status_rows = [
        (str(label), by_status.get(value, 0))
        for value, label in DataSubjectRequest.Status.choices
        if value in OPEN_STATUSES
    ]
    return {
        "due_chart": bar_chart(
            _("Avoimet pyynnöt määräajan mukaan"), due_rows, key="due", emphasised=[0]
        ),
        "due_rows": due_rows,
        "status_chart": bar_chart(_("Avoimet pyynnöt tilan mukaan"), status_rows, key="status"),
        "status_rows": status_rows,
        "queue": list(open_requests.select_related("customer").order_by("due_date")[:QUEUE_LENGTH]),
        "open_total": sum(n for _label, n in due_rows),
        "overdue": due_rows[0][1],
    }


def register_counts() -> dict[str, Any]:
    """Return the register's size: customers, orders and erasures (estimates where large)."""
    rows = [(_("asiakkaita"), table_count(Customer)), (_("tilauksia"), table_count(Order))]
    rows.append((_("poistettuja asiakkaita"), table_count(ErasureLedger)))
    return {"rows": rows, "computed_at": timezone.now()}


def dashboard_context(user) -> dict[str, Any]:
    """Return the front page's sections for what this staff member's role may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return {}
    today = timezone.localdate()
    language = get_language()
    context: dict[str, Any] = {"today": today}
    if user.has_perm("customers.view_customer"):
        context["counts"] = cache.get_or_set(
            f"dashboard:counts:{language}", register_counts, CACHE_SECONDS
        )
    if user.has_perm("rights.view_datasubjectrequest"):
        context["requests"] = request_queue(today)
    if user.has_perm("rights.view_recipientnotification"):
        # Read live: a notice owed to a recipient (Art. 19) must not wait for a cache to expire.
        context["notices_pending"] = RecipientNotification.objects.filter(
            request__isnull=True, notified_at__isnull=True
        ).count()
    if user.has_perm("statement.add_statementversion"):
        # Rebuilding the statement costs a few queries; a minute's delay is harmless here.
        context["statement_stale"] = cache.get_or_set(
            f"dashboard:statement-stale:{language}", lambda: stale_reason() or "", STALE_SECONDS
        )
    if has_role(user, REGISTER_ADMIN):
        # Read live (one indexed row): a failed night must show the next morning.
        context["backup"] = backup_status()
    if user.has_perm("privacy.export_audience"):
        context["marketing"] = cache.get_or_set(
            f"dashboard:marketing:{language}:{today.isoformat()}",
            lambda: marketing_figures(today),
            MONTHLY_CACHE_SECONDS,
        )
    return context
