"""Forms of the self-service portal: they validate and normalise, the services do the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from customers import validators as v
from customers.marketing.choices import Choice, MarketingState, Switch
from customers.models import Customer, Language
from portal.services import FREE_FORM_KINDS, switch_label
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


YES, NO = "yes", "no"


class MarketingForm(PortalForm):
    """The total direct-marketing ban, then one Kyllä/Ei per offered purpose and channel."""

    total = forms.BooleanField(
        label=_("Kiellän kaiken suoramarkkinoinnin"),
        required=False,
        help_text=_(
            "Et saa meiltä markkinointia millään kanavalla, eikä sitä kohdenneta ostojesi "
            "perusteella. Kaikki alla olevat markkinoinnin valinnat ovat silloin Ei."
        ),
    )

    def __init__(
        self,
        *args,
        choices: list[Choice],
        state: MarketingState,
        wordings: dict[tuple[str, str], str],
        **kwargs,
    ) -> None:
        initial = {"total": state.total}
        initial.update({_name(key): YES if value else NO for key, value in state.switches.items()})
        super().__init__(*args, initial=initial, **kwargs)
        self.choices = choices
        for choice in choices:
            for channel in choice.channels:
                # Under its purpose's heading: together they are what a consent records.
                self.fields[_name((choice.key, channel))] = forms.ChoiceField(
                    label=switch_label(choice, channel, wordings),
                    choices=[(YES, _("Kyllä")), (NO, _("Ei"))],
                    # Not required: a switch not posted is left as it is.
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "switch"}),
                )

    def groups(self) -> list[tuple[Choice, list[forms.BoundField]]]:
        """Return each offered purpose with its switches, in the page's order."""
        return [
            (choice, [self[_name((choice.key, c))] for c in choice.channels])
            for choice in self.choices
        ]

    def switches(self) -> dict[Switch, bool]:
        """Return every switch posted, as the customer left it: True for Kyllä."""
        return {
            (choice.key, channel): self.cleaned_data[_name((choice.key, channel))] == YES
            for choice in self.choices
            for channel in choice.channels
            if self.cleaned_data[_name((choice.key, channel))]
        }


def _name(switch: Switch) -> str:
    return f"{switch[0]}_{switch[1]}"


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
