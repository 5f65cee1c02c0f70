"""The read-only sections of the staff panel's customer page, one query each.

Each section shows the latest SECTION_LIMIT rows and links to the full, filtered list, so the page
takes the same number of queries for a customer with 5 orders as for one with 5,000. They are
plain HTML tables rather than read-only inline formsets: the admin's form machinery costs
milliseconds per row and adds nothing to rows nobody edits here.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from customers import services
from customers.models import (
    Carrier,
    ConsentEvent,
    Customer,
    Disclosure,
    MarketingBan,
    Order,
    Shipment,
)
from privacy.models import AuditEntry

SECTION_LIMIT = 20


def format_time(value) -> str:
    """Return a time as staff read it: in the shop's time zone, in the active language."""
    if not value:
        return "–"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], empty: str) -> SafeString:
    """Return an HTML table with a header row; cells are escaped (use SafeString for links).

    Joined by hand: format_html per cell costs more than the rest of the section.
    """
    body = "".join(
        "<tr>" + "".join(f"<td>{conditional_escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    if not body:
        return format_html("<p>{}</p>", empty)
    head = "".join(f'<th scope="col">{conditional_escape(h)}</th>' for h in headers)
    return mark_safe(  # noqa: S308 (every value above is escaped)
        f'<table class="customer-section"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        "</table>"
    )


def _link(url_name: str, pk: int, text: Any) -> SafeString:
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), text)


def _all_link(url_name: str, query: str, text: str) -> SafeString:
    return format_html('<p><a href="{}?{}">{}</a></p>', reverse(url_name), query, text)


def orders_section(customer: Customer) -> SafeString:
    """Return the latest orders and the total count, in one query (a window count)."""
    orders = list(
        Order.objects.filter(customer=customer)
        .only("number", "ordered_at", "status", "invoice_state", "total_gross")
        .annotate(total_count=Window(Count("id")))
        .order_by("-ordered_at", "-id")[:SECTION_LIMIT]
    )
    total = orders[0].total_count if orders else 0
    rows = (
        (
            _link("admin:customers_order_change", o.pk, o.number),
            format_time(o.ordered_at),
            o.get_status_display(),
            o.get_invoice_state_display(),
            formats.number_format(o.total_gross, 2),
        )
        for o in orders
    )
    headers = [_("tilaus"), _("tilattu"), _("tila"), _("laskun tila"), _("summa €")]
    summary = _("Tilauksia %(count)s; näkyvissä %(shown)s viimeisintä.") % {
        "count": total,
        "shown": min(total, SECTION_LIMIT),
    }
    return format_html(
        "<p>{}</p>{}{}",
        summary,
        table(headers, rows, _("Ei tilauksia.")),
        _all_link(
            "admin:customers_order_changelist",
            f"customer__id__exact={customer.pk}",
            _("Kaikki tilaukset"),
        ),
    )


def deliveries_section(customer: Customer) -> SafeString:
    """Return the latest shipments with their carriers and tracking codes."""
    shipments = (
        Shipment.objects.filter(order__customer=customer)
        .select_related("order")
        .only("tracking_code", "carrier", "shipped_at", "delivered_at", "order__number")
        .order_by("-shipped_at", "-id")[:SECTION_LIMIT]
    )
    carriers = Carrier.objects.names()
    rows = (
        (
            _link("admin:customers_shipment_change", s.pk, s.tracking_code or "–"),
            s.order.number,
            carriers.get(s.carrier, s.carrier),
            format_time(s.shipped_at),
            format_time(s.delivered_at),
        )
        for s in shipments
    )
    headers = [
        _("seurantatunnus"),
        _("tilaus"),
        _("kuljetusliike"),
        _("lähetetty"),
        _("toimitettu"),
    ]
    return table(headers, rows, _("Ei lähetyksiä."))


def consents_section(customer: Customer) -> SafeString:
    """Return the latest consent events (the newest per purpose and channel is in force)."""
    events = ConsentEvent.objects.filter(customer=customer).order_by("-occurred_at", "-id")[
        :SECTION_LIMIT
    ]
    granted, withdrawn = _("annettu"), _("peruttu")
    rows = (
        (
            format_time(e.occurred_at),
            e.get_purpose_display(),
            e.get_channel_display(),
            granted if e.is_granted else withdrawn,
            e.get_via_display(),
        )
        for e in events
    )
    headers = [_("aika"), _("käyttötarkoitus"), _("kanava"), _("suostumus"), _("kanavana")]
    return format_html(
        "{}{}",
        table(headers, rows, _("Ei suostumustapahtumia.")),
        _all_link(
            "admin:customers_consentevent_changelist",
            f"customer__id__exact={customer.pk}",
            _("Koko suostumushistoria"),
        ),
    )


def bans_section(customer: Customer) -> SafeString:
    """Return the customer's marketing bans, those in force first."""
    bans = MarketingBan.objects.filter(customer=customer).order_by("-lifted_at", "-created_at")[
        :SECTION_LIMIT
    ]
    in_force = _("voimassa")
    rows = (
        (
            b.get_scope_display(),
            b.get_channel_display(),
            format_time(b.created_at),
            format_time(b.lifted_at) if b.lifted_at else in_force,
            b.get_via_display(),
        )
        for b in bans
    )
    headers = [_("laajuus"), _("kanava"), _("asetettu"), _("poistettu voimasta"), _("kanavana")]
    return table(headers, rows, _("Ei markkinointikieltoja."))


def disclosures_section(customer: Customer) -> SafeString:
    """Return the latest disclosures of the customer's data to recipients."""
    disclosures = Disclosure.objects.filter(customer=customer).order_by("-disclosed_at", "-id")[
        :SECTION_LIMIT
    ]
    rows = (
        (
            format_time(d.disclosed_at),
            d.recipient,
            d.get_recipient_kind_display(),
            services.describe_fields(d.fields or []),
            d.reason,
        )
        for d in disclosures
    )
    headers = [_("luovutettu"), _("vastaanottaja"), _("tyyppi"), _("tiedot"), _("peruste")]
    return table(headers, rows, _("Ei luovutuksia.")) + _all_link(
        "admin:customers_disclosure_add",
        f"customer={customer.number}",
        _("Kirjaa käsin tehty luovutus"),
    )


def requests_section(customer: Customer) -> SafeString:
    """Return the customer's latest data-subject requests with their status and deadline."""
    requests = customer.privacy_requests.order_by("-received_at")[:SECTION_LIMIT]
    rows = (
        (
            # The reference alone: the kind has its own column.
            _link("admin:rights_datasubjectrequest_case", r.pk, r.reference),
            r.get_kind_display(),
            r.get_status_display(),
            formats.date_format(r.due_date, "SHORT_DATE_FORMAT") if r.due_date else "–",
        )
        for r in requests
    )
    headers = [_("pyyntö"), _("laji"), _("tila"), _("määräpäivä")]
    return table(headers, rows, _("Ei tietosuojapyyntöjä.")) + _all_link(
        "admin:rights_datasubjectrequest_add",
        f"customer={customer.pk}",
        _("Kirjaa tietosuojapyyntö"),
    )


def audit_section(customer: Customer) -> SafeString:
    """Return the latest audit entries about the customer and a link to the whole trail."""

    entries = AuditEntry.objects.filter(customer_id=customer.pk)[:SECTION_LIMIT]
    rows = (
        (format_time(e.occurred_at), e.actor_label or "–", e.get_action_display(), e.object_label)
        for e in entries
    )
    headers = [_("aika"), _("käyttäjä"), _("toimenpide"), _("kohde")]
    return format_html(
        "{}{}",
        table(headers, rows, _("Ei merkintöjä.")),
        _all_link(
            "admin:privacy_auditentry_changelist",
            f"customer_id={customer.pk}",
            _("Koko käyttöloki"),
        ),
    )
