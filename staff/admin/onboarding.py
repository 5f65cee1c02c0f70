"""The register admin's guided set-up from the old statement (käyttöönotto).

Upload the old rekisteriseloste (or see the last import), then confirm or correct each part
the importer recognised: controller, contact person, recipients, purposes and sources; read
the data-content comparison and the old promises; then preview and publish. Each form posts
to the same page with its ``section`` and is saved by one service in statement.onboarding.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.fi import ytunnus

from staff.roles import REGISTER_ADMIN, has_role
from statement import onboarding
from statement.importer import StatementImportError
from statement.importer.catalogue_keys import PURPOSE_KEYS, SOURCE_KEYS
from statement.importer.promises import DROP, MAPPED, OUTSIDE
from statement.importing import import_statement
from statement.models import Controller, StatementDraft
from statement.purpose_catalogue import SOURCES, catalogue_key, imported_label

STATUS_LABELS = {
    MAPPED: gettext_lazy("Rekisteri pitää tämän"),
    DROP: gettext_lazy("Jätä pois"),
    OUTSIDE: gettext_lazy("Pidä itse, rekisterin ulkopuolella"),
}
DROPPED_LABEL = gettext_lazy("Jätetty pois")


class ControllerForm(forms.ModelForm):
    class Meta:
        model = Controller
        fields = list(onboarding.CONTROLLER_FIELDS)

    def clean_business_id(self) -> str:
        value = self.cleaned_data["business_id"].strip()
        if value and not ytunnus.is_valid(value):
            raise ValidationError(_("Y-tunnus ei ole oikein: tarkista numerot ja tarkiste."))
        return ytunnus.format(value) if value else ""


class ContactPersonForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nimi"), max_length=200, required=False)
    email = forms.EmailField(label=gettext_lazy("Sähköposti"), required=False)
    phone = forms.CharField(label=gettext_lazy("Puhelin"), max_length=30, required=False)


class RecipientsForm(forms.Form):
    names = forms.MultipleChoiceField(
        label=gettext_lazy("Lisättävät vastaanottajat"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["names"].choices = [(name, name) for name in names]


def _purpose_choice(key: str):
    """Label a purpose key, saying when the catalogue has no entry for it to enable."""
    if catalogue_key(key):
        return imported_label(key)
    return format_lazy(
        "{} ({})", imported_label(key), gettext_lazy("ei valmista tarkoitusta: kirjoita omaksi")
    )


class KeysForm(forms.Form):
    purposes = forms.MultipleChoiceField(
        label=gettext_lazy("Käsittelyn tarkoitukset"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[(key, _purpose_choice(key)) for key in PURPOSE_KEYS],
    )
    sources = forms.MultipleChoiceField(
        label=gettext_lazy("Tietolähteet"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[(key, SOURCES[key]) for key in SOURCE_KEYS],
    )


class DropPromisesForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Olen lukenut perustelut: poista pois jätettäviksi merkityt lupaukset luonnoksen "
            "teksteistä"
        ),
        error_messages={
            "required": gettext_lazy("Vahvista ensin, että lupaukset poistetaan luonnoksesta.")
        },
    )


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


def _forms(draft: StatementDraft, data=None, files=None, section: str = "") -> dict:
    """Return the page's forms, the posted one bound and the others filled from the import."""
    setup = onboarding.recognised_setup(draft)
    done = onboarding.confirmed(draft)
    controller = Controller.current()
    found = setup.get("controller", {})
    initial = {
        name: found.get(name) or (getattr(controller, name) if controller else "")
        for name in onboarding.CONTROLLER_FIELDS
    }
    contact = setup.get("contact_person", {})
    contact_initial = {
        key: contact.get(key) or (getattr(controller, field) if controller else "")
        for key, field in onboarding.CONTACT_FIELDS.items()
    }
    names = setup.get("recipients", [])
    existing = {n.casefold() for n in draft.recipients.values_list("name_fi", flat=True)}
    keys_initial = {
        "purposes": done.get("purposes", setup.get("purposes", [])),
        "sources": done.get("sources", setup.get("sources", [])),
    }

    def bound(name: str) -> dict:
        return {"data": data, "files": files} if section == name else {}

    return {
        "upload": StatementImportForm(**bound("upload")),
        "controller": ControllerForm(
            instance=controller, initial=initial, prefix="controller", **bound("controller")
        ),
        "contact_person": ContactPersonForm(
            initial=contact_initial, prefix="contact", **bound("contact_person")
        ),
        "recipients": RecipientsForm(
            names=names,
            initial={"names": [n for n in names if n.casefold() not in existing]},
            prefix="recipients",
            **bound("recipients"),
        ),
        "keys": KeysForm(initial=keys_initial, prefix="keys", **bound("keys")),
        "promises": DropPromisesForm(prefix="promises", **bound("promises")),
    }


def _save(request: HttpRequest, section: str, form: forms.Form) -> str:
    """Save one confirmed section through its service; return the success message."""
    data = form.cleaned_data
    if section == "upload":
        upload = data["file"]
        result = import_statement(data=upload.read(), filename=upload.name)
        setup = result.setup
        return _(
            "Seloste %(name)s luettiin: tunnistettiin %(purposes)s tarkoitusta ja "
            "%(recipients)s vastaanottajaa. Tarkista kohdat alla."
        ) % {
            "name": upload.name,
            "purposes": len(setup["purposes"]),
            "recipients": len(setup["recipients"]),
        }
    if section == "controller":
        values = {name: data[name] for name in onboarding.CONTROLLER_FIELDS}
        onboarding.confirm_controller(user=request.user, values=values, request=request)
        return _("Rekisterinpitäjän tiedot tallennettiin.")
    if section == "contact_person":
        onboarding.confirm_contact_person(user=request.user, values=data, request=request)
        return _("Yhteyshenkilön tiedot tallennettiin.")
    if section == "recipients":
        added = onboarding.add_recipients(user=request.user, names=data["names"], request=request)
        return _("Vastaanottajarekisteriin lisättiin %(count)s vastaanottajaa.") % {
            "count": len(added)
        }
    if section == "promises":
        removed = onboarding.drop_promises(user=request.user, request=request)
        if not removed:
            return _("Luonnoksessa ei ollut enää pois jätettäviä lupauksia.")
        return _(
            "Luonnoksen teksteistä poistettiin %(count)s lupausta. Julkaistu seloste ei vastaa "
            "luonnosta, ennen kuin julkaiset uuden version esikatselusta."
        ) % {"count": len(removed)}
    applied = onboarding.confirm_keys(
        user=request.user, purposes=data["purposes"], sources=data["sources"], request=request
    )
    message = _(
        "Tarkoitukset ja tietolähteet vahvistettiin: luonnokselle otettiin käyttöön "
        "%(purposes)s tarkoitusta ja lisättiin %(sources)s tietolähdettä."
    ) % {"purposes": len(applied.purposes), "sources": len(applied.sources)}
    if applied.without_entry:
        message += " " + _(
            "Tarkoitusluettelossa ei ole valmista tarkoitusta näille: %(names)s. Kirjoita ne "
            "luonnokselle omiksi tarkoituksiksi."
        ) % {"names": ", ".join(str(imported_label(key)) for key in applied.without_entry)}
    return message


def _promise_label(state: onboarding.PromiseState) -> str:
    if state.dropped:
        return DROPPED_LABEL
    return STATUS_LABELS.get(state.review.status, _("Arvioi itse"))


def onboarding_view(request: HttpRequest, admin_site) -> HttpResponse:
    """Show the guided set-up, and save the section a form posts."""
    if not has_role(request.user, REGISTER_ADMIN):
        raise PermissionDenied
    draft = StatementDraft.current()
    section = request.POST.get("section", "") if request.method == "POST" else ""
    if request.method == "POST" and section not in ("upload", *onboarding.SECTIONS):
        return HttpResponseRedirect(request.path)
    page_forms = _forms(draft, request.POST or None, request.FILES or None, section)
    if section:
        form = page_forms[section]
        if form.is_valid():
            try:
                message = _save(request, section, form)
            except StatementImportError as exc:
                form.add_error("file", str(exc))
            except (ValidationError, ValueError) as exc:
                for text in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, text)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(f"{request.path}#{section}")
        messages.error(request, _("Tietoja ei tallennettu: korjaa alla merkityt kohdat."))
    states = onboarding.promise_states(draft)
    sections = (draft.imported or {}).get("sections", {})
    context = {
        **admin_site.each_context(request),
        "title": _("Käyttöönotto vanhasta selosteesta"),
        "opts": StatementDraft._meta,
        "draft": draft,
        "forms": page_forms,
        "imported": bool(draft.imported),
        "setup": onboarding.recognised_setup(draft),
        "confirmed": onboarding.confirmed(draft),
        "recipients": list(draft.recipients.all()),
        "purposes": list(draft.purposes.all()),
        "sources": list(draft.sources.all()),
        "without_entry": [
            imported_label(key) for key in onboarding.confirmed(draft).get("without_entry", [])
        ],
        "comparison": onboarding.compare_data_content(sections.get("data_content", ""))
        if draft.imported
        else None,
        "has_data_content": bool(sections.get("data_content")),
        "promises": [(state, _promise_label(state)) for state in states],
        "dropped": sum(state.review.status == DROP for state in states),
        "to_drop": sum(state.to_drop for state in states),
        "preview_url": reverse("admin:statement_preview", args=[draft.pk]),
    }
    return TemplateResponse(request, "admin/statement/statementdraft/onboarding.html", context)
