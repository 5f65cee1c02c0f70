"""The register admin's view of the audit log: per customer and per staff member, read-only."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from privacy.models import AuditEntry
from staff.audited import AuditedAdminMixin
from staff.paginator import BigTableAdminMixin


class ActorFilter(admin.SimpleListFilter):
    """Filter by staff member; lists staff accounts (a small table), never scans the log."""

    title = _("käyttäjä")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        users = get_user_model()._default_manager.filter(is_staff=True).order_by("username")
        return [(str(u.pk), u.get_username()) for u in users]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(actor_id=int(value))
        return queryset


class CustomerIdFilter(admin.SimpleListFilter):
    """Filter by customer id; the customer page links here with ?customer_id=…"""

    title = _("asiakas")
    parameter_name = "customer_id"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, _("asiakas %(id)s") % {"id": value})] if value else []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(customer_id=int(value))
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(BigTableAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "actor_label",
        "action",
        "customer_link",
        "object_label",
        "details",
        "ip_address",
    ]
    list_filter = ["action", ActorFilter, CustomerIdFilter]
    search_fields = ["=actor_label"]
    search_help_text = _("Hae asiakkaan id:llä tai käyttäjätunnuksella.")
    list_per_page = 100
    actions = None

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term.isdigit():
            return queryset.filter(customer_id=int(term)), False
        if term:
            return queryset.filter(actor_label=term), False
        return queryset, False

    @admin.display(description=_("asiakas"), ordering="customer_id")
    def customer_link(self, obj: AuditEntry) -> str:
        if obj.customer_id is None:
            return "–"
        url = reverse("admin:customers_customer_change", args=[obj.customer_id])
        return format_html('<a href="{}">{}</a>', url, obj.customer_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
