"""The records a case leaves: corrections, access packages and the erasure ledger, read-only."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from customers.services import describe_fields
from rights.access import PACKAGE_FILES, record_package_download
from rights.models import (
    AccessPackage,
    CorrectionItem,
    ErasureLedger,
)


@admin.register(CorrectionItem)
class CorrectionItemAdmin(admin.ModelAdmin):
    list_display = ["request", "field", "state", "decided_at"]
    list_filter = ["state"]
    # No bulk decision: each correction is decided on its case page, with its own reasons.
    actions = None
    readonly_fields = [
        "request",
        "field",
        "old_value",
        "new_value",
        "reason",
        "state",
        "decision_reason",
        "decided_by",
        "decided_at",
        "applied_at",
    ]

    @admin.display(description=_("tieto"))
    def field(self, obj: CorrectionItem) -> str:
        return describe_fields([obj.field_name])

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessPackage)
class AccessPackageAdmin(admin.ModelAdmin):
    list_display = ["customer", "request", "created_at", "expires_at"]
    fields = ["customer", "request", "created_at", "expires_at", "created_by", "downloads"]
    readonly_fields = fields

    @admin.display(description=_("lataukset"))
    def downloads(self, obj: AccessPackage) -> str:
        return ", ".join(str(d) for d in obj.downloads.all()) or "–"

    def get_urls(self):
        return [
            path(
                "<int:pk>/lataa/<str:kind>/",
                self.admin_site.admin_view(self.download),
                name="rights_accesspackage_download",
            ),
            *super().get_urls(),
        ]

    def download(self, request: HttpRequest, pk: int, kind: str) -> FileResponse:
        """Send a file of a live package to staff allowed to view packages; log it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        package = get_object_or_404(AccessPackage, pk=pk)
        if kind not in PACKAGE_FILES:
            raise Http404
        try:
            stored = record_package_download(
                package=package, file_kind=kind, user=request.user, http=request
            )
        except AccessPackage.DoesNotExist:
            raise Http404 from None
        return FileResponse(stored.open("rb"), as_attachment=True, filename=f"tiedot.{kind}")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ErasureLedger)
class ErasureLedgerAdmin(admin.ModelAdmin):
    list_display = ["customer_number", "reason", "erased_at", "erased_by", "reapplied_at"]
    readonly_fields = [
        "customer_code",
        "customer_number",
        "reason",
        "erased_at",
        "erased_by",
        "request",
        "reapplied_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
