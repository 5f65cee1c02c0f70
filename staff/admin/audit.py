"""The register admin's view of the audit log: per customer and per staff member, read-only."""

import re
from collections import defaultdict

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, Order
from privacy.models import AuditEntry
from staff.audited import AuditedAdminMixin
from staff.paginator import BigTableAdminMixin, FirstPageChangeList


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


# An entry names its row as "app_label.model:pk" (privacy.audit.object_label).
_ROW_LABEL = re.compile(r"^(?P<model>[a-z_]+\.[a-z_]+):(?P<pk>\d+)$")

# How a row is named to staff: by the number they know it by. Any other row is named by its
# kind and id, never by its __str__, which may hold personal data.
_NUMBERS = {
    "customers.customer": lambda row: row.formatted_number,
    "customers.order": lambda row: row.number,
}
_NUMBER_FIELDS = {Customer: ["number"], Order: ["number"]}


def target_names(labels: list[str]) -> dict[str, str]:
    """Return a human name for each row label: "asiakas 158 367 656", "tilaus T91091-518".

    One query per kind of numbered row on the page; other rows read nothing.
    """
    wanted: dict[str, set[int]] = defaultdict(set)
    for label in labels:
        if match := _ROW_LABEL.match(label):
            wanted[match["model"]].add(int(match["pk"]))
    names: dict[str, str] = {}
    for model_label, pks in wanted.items():
        try:
            model = apps.get_model(model_label)
        except (LookupError, ValueError):
            continue
        kind = model._meta.verbose_name
        number = _NUMBERS.get(model_label)
        rows = {}
        if number is not None:
            rows = model._default_manager.only(*_NUMBER_FIELDS[model]).in_bulk(pks)
        for pk in pks:
            row = rows.get(pk)
            shown = number(row) if row is not None else pk
            names[f"{model_label}:{pk}"] = f"{kind} {shown}"
    return names


class AuditChangeList(FirstPageChangeList):
    """The big table's change list, its entries' rows named as staff know them."""

    def get_results(self, request) -> None:
        super().get_results(request)
        names = target_names([entry.object_label for entry in self.result_list])
        for entry in self.result_list:
            entry.target_name = names.get(entry.object_label, entry.object_label)


@admin.register(AuditEntry)
class AuditEntryAdmin(BigTableAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "actor_label",
        "action",
        "customer_link",
        "target",
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

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    @admin.display(description=_("kohde"))
    def target(self, obj: AuditEntry) -> str:
        return getattr(obj, "target_name", None) or obj.object_label or "–"

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
