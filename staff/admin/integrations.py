"""Staff panel: API tokens, the API call log and CSV imports (register admin only)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from integrations.csv_import import RowAction
from integrations.imports import enqueue_import_job
from integrations.models import ApiCallLog, ApiToken, ImportJob
from integrations.services import create_api_token, revoke_api_token
from staff.paginator import BigTableAdminMixin
from staff.roles import REGISTER_ADMIN, has_role

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def is_register_admin(user) -> bool:
    """Return whether the user may manage integrations (superuser or the register admin)."""
    return has_role(user, REGISTER_ADMIN)


class RegisterAdminOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_register_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_register_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_register_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_register_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("oikeudet"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Anna vain ne oikeudet, joita integraatio tarvitsee."),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scopes"]


@admin.register(ApiToken)
class ApiTokenAdmin(RegisterAdminOnly, admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "prefix", "scope_list", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("oikeudet"))
    def scope_list(self, obj: ApiToken) -> str:
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return ["name", "scopes"] if obj is None else ["name", "scopes", *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            obj.save()
            return
        _token, request._api_token_secret = create_api_token(
            name=obj.name, scopes=obj.scopes, created_by=request.user, token=obj
        )

    def response_add(self, request: HttpRequest, obj: ApiToken, post_url_continue=None):
        # The secret exists only in this response: it is not stored, logged or put in a message.
        return TemplateResponse(
            request,
            "integrations/token_created.html",
            {
                **self.admin_site.each_context(request),
                "title": _("API-avain luotu"),
                "token": obj,
                "secret": request._api_token_secret,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Peru valitut API-avaimet"))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        for token in queryset:
            revoke_api_token(token=token)
        self.message_user(request, _("Avaimet peruttu."), messages.SUCCESS)


@admin.register(ApiCallLog)
class ApiCallLogAdmin(BigTableAdminMixin, RegisterAdminOnly, admin.ModelAdmin):
    list_display = ["occurred_at", "token", "method", "path", "status_code", "customer_id"]
    list_filter = ["status_code", "method"]
    list_select_related = ["token"]
    readonly_fields = ["occurred_at", "token", "customer", "method", "path", "status_code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ImportJobForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("CSV-tiedosto"),
        help_text=_(
            "UTF-8 tai Excelin Windows-1252, erottimena ; tai ,. Otsikkorivillä esim. etunimi, "
            "sukunimi, sähköposti, puhelin, katuosoite, postinumero, postitoimipaikka, yritys, "
            "y-tunnus, external id (myös englanniksi tai ruotsiksi, esim. first name, email, "
            "förnamn)."
        ),
    )

    class Meta:
        model = ImportJob
        fields = ["is_dry_run"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tiedosto on liian suuri (enintään 50 Mt)."))
        return upload


@admin.register(ImportJob)
class ImportJobAdmin(RegisterAdminOnly, admin.ModelAdmin):
    form = ImportJobForm
    list_display = [
        "created_at",
        "file_name",
        "is_dry_run",
        "status",
        "progress",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
    ]
    readonly_fields = [
        "file_name",
        "is_dry_run",
        "status",
        "progress",
        "message",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
        "created_by",
        "created_at",
        "finished_at",
        "report_rows",
    ]

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return ["upload", "is_dry_run"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A job is never edited; its page only shows progress and the report.
        return False

    @admin.display(description=_("edistyminen"))
    def progress(self, obj: ImportJob) -> str:
        return format_html(
            '<progress max="100" value="{}"></progress> {} / {}',
            obj.percent,
            obj.processed_rows,
            obj.total_rows,
        )

    @admin.display(description=_("rivit"))
    def report_rows(self, obj: ImportJob) -> str:
        if not obj.report:
            return "–"
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("rivi"),
            _("toimenpide"),
            _("syyt"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        row["row"],
                        RowAction(row["action"]).label,
                        "; ".join(row["reasons"]),
                    )
                    for row in obj.report
                ),
            ),
        )

    def save_model(self, request: HttpRequest, obj: ImportJob, form, change: bool) -> None:
        upload = form.cleaned_data["upload"]
        obj.file_name = upload.name[:255]
        obj.data = upload.read()
        obj.created_by = request.user
        enqueue_import_job(job=obj)

    def response_add(
        self, request: HttpRequest, obj: ImportJob, post_url_continue=None
    ) -> HttpResponseRedirect:
        return redirect(reverse("admin:integrations_importjob_change", args=[obj.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Reload the page while the task runs, so the progress bar moves (no script: the CSP
        # allows none inline).
        context["refresh_seconds"] = 0 if obj is None or obj.is_finished else 2
        return super().render_change_form(request, context, add, change, form_url, obj)
