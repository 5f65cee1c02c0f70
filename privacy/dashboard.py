"""The staff panel's front page: each role's figures and queue, charts drawn as SVG here."""

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from customers.models import BanChannel, Channel, ConsentEvent, Customer, MarketingBan, Order
from customers.paginator import EstimatedCountPaginator

# Figures over big tables are recomputed at most this often (seconds).
CACHE_SECONDS = 600
BAR_WIDTH = 320


def bar_chart(title: str, rows: list[tuple[str, int]]) -> SafeString:
    """Return a horizontal bar chart as inline SVG; every bar carries its number as text."""
    height = 24 * len(rows) + 8
    top = max((n for _label, n in rows), default=0) or 1
    bars = format_html_join(
        "",
        '<text x="0" y="{}" font-size="12" fill="currentColor">{}</text>'
        '<rect x="150" y="{}" width="{}" height="16" fill="#417690"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="currentColor">{}</text>',
        (
            (
                24 * i + 18,
                label,
                24 * i + 5,
                max(1, round(BAR_WIDTH * n / top)),
                156 + round(BAR_WIDTH * n / top),
                24 * i + 18,
                n,
            )
            for i, (label, n) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        title,
        BAR_WIDTH + 210,
        height,
        BAR_WIDTH + 210,
        height,
        title,
        bars,
    )


def _estimate(model) -> int:
    return EstimatedCountPaginator(model.objects.all(), 1).count


def _marketing_charts(since: dt.datetime) -> dict[str, Any]:
    granted = dict(
        ConsentEvent.objects.filter(occurred_at__gte=since, is_granted=True)
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    withdrawn = dict(
        ConsentEvent.objects.filter(occurred_at__gte=since, is_granted=False)
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    bans = dict(
        MarketingBan.objects.filter(created_at__gte=since)
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    consent_rows = []
    for channel in Channel:
        consent_rows.append((f"{channel.label}: {_('annettu')}", granted.get(channel.value, 0)))
        consent_rows.append((f"{channel.label}: {_('peruttu')}", withdrawn.get(channel.value, 0)))
    ban_rows = [(c.label, bans.get(c.value, 0)) for c in BanChannel]
    return {
        "consent_chart": bar_chart(_("Suostumukset kanavittain, 12 kk"), consent_rows),
        "ban_chart": bar_chart(_("Markkinointikiellot kanavittain, 12 kk"), ban_rows),
    }


def _request_queue(today: dt.date) -> dict[str, Any]:
    request_model = apps.get_model("privacy", "DataSubjectRequest")
    open_requests = request_model.objects.open().order_by("due_date", "received_at")
    overdue = open_requests.filter(due_date__lt=today).count()
    weeks = []
    for week in range(4):
        start = today + dt.timedelta(days=7 * week)
        end = start + dt.timedelta(days=7)
        label = _("%(start)s–%(end)s") % {
            "start": start.strftime("%d.%m."),
            "end": (end - dt.timedelta(days=1)).strftime("%d.%m."),
        }
        weeks.append((label, open_requests.filter(due_date__gte=start, due_date__lt=end).count()))
    return {
        "open_requests": list(open_requests[:15]),
        "request_chart": bar_chart(
            _("Avoimet pyynnöt määräajan mukaan"), [(_("myöhässä"), overdue), *weeks]
        ),
    }


def dashboard_context(user) -> dict[str, Any]:
    """Return the front page's figures for what this staff member's role may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return {}
    today = timezone.localdate()
    language = get_language()
    context: dict[str, Any] = {}
    if user.has_perm("customers.view_customer"):
        context["counts"] = cache.get_or_set(f"dashboard:counts:{language}", _counts, CACHE_SECONDS)
    if user.has_perm("privacy.view_datasubjectrequest"):
        context.update(_request_queue(today))
    if user.has_perm("customers.view_consentevent"):
        since = timezone.now() - dt.timedelta(days=365)
        context.update(
            cache.get_or_set(
                f"dashboard:marketing:{language}", lambda: _marketing_charts(since), CACHE_SECONDS
            )
        )
    return context


def _counts() -> list[tuple[str, int]]:
    counts = [(_("asiakkaita"), _estimate(Customer)), (_("tilauksia"), _estimate(Order))]
    if apps.is_installed("privacy"):
        ledger = apps.get_model("privacy", "ErasureLedger")
        counts.append((_("poistettuja asiakkaita"), ledger.objects.count()))
    return counts
