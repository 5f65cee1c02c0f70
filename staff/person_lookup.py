"""Find a person by an exact email address or phone number to record their marketing choice.

The marketing role has no customer pages, yet a ban or consent is often phoned or mailed in with
nothing but a phone number or an address. This page finds that one person by the exact contact
detail and shows only what the recording needs: the name, the contact details and the marketing
choices in force, with links that open the ban and consent forms for them. Each find is a read
of the customer's data and is audited.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers import validators as v
from customers.models import Customer
from privacy import audit
from staff.customer_page import bans_section, consents_section

# Who may use it: whoever may record a ban or a consent.
PERMISSIONS = ("customers.add_marketingban", "customers.add_consentevent")


class LookupForm(forms.Form):
    contact = forms.CharField(
        label=gettext_lazy("Sähköpostiosoite tai puhelinnumero"),
        max_length=254,
        help_text=gettext_lazy(
            "Täsmälleen sellaisena kuin asiakas sen ilmoitti, esimerkiksi "
            "matti.meikalainen@example.fi tai 040 123 4567. Nimellä ei voi hakea."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def clean_contact(self) -> tuple[str, str]:
        """Return ("email" or "phone", the value as the register stores it)."""
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            try:
                return "email", v.normalise_email(value)
            except ValidationError as exc:
                raise ValidationError(_("Sähköpostiosoite ei ole kelvollinen.")) from exc
        try:
            return "phone", v.normalise_phone(value)
        except ValidationError as exc:
            raise ValidationError(
                _("Kirjoita koko sähköpostiosoite tai puhelinnumero, esimerkiksi 040 123 4567.")
            ) from exc


def find_person(kind: str, value: str) -> Customer | None:
    """Return the one active customer whose email or phone is exactly `value`."""
    return Customer.objects.active().filter(**{kind: value}).order_by("pk").first()


def person_lookup(request: HttpRequest) -> HttpResponse:
    """Find a person by exact email or phone; show their marketing choices (audited)."""
    if not any(request.user.has_perm(permission) for permission in PERMISSIONS):
        raise PermissionDenied
    form = LookupForm(request.GET or None)
    person = None
    searched = False
    if form.is_valid():
        searched = True
        kind, value = form.cleaned_data["contact"]
        person = find_person(kind, value)
        if person is not None:
            audit.record(
                actor=request.user,
                action=audit.AuditEntry.Action.VIEW,
                customer_id=person.pk,
                object_label=audit.object_label(person),
                details={"view": "marketing_lookup", "search": kind},
                request=request,
            )
    context = {
        **admin.site.each_context(request),
        "title": _("Hae henkilö markkinointivalintaa varten"),
        "form": form,
        "searched": searched,
        "person": person,
        "phone": v.format_phone(person.phone) if person and person.phone else "",
        "consents": consents_section(person) if person else "",
        "bans": bans_section(person) if person else "",
        "can_ban": request.user.has_perm("customers.add_marketingban"),
        "can_consent": request.user.has_perm("customers.add_consentevent"),
    }
    return TemplateResponse(request, "admin/person_lookup.html", context)
