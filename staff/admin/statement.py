"""The staff panel for the privacy statement: draft, completeness, publishing, import, Art. 30."""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from customers.models import Carrier, ConsentEvent
from staff.admin.onboarding import StatementImportForm, onboarding_view
from statement.completeness import completeness
from statement.diff import word_diff
from statement.importer import StatementImportError
from statement.importing import import_statement
from statement.models import (
    REQUIRED_PARTS,
    STATEMENT_LANGUAGES,
    Controller,
    OutsideCategory,
    RetentionChoice,
    ShopPurpose,
    ShopSource,
    StatementDraft,
    StatementPart,
    StatementRecipient,
    StatementVersion,
    choosable_rules,
)
from statement.publishing import (
    preview_version,
    publish_statement,
    render_preview_pdf,
    render_statement_html,
    stale_reason,
)
from statement.purposes import OPTIONAL, categories_in_use, refusals
from statement.record import build_processing_record, render_processing_record_pdf

LANGUAGE_TITLES = {
    "fi": gettext_lazy("Suomeksi"),
    "sv": gettext_lazy("Ruotsiksi"),
    "en": gettext_lazy("Englanniksi"),
}
REQUIRED_NOTE = gettext_lazy("Pakollinen ennen julkaisua.")
RECORD_PERMISSION = "statement.view_controller"
PUBLISH_PERMISSION = "statement.add_statementversion"


def _text_field_name(part: str, language: str) -> str:
    return f"text_{part}_{language}"


def _checked_field_name(part: str) -> str:
    return f"translations_checked_{part}"


def _outdated_languages(draft: StatementDraft | None, part: str) -> list[str]:
    """The served translations of the part written for an earlier Finnish text."""
    if draft is None or not draft.pk:
        return []
    return [lang for lang in draft.translations() if draft.translation_outdated(part, lang)]


OUTDATED_NOTE = gettext_lazy(
    "Kirjoitettu aiemmalle suomenkieliselle tekstille: korjaa käännös tai rastita alta, "
    "että se vastaa suomenkielistä."
)


def _optional_purpose_choices() -> list[tuple[str, str]]:
    return [
        (
            key,
            format_html(
                "<span><strong>{}</strong> – {}</span>", capfirst(entry.purpose.label), entry.stops
            ),
        )
        for key, entry in OPTIONAL.items()
    ]


class StatementDraftForm(forms.ModelForm):
    """The draft's texts as one textarea per part and language, stored in its JSON field."""

    purposes_off = forms.MultipleChoiceField(
        label=gettext_lazy("Käytöstä poistetut tarkoitukset"),
        required=False,
        choices=_optional_purpose_choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = StatementDraft
        fields = ["serves_swedish", "serves_english", "purposes_off"]

    def clean_purposes_off(self) -> list[str]:
        keys = sorted(self.cleaned_data.get("purposes_off") or [])
        refused = refusals(keys)
        if refused:
            raise ValidationError(refused)
        return keys

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for language in STATEMENT_LANGUAGES:
            for part in StatementPart:
                self.fields[_text_field_name(part, language)].initial = self.instance.text(
                    part, language
                )
        for part in StatementPart:
            for language in _outdated_languages(self.instance, part):
                self.fields[_text_field_name(part, language)].help_text = OUTDATED_NOTE

    def save(self, commit: bool = True) -> StatementDraft:
        # Finnish first: a translation edited in the same save is written for the new Finnish.
        for language in STATEMENT_LANGUAGES:
            for part in StatementPart:
                value = self.cleaned_data.get(_text_field_name(part, language), "")
                self.instance.set_text(part, language, value)
        for part in StatementPart:
            if self.cleaned_data.get(_checked_field_name(part)):
                self.instance.confirm_translations(part)
        return super().save(commit)


# Declared on the class (not in __init__) so the admin's form factory accepts them by name. Each
# part's three languages stand side by side under the part's heading, so a field is labelled by
# its language; `lang` lets the browser check the spelling and a screen reader pronounce it.
for _language in STATEMENT_LANGUAGES:
    for _part in StatementPart:
        _field = forms.CharField(
            label=LANGUAGE_TITLES[_language],
            required=False,
            widget=forms.Textarea(attrs={"rows": 10, "lang": _language}),
        )
        StatementDraftForm.base_fields[_text_field_name(_part, _language)] = _field
        StatementDraftForm.declared_fields[_text_field_name(_part, _language)] = _field
# Shown under a part only while one of its translations is outdated (get_fieldsets).
for _part in StatementPart:
    _field = forms.BooleanField(
        label=gettext_lazy("Käännökset vastaavat suomenkielistä tekstiä"),
        required=False,
    )
    StatementDraftForm.base_fields[_checked_field_name(_part)] = _field
    StatementDraftForm.declared_fields[_checked_field_name(_part)] = _field


class PublishConfirmForm(forms.Form):
    """The preview's confirmation: publishing needs the tick, and publishes what was previewed."""

    confirm = forms.BooleanField(label=gettext_lazy("Olen tarkistanut esikatselun."))
    # The digest of what the preview showed (statement.publishing.statement_digest).
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, number: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if number is not None:
            self.fields["confirm"].label = _(
                "Olen tarkistanut esikatselun ja julkaisen sen versiona %(number)s."
            ) % {"number": number}


def _carrier_choices() -> list[tuple[str, str]]:
    # Read when the form is built: carriers are the shop's data (Kuljetusliikkeet).
    return [("", "–"), *Carrier.objects.values_list("key", "name")]


class StatementRecipientForm(forms.ModelForm):
    """A recipient of the registry; a carrier is chosen from the carriers shipments use."""

    carrier = forms.ChoiceField(
        label=capfirst(gettext_lazy("kuljetusliike")),
        required=False,
        help_text=gettext_lazy(
            "Lähetykset tälle kuljetusliikkeelle kirjataan tälle vastaanottajalle."
        ),
    )

    def __init__(self, *args, carrier_choices: list[tuple[str, str]] | None = None, **kwargs):
        # `carrier_choices`: read once by the formset for its every row (StatementRecipientFormSet).
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = (
            _carrier_choices() if carrier_choices is None else carrier_choices
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


class StatementRecipientFormSet(BaseInlineFormSet):
    """The draft's recipients, the carriers to choose from read once for all rows."""

    @cached_property
    def carrier_choices(self) -> list[tuple[str, str]]:
        return _carrier_choices()

    def get_form_kwargs(self, index: int | None) -> dict:
        return {**super().get_form_kwargs(index), "carrier_choices": self.carrier_choices}


class StatementRecipientInline(admin.StackedInline):
    """Each recipient as a card of labelled fields, three to a row: no table to scroll sideways."""

    model = StatementRecipient
    extra = 0
    form = StatementRecipientForm
    formset = StatementRecipientFormSet
    template = "admin/edit_inline/stacked_new.html"
    fieldsets = [
        (None, {"fields": [("name_fi", "name_sv", "name_en")]}),
        (None, {"fields": [("role", "kind", "carrier")]}),
        (None, {"fields": [("country", "safeguard", "position")]}),
    ]


def _three_languages(*fields: str) -> list[tuple[str, ...]]:
    """Return fieldset rows with each text's Finnish, Swedish and English side by side."""
    return [tuple(f"{field}_{language}" for language in STATEMENT_LANGUAGES) for field in fields]


SHORT_TEXTAREAS = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}


def _category_choices() -> list[tuple[str, str]]:
    return [(key, capfirst(c.label)) for key, c in categories_in_use(None).items()]


class ShopPurposeForm(forms.ModelForm):
    """A shop purpose, with the register's declared categories it uses as checkboxes."""

    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Käytettävät tietoryhmät"),
        required=False,
        choices=_category_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "shop-purpose-categories"}),
        help_text=ShopPurpose._meta.get_field("categories").help_text,
    )

    class Meta:
        model = ShopPurpose
        fields = [
            "catalogue_key",
            "basis",
            "position",
            "categories",
            *(
                f"{text}_{language}"
                for text in ShopPurpose.TEXT_FIELDS
                for language in STATEMENT_LANGUAGES
            ),
        ]

    def clean_categories(self) -> list[str]:
        # In the declared categories' order, so the statement and the package list them so.
        order = list(categories_in_use(None))
        return sorted(self.cleaned_data.get("categories") or [], key=order.index)


class ShopPurposeInline(admin.StackedInline):
    """The shop's purposes: catalogue entries it enables, and its own written in each language."""

    model = ShopPurpose
    form = ShopPurposeForm
    extra = 0
    template = "admin/edit_inline/stacked_new.html"
    formfield_overrides = SHORT_TEXTAREAS
    fieldsets = [
        (None, {"fields": [("catalogue_key", "basis", "position")]}),
        (None, {"fields": ["categories"], "classes": ["shop-purpose-categories"]}),
        (
            None,
            {
                "fields": _three_languages("name", "legitimate_interest", "description"),
                "description": gettext_lazy(
                    "Oma tarkoitus kirjoitetaan jokaisella selosteen kielellä. Oikeutettu etu on "
                    "pakollinen, kun oikeusperuste on oikeutettu etu. Viimeisenä kerro, onko "
                    "tietojen antaminen pakollista ja mitä seuraa, jos asiakas ei anna niitä."
                ),
            },
        ),
    ]


class OutsideCategoryInline(admin.StackedInline):
    """Data the shop holds outside the register, with where it is held and how long."""

    model = OutsideCategory
    extra = 0
    template = "admin/edit_inline/stacked_new.html"
    formfield_overrides = SHORT_TEXTAREAS
    fieldsets = [
        (
            None,
            {
                "fields": _three_languages("name", "description", "held_in"),
                "description": gettext_lazy(
                    "Esimerkiksi tietoryhmä ”Verkkosivuston käyttötiedot”, mitä tiedot ovat "
                    "yhdellä lauseella asiakkaalle (”Mitä sivuja katsoit ja milloin.”) ja missä "
                    "niitä pidetään (”Google Analytics”, ”paperiarkisto”)."
                ),
            },
        ),
        (None, {"fields": [("purposes", "position"), ("source", "shop_source")]}),
        (
            None,
            {
                "fields": [("retention_months",), *_three_languages("retention")],
                "description": gettext_lazy(
                    "Säilytysaika kuukausina, tai sanoin, jos sitä ei voi sanoa kuukausina "
                    "(esim. ”kunnes perut tilauksen”)."
                ),
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the draft's own sources (the register has one draft).
        if db_field.name == "shop_source":
            kwargs["queryset"] = ShopSource.objects.filter(draft=StatementDraft.current())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only the draft's own purposes (the register has one draft).
        if db_field.name == "purposes":
            kwargs["queryset"] = ShopPurpose.objects.filter(draft=StatementDraft.current())
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ShopSourceInline(admin.StackedInline):
    """The shop's other regular sources (the population register, the ASML lists…).

    A card per source, its three names side by side (one under another on a phone), as the
    other inlines: no table to scroll sideways.
    """

    model = ShopSource
    extra = 0
    template = "admin/edit_inline/stacked_new.html"
    fieldsets = [(None, {"fields": [*_three_languages("name"), ("position",)]})]


class RetentionChoiceForm(forms.ModelForm):
    class Meta:
        model = RetentionChoice
        fields = ["rule", "months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].help_text = "; ".join(
            _("%(rule)s: %(shortest)s–%(longest)s kuukautta (oletus %(default)s)")
            % {
                "rule": rule.choice_label,
                "shortest": rule.choice_months[0],
                "longest": rule.choice_months[1],
                "default": _declared_months(rule),
            }
            for rule in choosable_rules().values()
        )


def _declared_months(rule) -> int | None:
    """Return a rule's period without any choice (its setting or its number)."""
    return dataclasses.replace(rule, choice_months=None).in_months()


class RetentionChoiceInline(admin.StackedInline):
    """The periods the shop chose where the law leaves a choice, within the code's bounds."""

    model = RetentionChoice
    form = RetentionChoiceForm
    extra = 0
    template = "admin/edit_inline/stacked_new.html"
    fieldsets = [(None, {"fields": [("rule", "months")]})]


def _gap_html(note: str) -> str:
    """Return a gap message, with a link to the page where it is fixed when it has one."""
    url = getattr(note, "url", "")
    if not url:
        return note
    return format_html('{} <a href="{}">{}</a>', note, url, _("Korjaa tästä"))


@admin.register(StatementDraft)
class StatementDraftAdmin(admin.ModelAdmin):
    form = StatementDraftForm
    inlines = [
        ShopPurposeInline,
        OutsideCategoryInline,
        ShopSourceInline,
        RetentionChoiceInline,
        StatementRecipientInline,
    ]
    readonly_fields = ["completeness_report", "import_report", "imported_from", "updated_at"]
    list_display = ["__str__", "updated_at", "imported_from"]
    change_form_template = "admin/statement/statementdraft/change_form.html"

    def get_fieldsets(self, request: HttpRequest, obj: StatementDraft | None = None):
        fieldsets = [
            (gettext_lazy("Puutteet"), {"fields": ["completeness_report"]}),
            (
                gettext_lazy("Selosteen kielet"),
                {"fields": [("serves_swedish", "serves_english")]},
            ),
            (
                gettext_lazy("Käsittelyn tarkoitukset, joita kauppa ei käytä"),
                {
                    "fields": ["purposes_off"],
                    "classes": ["purposes-off"],
                    "description": gettext_lazy(
                        "Rastita tarkoitus, jota kauppa ei käytä. Se poistuu selosteesta ja "
                        "tietopaketista, ja kun seloste on julkaistu, rekisteri kieltäytyy "
                        "siitä kohdassa kerrotulla tavalla. Muut tarkoitukset, kuten "
                        "asiakassuhde, kirjanpito ja markkinointikiellot, ovat aina käytössä."
                    ),
                },
            ),
        ]
        for part in StatementPart:
            fieldsets.append(
                (
                    part.label,
                    {
                        "fields": [
                            tuple(_text_field_name(part, lang) for lang in STATEMENT_LANGUAGES),
                            *(
                                [_checked_field_name(part)]
                                if _outdated_languages(obj, part)
                                else []
                            ),
                        ],
                        "classes": ["statement-part"],
                        "description": REQUIRED_NOTE if part in REQUIRED_PARTS else "",
                    },
                )
            )
        fieldsets.append(
            (
                gettext_lazy("Tuotu seloste"),
                {
                    "fields": ["imported_from", "import_report", "updated_at"],
                    "classes": ["collapse"],
                },
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
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((_gap_html(note),) for note in notes)),
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
            path("<int:pk>/esikatselu/", wrap(self.preview_view), name="statement_preview"),
            path(
                "<int:pk>/esikatselu/<str:language>/",
                wrap(self.preview_page_view),
                name="statement_preview_page",
            ),
            path(
                "<int:pk>/esikatselu/<str:language>/pdf/",
                wrap(self.preview_pdf_view),
                name="statement_preview_pdf",
            ),
            path("<int:pk>/julkaise/", wrap(self.publish_view), name="statement_publish"),
            path("tuo/", wrap(self.import_view), name="statement_import"),
            path("kayttoonotto/", wrap(self.onboarding_view), name="statement_onboarding"),
            path("kasittelytoimet/", wrap(self.record_view), name="statement_processing_record"),
            path(
                "kasittelytoimet/pdf/",
                wrap(self.record_pdf_view),
                name="statement_processing_record_pdf",
            ),
            *super().get_urls(),
        ]

    def response_change(self, request: HttpRequest, obj: StatementDraft) -> HttpResponse:
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("admin:statement_preview", args=[obj.pk]))
        return super().response_change(request, obj)

    def _previewable_draft(self, request: HttpRequest, pk: int) -> StatementDraft:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(StatementDraft, pk=pk)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Show the version the draft would publish, its difference from the one in force."""
        draft = self._previewable_draft(request, pk)
        language = request.GET.get("kieli", "fi")
        if language not in draft.languages():
            language = "fi"
        preview = preview_version(draft)
        published = StatementVersion.latest()
        unchanged = published is not None and published.inputs_digest == preview.inputs_digest
        context = {
            **self.admin_site.each_context(request),
            "title": _("Esikatselu: versio %(number)s") % {"number": preview.number},
            "opts": self.model._meta,
            "original": draft,
            "draft": draft,
            "preview": preview,
            "published": published,
            "gaps": completeness(draft),
            "unchanged": unchanged,
            "language": language,
            "languages": [(code, LANGUAGE_TITLES[code]) for code in draft.languages()],
            "diff": word_diff(published.html(language), preview.html(language))
            if published is not None
            else None,
            "new_html": preview.html(language),
            "can_publish": request.user.has_perm(PUBLISH_PERMISSION),
            "confirm_form": PublishConfirmForm(
                number=preview.number, initial={"digest": preview.inputs_digest}
            ),
        }
        return TemplateResponse(request, "admin/statement/statementdraft/preview.html", context)

    def preview_page_view(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        """Show the draft's next version on the public page's layout, in one language."""
        draft = self._previewable_draft(request, pk)
        if language not in draft.languages():
            raise Http404
        preview = preview_version(draft)
        with translation.override(language):
            response = render(
                request,
                "statement/statement_preview.html",
                {
                    "controller": Controller.current(),
                    "version": preview,
                    "html": preview.html(language),
                    "pdf_url": reverse("admin:statement_preview_pdf", args=[draft.pk, language]),
                    "back_url": reverse("admin:statement_preview", args=[draft.pk])
                    + f"?kieli={language}",
                },
            )
        response["Cache-Control"] = "private, no-store"
        return response

    def preview_pdf_view(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        draft = self._previewable_draft(request, pk)
        if language not in draft.languages():
            raise Http404
        response = HttpResponse(render_preview_pdf(draft, language), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="esikatselu-{language}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Publish the previewed draft, once the staff member has confirmed it in the preview."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        draft = get_object_or_404(StatementDraft, pk=pk)
        preview_url = reverse("admin:statement_preview", args=[draft.pk])
        form = PublishConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Vahvista julkaisu esikatselun lopussa ennen julkaisua."))
            return HttpResponseRedirect(preview_url)
        try:
            version = publish_statement(
                draft=draft, user=request.user, previewed_digest=form.cleaned_data["digest"]
            )
        except ValidationError as exc:
            if any(e.code is None for e in exc.error_list):
                messages.error(request, _("Selostetta ei julkaistu, koska siitä puuttuu:"))
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(preview_url)
        messages.success(
            request,
            format_html(
                _('Julkaistiin tietosuojaselosteen versio {number}. <a href="{url}">{link}</a>'),
                number=version.number,
                url=version.get_absolute_url(),
                link=_("Avaa julkaistu seloste"),
            ),
        )
        return HttpResponseRedirect(
            reverse("admin:statement_statementversion_change", args=[version.pk])
        )

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

    def onboarding_view(self, request: HttpRequest) -> HttpResponse:
        return onboarding_view(request, self.admin_site)

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
    fields = [
        "number",
        "published_at",
        "controller_name",
        "published_by",
        "public_links",
        "consents",
        "content_hash",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("julkinen sivu ja PDF"))
    def public_links(self, obj: StatementVersion) -> str:
        links = [(obj.get_absolute_url(), _("Selosteen sivu"))]
        for language in obj.languages:
            with translation.override(language):
                url = reverse("statement:version_pdf", args=[obj.number])
            links.append((url, _("PDF %(language)s") % {"language": LANGUAGE_TITLES[language]}))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description=gettext_lazy("suostumukset tämän version aikana"))
    def consents(self, obj: StatementVersion) -> str:
        count = ConsentEvent.objects.filter(statement_version=obj).count()
        if not count:
            return _("Tämän version aikana ei ole annettu suostumuksia.")
        url = reverse("admin:customers_consentevent_changelist")
        return format_html(
            '<a href="{}?statement_version__id__exact={}">{}</a>',
            url,
            obj.pk,
            ngettext("%(count)s suostumustapahtuma", "%(count)s suostumustapahtumaa", count)
            % {"count": count},
        )

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
