"""A stock Django admin for the customer register, as the staff benchmark's baseline.

What a shop gets from the Django tutorial: `search_fields` over the keys staff use, exact counts
and inlines of every order and consent. Mounted only by `bench_staff` (ROOT_URLCONF override).
"""

from django.contrib import admin
from django.urls import path

from customers.models import ConsentEvent, Customer, Order
from rekisteri import urls


class StockOrderInline(admin.TabularInline):
    model = Order
    extra = 0
    fields = ["number", "ordered_at", "status", "invoice_state", "total_gross"]
    readonly_fields = fields


class StockConsentInline(admin.TabularInline):
    model = ConsentEvent
    extra = 0
    fields = ["occurred_at", "purpose", "channel", "is_granted", "via", "statement_version"]
    readonly_fields = fields


class StockCustomerAdmin(admin.ModelAdmin):
    list_display = ["number", "last_name", "first_name", "email", "phone", "post_office"]
    search_fields = ["first_name", "last_name", "email", "phone", "number"]
    inlines = [StockOrderInline, StockConsentInline]


stock_site = admin.AdminSite(name="stock")
stock_site.register(Customer, StockCustomerAdmin)


def urlpatterns_with_stock_admin() -> list:
    """Return the project's URL patterns plus the stock admin under /stock-admin/."""

    return [path("stock-admin/", stock_site.urls), *urls.urlpatterns]


urlpatterns = urlpatterns_with_stock_admin()
