"""The staff panel for the customer register."""

from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from customers.models import (
    ConsentEvent,
    Customer,
    CustomerNote,
    Disclosure,
    MarketingBan,
    Order,
    OrderLine,
    Shipment,
    SuppressionEntry,
    TrackingEvent,
)
from customers.paginator import EstimatedCountPaginator
from customers.search import classify_term, search_customers
from privacy.audit import AuditEntry, record

# The customer page shows this many latest orders and links to the full list, so it renders in
# a bounded number of queries however long the history is.
ORDER_INLINE_LIMIT = 20


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class LatestOrdersFormSet(BaseInlineFormSet):
    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset()[:ORDER_INLINE_LIMIT]
        return self._latest


class OrderInline(ReadOnlyInline):
    model = Order
    formset = LatestOrdersFormSet
    verbose_name_plural = _("viimeisimmät tilaukset")
    fields = ["number", "ordered_at", "status", "invoice_state", "total_gross"]
    readonly_fields = fields
    show_change_link = True


class ConsentInline(ReadOnlyInline):
    model = ConsentEvent
    fields = ["occurred_at", "purpose", "channel", "is_granted", "via", "statement_version"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("statement_version")


class BanInline(ReadOnlyInline):
    model = MarketingBan
    fields = ["created_at", "channel", "scope", "lifted_at", "via"]
    readonly_fields = fields


class NoteInline(admin.StackedInline):
    model = CustomerNote
    extra = 0
    fields = ["kind", "body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("author")


class DisclosureInline(ReadOnlyInline):
    model = Disclosure
    fields = ["disclosed_at", "recipient", "recipient_kind", "reason"]
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["formatted_number", "last_name", "first_name", "email", "phone", "post_office"]
    list_display_links = ["formatted_number", "last_name"]
    # The search box is served by customers.search (exact keys first, then name fragments).
    search_fields = ["last_name"]
    search_help_text = _("Hae asiakasnumerolla, sähköpostilla, puhelinnumerolla tai nimellä.")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    readonly_fields = [
        "formatted_number",
        "created_at",
        "updated_at",
        "last_activity_at",
        "order_history",
        "deliveries",
        "privacy_requests",
        "audit_trail",
    ]
    fieldsets = [
        (None, {"fields": ["formatted_number", "first_name", "last_name", "preferred_language"]}),
        (
            _("Yhteystiedot"),
            {
                "fields": [
                    "email",
                    "phone",
                    "street_address",
                    "postal_code",
                    "post_office",
                    "country",
                ]
            },
        ),
        (_("Yritys"), {"fields": ["company", "business_id"]}),
        (
            _("Lisätiedot"),
            {"fields": ["birth_date", "profession", "interests", "source", "external_id"]},
        ),
        (
            _("Käsittely"),
            {"fields": ["is_restricted", "created_at", "updated_at", "last_activity_at"]},
        ),
        (
            _("Tilaukset, toimitukset ja pyynnöt"),
            {"fields": ["order_history", "deliveries", "privacy_requests", "audit_trail"]},
        ),
    ]
    inlines = [OrderInline, ConsentInline, BanInline, DisclosureInline, NoteInline]

    @admin.display(description=_("asiakasnumero"), ordering="number")
    def formatted_number(self, obj: Customer) -> str:
        return obj.formatted_number

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not search_term.strip():
            return queryset, False
        # The term itself may be an email address or a name: only its kind is logged.
        record(
            actor=request.user,
            action=AuditEntry.Action.SEARCH,
            details={"kind": classify_term(search_term)[0]},
            request=request,
        )
        return search_customers(queryset, search_term), False

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets[:-1]
        if not request.user.has_perm("privacy.view_auditentry"):
            # Who looked at a customer is the register admin's business alone.
            name, options = fieldsets[-1]
            fields = [f for f in options["fields"] if f != "audit_trail"]
            return [*fieldsets[:-1], (name, {**options, "fields": fields})]
        return fieldsets

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Customers are erased through an erasure request (privacy.erasure), which keeps the
        # accounting vouchers and the suppression list; never deleted from the staff panel.
        return False

    @admin.display(description=_("tilaushistoria"))
    def order_history(self, obj: Customer) -> str:
        if obj.pk is None:
            return "–"
        url = reverse("admin:customers_order_changelist") + f"?customer__id__exact={obj.pk}"
        return format_html(
            '{} <a href="{}">{}</a>',
            _("Tilauksia %(count)s; sivulla näkyy %(limit)s viimeisintä.")
            % {"count": obj.orders.count(), "limit": ORDER_INLINE_LIMIT},
            url,
            _("Kaikki tilaukset"),
        )

    @admin.display(description=_("toimitukset"))
    def deliveries(self, obj: Customer) -> str:
        shipments = (
            Shipment.objects.filter(order__customer=obj)
            .select_related("order")
            .order_by("-shipped_at", "-id")[:ORDER_INLINE_LIMIT]
        )
        return (
            format_html_join(
                "\n",
                '<div><a href="{}">{}</a> · {} · {} {}</div>',
                (
                    (
                        reverse("admin:customers_shipment_change", args=[s.pk]),
                        s.order.number,
                        s.get_carrier_display(),
                        s.tracking_code,
                        s.delivered_at.strftime("%d.%m.%Y") if s.delivered_at else "",
                    )
                    for s in shipments
                ),
            )
            or "–"
        )

    @admin.display(description=_("tietosuojapyynnöt"))
    def privacy_requests(self, obj: Customer) -> str:
        requests = obj.privacy_requests.order_by("-received_at")[:10]
        return (
            format_html_join(
                "\n",
                "<div>{} · {} · {} · {}</div>",
                ((r, r.get_kind_display(), r.get_status_display(), r.due_date) for r in requests),
            )
            or "–"
        )

    @admin.display(description=_("käyttöloki"))
    def audit_trail(self, obj: Customer) -> str:
        url = reverse("admin:privacy_auditentry_changelist") + f"?customer_id={obj.pk}"
        entries = AuditEntry.objects.filter(customer_id=obj.pk)[:10]
        rows = format_html_join(
            "\n",
            "<div>{} · {} · {}</div>",
            (
                (e.occurred_at.strftime("%d.%m.%Y %H:%M"), e.actor_label, e.get_action_display())
                for e in entries
            ),
        )
        return format_html('{}<div><a href="{}">{}</a></div>', rows, url, _("Koko käyttöloki"))

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, CustomerNote) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ["product_name", "sku", "quantity", "unit_price_net", "vat_rate"]


class ShipmentInline(admin.TabularInline):
    model = Shipment
    extra = 0
    fields = ["carrier", "tracking_code", "shipped_at", "delivered_at"]
    show_change_link = True


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "ordered_at", "status", "invoice_state", "total_gross"]
    list_select_related = ["customer"]
    search_fields = ["=number", "=external_id"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ["customer"]
    readonly_fields = ["total_net", "total_vat", "total_gross", "tracking_events"]
    inlines = [OrderLineInline, ShipmentInline]

    @admin.display(description=_("seurantatapahtumat"))
    def tracking_events(self, obj: Order) -> str:
        events = TrackingEvent.objects.filter(shipment__order=obj).select_related("shipment")
        return (
            format_html_join(
                "\n",
                "<div>{} · {} · {} {}</div>",
                (
                    (e.shipment, e.occurred_at.strftime("%d.%m.%Y %H:%M"), e.status, e.location)
                    for e in events
                ),
            )
            or "–"
        )


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    fields = ["occurred_at", "status", "description", "location"]


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "carrier", "order", "shipped_at", "delivered_at"]
    list_select_related = ["order"]
    search_fields = ["=tracking_code"]
    show_full_result_count = False
    raw_id_fields = ["order"]
    inlines = [TrackingEventInline]


@admin.register(SuppressionEntry)
class SuppressionEntryAdmin(admin.ModelAdmin):
    list_display = ["kind", "value_hash", "created_at"]
    show_full_result_count = False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ConsentEvent)
class ConsentEventAdmin(admin.ModelAdmin):
    """Consent history for marketing: read and record, never rewrite (GDPR 7(1))."""

    list_display = ["occurred_at", "customer", "purpose", "channel", "is_granted", "via"]
    list_select_related = ["customer"]
    search_fields = ["=customer__number"]
    search_help_text = _("Hae asiakasnumerolla.")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ["customer", "statement_version"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(MarketingBan)
class MarketingBanAdmin(admin.ModelAdmin):
    """Marketing bans: set and lift (lifted_at), never delete — the ban is its own proof."""

    list_display = ["created_at", "customer", "channel", "scope", "lifted_at", "via"]
    list_select_related = ["customer"]
    search_fields = ["=customer__number"]
    search_help_text = _("Hae asiakasnumerolla.")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ["customer"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
