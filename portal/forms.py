"""Forms of the self-service portal: they validate and normalise, the services do the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from customers import validators as v
from customers.models import BanChannel, BanScope, Channel, Customer, Language
from portal.services import BAN_CHANNELS, CONSENT_CHANNELS, CONSENT_QUESTIONS, FREE_FORM_KINDS
from rights.corrections import normalise_correction, self_service_fields
from rights.models import DataSubjectRequest


class PortalForm(forms.Form):
    """A portal form: labels without a trailing colon, as the portal's layout shows them."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def error_summary(self) -> list[tuple[str, str]]:
        """Return the form's errors as (the field's anchor or "", text), in the form's order.

        The text names the field first ("Postinumero: …"); a label that is itself a sentence
        ("Ymmärrän, että …") loses its closing stop so the two do not run together as ".:".
        """
        summary = [("", str(error)) for error in self.non_field_errors()]
        for field in self:
            anchor = f"{field.auto_id}_0" if field.use_fieldset else field.auto_id
            label = str(field.label or "").rstrip(" .:")
            summary += [
                (anchor, f"{label}: {error}" if label else str(error)) for error in field.errors
            ]
        return summary


def _code_field(label) -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=r"^\s*[0-9]{6}\s*$",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "6"}
        ),
        error_messages={
            "required": _("Anna sähköpostiisi lähetetty koodi."),
            "invalid": _("Koodissa on kuusi numeroa."),
        },
    )


class EmailForm(PortalForm):
    email = forms.EmailField(
        label=_("Sähköpostiosoite"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={
            "required": _("Anna sähköpostiosoitteesi."),
            "invalid": _("Anna sähköpostiosoite muodossa nimi@esimerkki.fi."),
        },
    )


class CodeForm(PortalForm):
    code = _code_field(_("Kirjautumiskoodi"))


class EmailCodeForm(PortalForm):
    code = _code_field(_("Vahvistuskoodi"))


# WCAG 2.1 1.3.5: inputs that ask for the user's own details say what they are for.
_AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "street_address": "street-address",
    "postal_code": "postal-code",
    "post_office": "address-level2",
    "phone": "tel",
    "email": "email",
    "company": "organization",
}


# The example in the phone field's hint, written as the portal writes every number.
PHONE_EXAMPLE = "+358401234567"


def _country_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in countries]


class DetailsForm(PortalForm):
    """The details the customer changes themselves, each normalised as a correction would be."""

    def __init__(self, *args, customer: Customer, **kwargs) -> None:
        self.customer = customer
        self.names = self_service_fields()
        initial = {name: getattr(customer, name) for name in self.names}
        if "phone" in initial:
            initial["phone"] = v.format_phone(customer.phone)
        super().__init__(*args, initial=initial, **kwargs)
        for name in self.names:
            model_field = Customer._meta.get_field(name)
            label = capfirst(model_field.verbose_name)
            if name == "preferred_language":
                field = forms.ChoiceField(label=label, choices=Language.choices)
            elif name == "country":
                field = forms.ChoiceField(label=label, choices=_country_choices, required=False)
            elif name == "email":
                field = forms.EmailField(
                    label=label,
                    required=False,
                    max_length=254,
                    widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                    help_text=_(
                        "Uusi osoite otetaan käyttöön, kun annat koodin, jonka lähetämme siihen."
                    ),
                    error_messages={
                        "invalid": _("Anna sähköpostiosoite muodossa nimi@esimerkki.fi.")
                    },
                )
            else:
                widget = forms.TextInput(
                    attrs={"type": "tel", "inputmode": "tel"} if name == "phone" else {}
                )
                field = forms.CharField(
                    label=label, required=False, max_length=model_field.max_length, widget=widget
                )
            if name in _AUTOCOMPLETE:
                field.widget.attrs["autocomplete"] = _AUTOCOMPLETE[name]
            if name == "phone":
                field.help_text = _("Esim. %(example)s") % {
                    "example": v.format_phone(PHONE_EXAMPLE)
                }
            self.fields[name] = field

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.names:
            if name not in cleaned:
                continue
            try:
                cleaned[name] = normalise_correction(self.customer, name, cleaned[name])
            except ValidationError as exc:
                self.add_error(name, exc)
        if not self.errors and not self.changes():
            raise ValidationError(_("Et muuttanut yhtään tietoa."), code="unchanged")
        return cleaned

    def changes(self) -> dict[str, str]:
        """Return the normalised new value of every field the customer changed."""
        return {
            name: self.cleaned_data[name]
            for name in self.names
            if name in self.cleaned_data
            and self.cleaned_data[name] != str(getattr(self.customer, name) or "")
        }


class CorrectionRequestForm(PortalForm):
    """A correction of one field only staff may change: the right value and why."""

    reason = forms.CharField(
        label=_("Miksi tieto on väärä? (vapaaehtoinen)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, customer: Customer, field_name: str, **kwargs) -> None:
        self.customer = customer
        self.field_name = field_name
        super().__init__(*args, **kwargs)
        model_field = Customer._meta.get_field(field_name)
        label = _("Oikea %(field)s") % {"field": model_field.verbose_name}
        help_text = _("Jätä tyhjäksi, jos tieto pitää poistaa.")
        if isinstance(model_field, models.DateField):
            field = forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text=help_text,
            )
        elif isinstance(model_field, models.TextField):
            field = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            field.help_text = help_text
        else:
            field = forms.CharField(
                label=label,
                required=False,
                max_length=model_field.max_length,
                help_text=model_field.help_text or help_text,
            )
        if field_name in _AUTOCOMPLETE:
            field.widget.attrs["autocomplete"] = _AUTOCOMPLETE[field_name]
        self.fields = {"new_value": field, "reason": self.fields["reason"]}

    def clean_new_value(self) -> str:
        value = self.cleaned_data["new_value"]
        value = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        try:
            value = normalise_correction(self.customer, self.field_name, value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        if value == str(getattr(self.customer, self.field_name) or ""):
            raise ValidationError(_("Tämä on jo tallennettu tieto. Kirjoita oikea tieto."))
        return value


def _channels(label, channels, initial: list[str], offered=None) -> forms.MultipleChoiceField:
    """Return a group of checkboxes, one per channel offered, under a question.

    A channel the customer already chose stays offered, so that saving never drops it silently.
    """
    offered = set(offered if offered is not None else channels.values) | set(initial)
    return forms.MultipleChoiceField(
        label=label,
        choices=[(value, label) for value, label in channels.choices if value in offered],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=initial,
    )


class MarketingForm(PortalForm):
    """Consents per purpose and channel, and bans per scope and channel, as checkboxes."""

    def __init__(
        self,
        *args,
        consents: dict[tuple[str, str], bool],
        bans: set[tuple[str, str]],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        for purpose in CONSENT_QUESTIONS:
            self.fields[f"consent_{purpose}"] = _channels(
                CONSENT_QUESTIONS[purpose],
                Channel,
                [c for c in Channel.values if consents.get((purpose, c))],
                CONSENT_CHANNELS[purpose],
            )
        for scope in BanScope.values:
            self.fields[f"ban_{scope}"] = _channels(
                BAN_QUESTIONS[scope],
                BanChannel,
                [c for c in BanChannel.values if (scope, c) in bans],
                BAN_CHANNELS[scope],
            )

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[f"consent_{p}"] for p in CONSENT_QUESTIONS]

    def ban_fields(self) -> list[forms.BoundField]:
        return [self[f"ban_{s}"] for s in BanScope.values]

    def consents(self) -> set[tuple[str, str]]:
        """Return the (purpose, channel) pairs the customer agrees to."""
        return {(p, c) for p in CONSENT_QUESTIONS for c in self.cleaned_data[f"consent_{p}"]}

    def bans(self) -> set[tuple[str, str]]:
        """Return the (scope, channel) pairs the customer forbids."""
        return {(s, c) for s in BanScope.values for c in self.cleaned_data[f"ban_{s}"]}


BAN_QUESTIONS = {
    BanScope.DIRECT_MARKETING: _("Kiellän suoramarkkinoinnin"),
    BanScope.DISTANCE_SELLING: _("Kiellän etämyynnin, kuten puhelinmyynnin"),
    BanScope.RESEARCH: _("Kiellän markkina- ja mielipidetutkimukset"),
    BanScope.PROFILING: _("Kiellän profiloinnin"),
    BanScope.PUBLICATION: _("Kiellän tietojeni julkaisemisen luetteloissa"),
}


class ErasureForm(PortalForm):
    confirm = forms.BooleanField(
        label=_("Ymmärrän, että poistoa ei voi perua, kun se on tehty."),
        error_messages={"required": _("Vahvista poistopyyntö rastittamalla tämä kohta.")},
    )


class RequestForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("Mitä pyydät?"),
        choices=[(k, DataSubjectRequest.Kind(k).label) for k in FREE_FORM_KINDS],
        widget=forms.RadioSelect,
        help_text=_("Vastustamispyyntö lopettaa myös suoramarkkinoinnin heti."),
        error_messages={"required": _("Valitse pyynnön laji.")},
    )
    description = forms.CharField(
        label=_("Kerro pyynnöstäsi"),
        help_text=_("Kerro, mitä käsittelyä pyyntö koskee ja miksi."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Kirjoita, mitä pyydät.")},
    )
