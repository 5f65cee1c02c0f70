"""Authorities' requests for a customer's data: recorded, the customer told, the data handed over.

The form only parses input; every step is a service of rights.authority. The statement's promise
("told first", AUTHORITY_REQUESTS_TOLD_FIRST) is checked before anything is saved, so a refused
hand-over leaves the record as it was.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer, Order
from customers.services import describe_fields
from rights import authority
from rights.models import AuthorityRequest
from staff.admin.marketing import CustomerNumberField

# What an authority usually asks for: who the person is and how to reach them, and their orders.
_HANDOVER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "post_office",
)


def _handover_choices() -> list[tuple[str, str]]:
    return [
        *((name, Customer._meta.get_field(name).verbose_name) for name in _HANDOVER_FIELDS),
        ("orders", _("tilaukset ja niiden toimitukset")),
    ]


def _fields_of(chosen: list[str]) -> list[str]:
    """Return the register's field names for the choices; "orders" is every order field given.

    The disclosure log names real fields, so that a later correction of, say, the billing address
    finds this authority among those to tell (GDPR Art. 19).
    """
    fields = [name for name in chosen if name != "orders"]
    if "orders" in chosen:
        fields += [*Order.BILLING_FIELDS, *Order.DELIVERY_FIELDS]
    return fields


class AuthorityRequestForm(forms.ModelForm):
    customer = CustomerNumberField(label=gettext_lazy("asiakasnumero"))
    tell_customer = forms.BooleanField(
        label=gettext_lazy("Kerro asiakkaalle nyt sähköpostilla"), required=False
    )
    hand_over_fields = forms.MultipleChoiceField(
        label=gettext_lazy("Luovuta nämä tiedot viranomaiselle"),
        choices=_handover_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AuthorityRequest
        fields = ["customer", "authority", "legal_basis", "requested", "telling_withheld_reason"]

    def clean(self):
        data = super().clean()
        instance = self.instance
        told = (
            instance.customer_told_at is not None
            or data.get("tell_customer")
            or (data.get("telling_withheld_reason") or "").strip()
        )
        if data.get("hand_over_fields") and settings.AUTHORITY_REQUESTS_TOLD_FIRST and not told:
            self.add_error(
                "hand_over_fields",
                _(
                    "Tietosuojaseloste lupaa kertoa asiakkaalle ennen luovutusta: valitse "
                    "”Kerro asiakkaalle” tai kirjaa, miksi laki kieltää kertomasta."
                ),
            )
        customer = data.get("customer")
        if data.get("tell_customer") and customer is not None and not customer.email:
            self.add_error(
                "tell_customer",
                _("Asiakkaalla ei ole sähköpostiosoitetta: kerro hänelle muuten."),
            )
        return data


@admin.register(AuthorityRequest)
class AuthorityRequestAdmin(admin.ModelAdmin):
    form = AuthorityRequestForm
    list_display = ["authority", "customer", "received_at", "customer_told_at", "handed_over_at"]
    list_select_related = ["customer"]
    readonly_fields = ["received_at", "customer_told_at", "handed_over_at", "fields_handed_over"]

    @admin.display(description=gettext_lazy("luovutetut tiedot"))
    def fields_handed_over(self, obj: AuthorityRequest) -> str:
        return describe_fields(obj.fields or [])

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # What was asked and by whom is the record itself: it is not rewritten.
            fields += ["customer", "authority", "legal_basis", "requested"]
        return fields

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AuthorityRequest, form, change: bool):
        data = form.cleaned_data
        if not change:
            obj = authority.receive_authority_request(
                customer=data["customer"],
                authority=data["authority"],
                legal_basis=data["legal_basis"],
                requested=data["requested"],
                user=request.user,
            )
            form.instance = obj
        reason = (data.get("telling_withheld_reason") or "").strip()
        if reason and reason != obj.telling_withheld_reason:
            authority.withhold_telling(request=obj, reason=reason, user=request.user)
        if data.get("tell_customer") and obj.customer_told_at is None:
            authority.tell_customer(request=obj, user=request.user)
        if data.get("hand_over_fields"):
            authority.hand_over(
                request=obj, fields=_fields_of(data["hand_over_fields"]), user=request.user
            )
