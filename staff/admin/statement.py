"""The staff panel for the privacy statement: draft, completeness, publishing, import, Art. 30."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Carrier
from statement.completeness import completeness
from statement.importer import StatementImportError
from statement.importing import import_statement
from statement.models import (
    STATEMENT_LANGUAGES,
    Controller,
    StatementDraft,
    StatementPart,
    StatementRecipient,
    StatementVersion,
)
from statement.publishing import publish_statement, render_statement_html, stale_reason
from statement.record import build_processing_record, render_processing_record_pdf

LANGUAGE_TITLES = {
    "fi": gettext_lazy("Suomeksi"),
    "sv": gettext_lazy("Ruotsiksi"),
    "en": gettext_lazy("Englanniksi"),
}
RECORD_PERMISSION = "statement.view_controller"
PUBLISH_PERMISSION = "statement.add_statementversion"


def _text_field_name(part: str, language: str) -> str:
    return f"text_{part}_{language}"


class StatementDraftForm(forms.ModelForm):
    """The draft's texts as one textarea per part and language, stored in its JSON field."""

    class Meta:
        model = StatementDraft
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for language in STATEMENT_LANGUAGES:
            for part in StatementPart:
                self.fields[_text_field_name(part, language)].initial = self.instance.text(
                    part, language
                )

    def save(self, commit: bool = True) -> StatementDraft:
        for language in STATEMENT_LANGUAGES:
            for part in StatementPart:
                value = self.cleaned_data.get(_text_field_name(part, language), "")
                self.instance.set_text(part, language, value)
        return super().save(commit)


# Declared on the class (not in __init__) so the admin's form factory accepts them by name.
for _language in STATEMENT_LANGUAGES:
    for _part in StatementPart:
        _field = forms.CharField(
            label=_part.label, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        StatementDraftForm.base_fields[_text_field_name(_part, _language)] = _field
        StatementDraftForm.declared_fields[_text_field_name(_part, _language)] = _field


# A statement is a few pages of text; anything larger is not one and is refused unread.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class StatementImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Vanha seloste"),
        help_text=gettext_lazy("Tekstitiedosto (.txt) tai HTML-sivu, enintään 2 Mt."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("Tiedosto on liian suuri selosteeksi (%(size)s Mt); enimmäiskoko on 2 Mt.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}"}
            )
        return upload


class StatementRecipientForm(forms.ModelForm):
    """A recipient of the registry; a carrier is chosen from the carriers shipments use."""

    carrier = forms.ChoiceField(
        label=gettext_lazy("kuljetusliike"),
        required=False,
        choices=[("", "–"), *Carrier.choices],
        help_text=gettext_lazy(
            "Lähetykset tälle kuljetusliikkeelle kirjataan tälle vastaanottajalle."
        ),
    )

    class Meta:
        model = StatementRecipient
        fields = [
            "position",
            "name_fi",
            "name_sv",
            "name_en",
            "role",
            "kind",
            "carrier",
            "country",
            "safeguard",
        ]

    def clean(self):
        data = super().clean()
        if data.get("carrier") and data.get("kind") != StatementRecipient.Kind.CARRIER:
            self.add_error("kind", _("Kuljetusliikkeen vastaanottajan laji on kuljetusliike."))
        return data


class StatementRecipientInline(admin.TabularInline):
    model = StatementRecipient
    extra = 0
    form = StatementRecipientForm
    fields = [
        "position",
        "name_fi",
        "name_sv",
        "name_en",
        "role",
        "kind",
        "carrier",
        "country",
        "safeguard",
    ]


@admin.register(StatementDraft)
class StatementDraftAdmin(admin.ModelAdmin):
    form = StatementDraftForm
    inlines = [StatementRecipientInline]
    readonly_fields = ["completeness_report", "import_report", "imported_from", "updated_at"]
    list_display = ["__str__", "updated_at", "imported_from"]
    change_form_template = "admin/statement/statementdraft/change_form.html"

    def get_fieldsets(self, request: HttpRequest, obj: StatementDraft | None = None):
        fieldsets = [(gettext_lazy("Puutteet"), {"fields": ["completeness_report"]})]
        for language in STATEMENT_LANGUAGES:
            fieldsets.append(
                (
                    LANGUAGE_TITLES[language],
                    {"fields": [_text_field_name(part, language) for part in StatementPart]},
                )
            )
        fieldsets.append(
            (
                gettext_lazy("Tuotu seloste"),
                {"fields": ["imported_from", "import_report", "updated_at"]},
            )
        )
        return fieldsets

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The register has one draft; StatementDraft.current() creates it.
        return super().has_add_permission(request) and not StatementDraft.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Puuttuu ennen julkaisua"))
    def completeness_report(self, obj: StatementDraft) -> str:
        gaps = completeness(obj) if obj.pk else []
        stale = stale_reason(obj) if obj.pk else None
        notes = [*gaps, *([stale] if stale else [])]
        if not notes:
            return _("Ei puutteita, ja julkaistu seloste vastaa rekisteriä.")
        if not gaps:
            notes.append(_("Ei puutteita: uusi versio voidaan julkaista."))
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((n,) for n in notes))
        )

    @admin.display(description=gettext_lazy("Puuteraportti"))
    def import_report(self, obj: StatementDraft) -> str:
        report = obj.imported or {}
        if not report:
            return "–"
        rows = [
            (_("Puuttuu"), ", ".join(report.get("missing", [])) or "–"),
            (_("Vanhentuneet viittaukset"), "; ".join(report.get("outdated", [])) or "–"),
            (_("Lupaukset"), "; ".join(report.get("promises", [])) or "–"),
        ]
        rows += [(key, text) for key, text in report.get("sections", {}).items()]
        return format_html(
            "<dl>{}</dl>",
            format_html_join("", '<dt>{}</dt><dd style="white-space:pre-line">{}</dd>', rows),
        )

    def changelist_view(self, request: HttpRequest, extra_context=None):
        StatementDraft.current()  # so the list always has the one draft to open
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/julkaise/", wrap(self.publish_view), name="statement_publish"),
            path("tuo/", wrap(self.import_view), name="statement_import"),
            path("kasittelytoimet/", wrap(self.record_view), name="statement_processing_record"),
            path(
                "kasittelytoimet/pdf/",
                wrap(self.record_pdf_view),
                name="statement_processing_record_pdf",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        draft = get_object_or_404(StatementDraft, pk=pk)
        change_url = reverse("admin:statement_statementdraft_change", args=[draft.pk])
        try:
            version = publish_statement(draft=draft, user=request.user)
        except ValidationError as exc:
            messages.error(request, _("Selostetta ei julkaistu, koska siitä puuttuu:"))
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(change_url)
        messages.success(
            request,
            format_html(
                _('Julkaistiin versio {number}: <a href="{url}">{url}</a>'),
                number=version.number,
                url=version.get_absolute_url(),
            ),
        )
        return HttpResponseRedirect(change_url)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = StatementImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_statement(data=upload.read(), filename=upload.name)
            except StatementImportError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(
                    request,
                    _("Seloste tuotiin luonnokseen. Puuttuu: %(missing)s.")
                    % {"missing": ", ".join(result.missing) or "–"},
                )
                draft = StatementDraft.current()
                return HttpResponseRedirect(
                    reverse("admin:statement_statementdraft_change", args=[draft.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tuo vanha tietosuojaseloste"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/statement/statementdraft/import.html", context)

    def record_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(RECORD_PERMISSION):
            raise PermissionDenied
        record = build_processing_record(StatementDraft.current())
        context = {
            **self.admin_site.each_context(request),
            "title": record.title,
            "record_html": render_statement_html(record),
            "opts": self.model._meta,
        }
        return render(request, "admin/statement/processing_record.html", context)

    def record_pdf_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(RECORD_PERMISSION):
            raise PermissionDenied
        response = HttpResponse(
            render_processing_record_pdf(StatementDraft.current()),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = 'inline; filename="seloste-kasittelytoimista.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(StatementVersion)
class StatementVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "published_at", "controller_name", "published_by", "content_hash"]
    fields = ["number", "published_at", "controller_name", "published_by", "content_hash"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from publishing the draft

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a published version never changes

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Controller)
class ControllerAdmin(admin.ModelAdmin):
    list_display = ["name", "business_id", "email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The register has one controller.
        return super().has_add_permission(request) and not Controller.objects.exists()
