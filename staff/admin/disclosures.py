"""The disclosure log in the staff panel: read, and record a hand-over done by hand.

Shipments and collection hand-overs log themselves (customers.services); this page is for the
rest, e.g. an invoice sent to the accounting firm for an audit. The recipient is chosen from those
the statement in force names, and the service refuses anything else, so the log never holds a
recipient the customer was not told about. An authority's request is its own case (Viranomaisten
pyynnöt), because it records who asked, on what basis and whether the customer was told.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from customers import services
from customers.models import Disclosure, Order
from staff.admin.marketing import CustomerNumberField, _adopt
from staff.paginator import BigTableAdminMixin
from statement import registry
from statement.models import StatementRecipient


class RecipientField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StatementRecipient) -> str:
        return f"{obj.name_fi} ({obj.get_kind_display()})"


class DisclosureForm(forms.ModelForm):
    customer = CustomerNumberField()
    listed_recipient = RecipientField(
        queryset=StatementRecipient.objects.none(),
        label=capfirst(_("vastaanottaja")),
        help_text=_(
            "Vain tietosuojaselosteessa nimetyt vastaanottajat. Viranomaisen pyyntö kirjataan "
            "viranomaispyyntönä."
        ),
    )
    fields = forms.MultipleChoiceField(
        label=capfirst(_("luovutetut tiedot")),
        choices=services.disclosable_field_groups,
        widget=forms.CheckboxSelectMultiple,
    )
    order_number = forms.CharField(
        label=capfirst(_("tilausnumero")),
        required=False,
        help_text=_("Jos luovutus koski yhtä tilausta."),
    )

    class Meta:
        model = Disclosure
        fields = ["customer", "listed_recipient", "fields", "reason", "disclosed_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listed_recipient"].queryset = registry.listed().exclude(
            kind=StatementRecipient.Kind.AUTHORITY
        )
        if "disclosed_at" in self.fields:
            self.fields["disclosed_at"].help_text = _("Milloin tiedot luovutettiin.")

    def clean(self):
        data = super().clean()
        customer = data.get("customer")
        number = (data.get("order_number") or "").strip()
        data["order"] = None
        if number and customer is not None:
            data["order"] = Order.objects.filter(customer=customer, number=number).first()
            if data["order"] is None:
                self.add_error("order_number", _("Asiakkaalla ei ole tilausta tällä numerolla."))
        if data.get("disclosed_at") and data["disclosed_at"] > timezone.now():
            self.add_error("disclosed_at", _("Luovutuksen aika ei voi olla tulevaisuudessa."))
        if self.errors:
            return data
        try:
            services.validate_disclosure(**self.disclosure())
        except ValidationError as exc:
            self.add_error(None, exc)
        return data

    def disclosure(self) -> dict:
        """Return the cleaned disclosure as the services take it (without its time)."""
        data = self.cleaned_data
        return {
            "customer": data["customer"],
            "recipient": data["listed_recipient"],
            "fields": data["fields"],
            "reason": data["reason"],
            "order": data["order"],
        }


@admin.register(Disclosure)
class DisclosureAdmin(BigTableAdminMixin, admin.ModelAdmin):
    """The log of what went to whom (GDPR 15(1)(c) and 19): recorded, never rewritten."""

    form = DisclosureForm
    list_display = ["disclosed_at", "recipient", "recipient_kind", "customer", "reason"]
    list_select_related = ["customer"]
    list_filter = ["recipient_kind"]
    search_fields = ["=customer__number"]
    search_help_text = _("Hae asiakasnumerolla.")
    # A recorded disclosure is shown as a record: who, what, to whom, when and why.
    shown_fields = [
        "disclosed_at",
        "customer",
        "recipient",
        "recipient_kind",
        "order",
        "fields_disclosed",
        "reason",
    ]

    def get_fields(self, request: HttpRequest, obj=None):
        return self.shown_fields if obj is not None else super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.shown_fields if obj is not None else []

    @admin.display(description=_("luovutetut tiedot"))
    def fields_disclosed(self, obj: Disclosure) -> str:
        return services.describe_fields(obj.fields or [])

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"disclosed_at": timezone.now(), **super().get_changeform_initial_data(request)}

    def save_model(self, request: HttpRequest, obj: Disclosure, form, change: bool) -> None:
        at = form.cleaned_data["disclosed_at"]
        _adopt(obj, services.record_disclosure(**form.disclosure(), at=at))

    def response_add(self, request: HttpRequest, obj: Disclosure, post_url_continue=None):
        """Back to the customer's page, where the new entry heads the disclosures."""
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        messages.success(
            request, _("Luovutus kirjattiin: %(recipient)s.") % {"recipient": obj.recipient}
        )
        return redirect("admin:customers_customer_change", obj.customer_id)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
