"""The records a case leaves: corrections, access packages and the erasure ledger, read-only."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from rights import corrections
from rights.access import PACKAGE_FILES, record_package_download
from rights.models import (
    AccessPackage,
    CorrectionItem,
    ErasureLedger,
)
from staff.admin.case_forms import CorrectionActionForm


@admin.register(CorrectionItem)
class CorrectionItemAdmin(admin.ModelAdmin):
    list_display = ["request", "field_name", "state", "decided_at"]
    list_filter = ["state"]
    action_form = CorrectionActionForm
    actions = ["approve", "reject"]
    readonly_fields = [
        "request",
        "field_name",
        "old_value",
        "new_value",
        "reason",
        "state",
        "decision_reason",
        "decided_by",
        "decided_at",
        "applied_at",
    ]

    def _decide(self, request, queryset, approve: bool) -> None:
        form = CorrectionActionForm(request.POST)
        form.is_valid()
        for item in queryset:
            try:
                corrections.decide_correction(
                    item=item,
                    approve=approve,
                    reason=form.cleaned_data.get("text", ""),
                    user=request.user,
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)

    @admin.action(description=_("Hyväksy korjaus"), permissions=["change"])
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, True)

    @admin.action(description=_("Hylkää korjaus perusteluineen"), permissions=["change"])
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, False)

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
