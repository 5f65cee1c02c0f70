"""The staff panel for the customer register."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
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
from customers.search import search_customers


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class OrderInline(ReadOnlyInline):
    model = Order
    fields = ["number", "ordered_at", "status", "invoice_state", "total_gross"]
    readonly_fields = fields
    show_change_link = True


class ConsentInline(ReadOnlyInline):
    model = ConsentEvent
    fields = ["occurred_at", "purpose", "channel", "is_granted", "via", "statement_version"]
    readonly_fields = fields


class BanInline(ReadOnlyInline):
    model = MarketingBan
    fields = ["created_at", "channel", "scope", "lifted_at", "via"]
    readonly_fields = fields


class NoteInline(admin.StackedInline):
    model = CustomerNote
    extra = 0
    fields = ["kind", "body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]


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
    list_per_page = 50
    readonly_fields = ["formatted_number", "created_at", "updated_at", "last_activity_at"]
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
        return search_customers(queryset, search_term), False

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
