"""The staff panel for privacy: controller details."""

from django.contrib import admin
from django.http import HttpRequest

from privacy import (
    audit_admin,  # noqa: F401  (registers the audit log's admin)
    requests_admin,  # noqa: F401  (registers the data-subject requests' admin)
    staff_accounts_admin,  # noqa: F401  (registers staff accounts and roles)
    statement_admin,  # noqa: F401  (registers the statement draft's and versions' admin)
)
from statement.models import Controller


@admin.register(Controller)
class ControllerAdmin(admin.ModelAdmin):
    list_display = ["name", "business_id", "email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The register has one controller.
        return super().has_add_permission(request) and not Controller.objects.exists()
