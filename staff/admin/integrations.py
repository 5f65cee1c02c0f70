"""Staff panel: API tokens, the API call log and CSV imports (register admin only)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.csv_import import RowAction
from integrations.csv_import.platforms import MAPPABLE
from integrations.imports import enqueue_import_job
from integrations.models import ApiCallLog, ApiToken, ImportJob, ImportMapping
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


MAPPING_ROWS = 10


def _target_choices() -> list[tuple[str, str]]:
    return [("", "–"), *((name, capfirst(label)) for name, label in MAPPABLE.items())]


class ImportJobForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("CSV-tiedosto"),
        help_text=_(
            "Shopifyn ja WooCommercen asiakas- ja tilausviennit tunnistetaan otsikoistaan. Muussa "
            "tiedostossa otsikkorivillä esim. etunimi, sukunimi, sähköposti, puhelin, katuosoite, "
            "postinumero, postitoimipaikka, yritys, y-tunnus, external id (myös englanniksi tai "
            "ruotsiksi), tai valitse sarakkeet alla. UTF-8 tai Excelin Windows-1252, erottimena "
            "; tai ,."
        ),
    )
    saved_mapping = forms.ModelChoiceField(
        label=_("Tallennettu sarakemääritys"),
        queryset=ImportMapping.objects.all(),
        required=False,
        help_text=_("Käytä aiemmin tallennettua määritystä; jätä alla olevat sarakkeet tyhjiksi."),
    )
    save_as = forms.CharField(
        label=_("Tallenna määritys nimellä"),
        max_length=100,
        required=False,
        help_text=_("Seuraavaa samanlaista tiedostoa varten, esim. ”Kassajärjestelmän vienti”."),
    )

    class Meta:
        model = ImportJob
        fields = ["is_dry_run"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tiedosto on liian suuri (enintään 50 Mt)."))
        return upload

    def clean_save_as(self) -> str:
        name = self.cleaned_data["save_as"].strip()
        if name and ImportMapping.objects.filter(name=name).exists():
            raise forms.ValidationError(_("Tällä nimellä on jo määritys; valitse toinen nimi."))
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        columns: dict[str, str] = {}
        for n in range(1, MAPPING_ROWS + 1):
            column = (cleaned.get(f"column_{n}") or "").strip()
            target = cleaned.get(f"target_{n}") or ""
            if bool(column) != bool(target):
                self.add_error(
                    f"column_{n}" if target else f"target_{n}",
                    _("Valitse sekä sarake että rekisterin tieto, tai jätä molemmat tyhjiksi."),
                )
            elif column in columns:
                self.add_error(f"column_{n}", _("Sarake on jo valittu yllä."))
            elif column:
                columns[column] = target
        saved = cleaned.get("saved_mapping")
        if saved is not None and columns:
            self.add_error(
                "saved_mapping",
                _("Valitse joko tallennettu määritys tai sarakkeet, ei molempia."),
            )
        if cleaned.get("save_as") and not columns:
            self.add_error("save_as", _("Valitse tallennettavat sarakkeet."))
        cleaned["mapping"] = saved.columns if saved is not None else columns
        return cleaned


# The mapping's rows: declared on the class (the admin checks its fieldsets against them).
for _n in range(1, MAPPING_ROWS + 1):
    ImportJobForm.base_fields[f"column_{_n}"] = forms.CharField(
        label=format_lazy("{} {}", _("Sarake"), _n), max_length=200, required=False
    )
    ImportJobForm.base_fields[f"target_{_n}"] = forms.ChoiceField(
        label=_("Rekisterin tieto"), choices=_target_choices, required=False
    )
ImportJobForm.declared_fields = ImportJobForm.base_fields


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
        "column_report",
        "report_rows",
    ]

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is not None:
            return [(None, {"fields": self.readonly_fields})]
        pairs = [(f"column_{n}", f"target_{n}") for n in range(1, MAPPING_ROWS + 1)]
        return [
            (None, {"fields": ["upload", "is_dry_run"]}),
            (
                _("Sarakkeiden määritys"),
                {
                    "fields": ["saved_mapping", *pairs, "save_as"],
                    "description": _(
                        "Vain tiedostolle, jota ei tunnisteta: kirjoita kunkin tuotavan sarakkeen "
                        "otsikko täsmälleen kuten tiedostossa ja valitse, mikä tieto se on. "
                        "Sarakkeet, joita et valitse, luetellaan raportissa tuomatta."
                    ),
                },
            ),
        ]

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

    @admin.display(description=_("sarakkeet"))
    def column_report(self, obj: ImportJob) -> str:
        if not obj.columns:
            return "–"
        parts = [
            format_html("<p>{}: {}</p>", _("Lähde"), obj.columns.get("source") or "–"),
            format_html(
                "<table><tr><th>{}</th><th>{}</th></tr>{}</table>",
                _("sarake"),
                _("rekisterin tieto"),
                format_html_join(
                    "",
                    "<tr><td>{}</td><td>{}</td></tr>",
                    obj.columns.get("used", []),
                ),
            ),
        ]
        for key, title in (
            ("unknown", _("Tuntemattomat sarakkeet (ei tuotu)")),
            ("skipped", _("Tunnetut sarakkeet, joille rekisterissä ei ole paikkaa (ei tuotu)")),
        ):
            if obj.columns.get(key):
                parts.append(format_html("<p>{}: {}</p>", title, ", ".join(obj.columns[key])))
        return format_html_join("", "{}", ((part,) for part in parts))

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
        obj.mapping = form.cleaned_data["mapping"] or None
        enqueue_import_job(job=obj, save_mapping_as=form.cleaned_data["save_as"])

    def response_add(
        self, request: HttpRequest, obj: ImportJob, post_url_continue=None
    ) -> HttpResponseRedirect:
        return redirect(reverse("admin:integrations_importjob_change", args=[obj.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Reload the page while the task runs, so the progress bar moves (no script: the CSP
        # allows none inline).
        context["refresh_seconds"] = 0 if obj is None or obj.is_finished else 2
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(ImportMapping)
class ImportMappingAdmin(RegisterAdminOnly, admin.ModelAdmin):
    list_display = ["name", "column_list", "created_by", "created_at"]
    readonly_fields = ["column_list", "created_by", "created_at"]
    fields = ["name", "column_list", "created_by", "created_at"]

    @admin.display(description=_("sarakkeet"))
    def column_list(self, obj: ImportMapping) -> str:
        return ", ".join(
            f"{column} → {MAPPABLE.get(target, target)}" for column, target in obj.columns.items()
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Made on the import page, from the columns chosen there.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_register_admin(request.user)
