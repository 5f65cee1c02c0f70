"""The staff panel for customers, their orders and deliveries."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from customers import services
from customers.models import (
    Customer,
    CustomerNote,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
)
from customers.purposes import fields_not_asked, source_choices
from privacy.citations import Style, cite
from staff import customer_page
from staff.admin.carriers import ShipmentForm, ShipmentFormSet, hand_over
from staff.paginator import BigTableAdminMixin
from staff.search import search_customers

# Notes the customer page lets staff edit; older ones stay in the customer's record.


NOTE_LIMIT = 10
KEPT_VOUCHERS = "customers.view_kept_vouchers"


def vouchers_only_for_bookkeeping(request: HttpRequest, queryset: QuerySet, path: str) -> QuerySet:
    """Leave out erased customers (and their orders) for a role that does not keep the books.

    What erasure keeps of a customer is their accounting vouchers, for bookkeeping alone
    (ACCOUNTING_VOUCHERS): customer service and marketing neither find nor open them.
    """
    if request.user.has_perm(KEPT_VOUCHERS):
        return queryset
    return queryset.filter(**{f"{path}erased_at__isnull": True})


class LatestNotesFormSet(BaseInlineFormSet):
    """The latest notes only, the same slice on display and on save, so the page stays bounded."""

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset()[:NOTE_LIMIT]
        return self._latest


class NoteForm(forms.ModelForm):
    """A note; a new one's type is chosen, not left at the model's default (email) by mistake."""

    class Meta:
        model = CustomerNote
        fields = ["kind", "body"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial["kind"] = ""
            self.fields["kind"].choices = [("", BLANK_CHOICE_LABEL), *CustomerNote.Kind.choices]


class NoteInline(admin.StackedInline):
    model = CustomerNote
    form = NoteForm
    formset = LatestNotesFormSet
    extra = 1
    template = "admin/edit_inline/stacked_new.html"
    verbose_name_plural = _("asiakaspalvelun viestit (viimeisimmät)")
    fields = ["kind", "body", "written_by", "created_at"]
    readonly_fields = ["written_by", "created_at"]

    @admin.display(description=_("kirjoittaja"))
    def written_by(self, obj: CustomerNote) -> str:
        # The name as text: Django would link it to the staff account, which only the register
        # admin may open.
        return str(obj.author) if obj.author_id else "–"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("author").order_by("-created_at")


class CustomerAdminForm(forms.ModelForm):
    """The customer form, which refuses to overwrite a change saved since it was opened.

    Optimistic concurrency: the form carries the `updated_at` it was opened with, and saving
    compares it with the row's, under a row lock held until the admin's transaction ends, so
    of two staff saving the same customer at once the second is told instead of silently
    undoing the first.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Customer
        # The admin replaces these with the fields of CustomerAdmin.fieldsets.
        fields = ["first_name", "last_name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            current = (
                Customer.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current is None or self.cleaned_data.get("loaded_version") != current.isoformat():
                raise ValidationError(
                    gettext(
                        "Toinen käyttäjä on tallentanut tämän asiakkaan tietoja sen jälkeen, kun "
                        "avasit lomakkeen (%(time)s). Muutoksiasi ei tallennettu, jotta hänen "
                        "muutoksensa eivät katoa. Avaa asiakas uudelleen, tarkista tiedot ja "
                        "tee muutoksesi uudelleen."
                    )
                    % {
                        "time": timezone.localtime(current).strftime("%d.%m.%Y %H.%M.%S")
                        if current
                        else "–"
                    },
                    code="conflict",
                )
        return cleaned


@admin.register(Customer)
class CustomerAdmin(BigTableAdminMixin, admin.ModelAdmin):
    form = CustomerAdminForm
    list_display = ["formatted_number", "last_name", "first_name", "email", "phone", "post_office"]
    # The list is rendered by customers/templatetags/customer_admin.py, which follows these columns.
    list_display_links = ["formatted_number"]
    list_columns = ["number", "last_name", "first_name", "email", "phone", "post_office"]
    # The search box is served by staff.search (exact keys first, then name fragments).
    search_fields = ["last_name"]
    search_help_text = _("Hae asiakasnumerolla, sähköpostilla, puhelinnumerolla tai nimellä.")
    list_per_page = 50
    readonly_fields = [
        "formatted_number",
        "created_at",
        "updated_at",
        "last_activity_at",
        "order_history",
        "deliveries",
        "consents",
        "bans",
        "disclosures",
        "privacy_requests",
        "audit_trail",
        "restriction",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "formatted_number",
                    "first_name",
                    "last_name",
                    "preferred_language",
                    "loaded_version",
                ]
            },
        ),
        (
            _("Yhteystiedot"),
            {
                "fields": [
                    "email",
                    "phone",
                    "street_address",
                    "postal_code",
                    "post_office",
                    "country",
                ]
            },
        ),
        (_("Yritys"), {"fields": ["company", "business_id"]}),
        (
            _("Lisätiedot"),
            {"fields": ["birth_date", "profession", "interests", "source", "external_id"]},
        ),
        (
            _("Käsittely"),
            {"fields": ["restriction", "created_at", "updated_at", "last_activity_at"]},
        ),
        (_("Tilaukset"), {"fields": ["order_history", "deliveries"]}),
        (_("Suostumukset ja kiellot"), {"fields": ["consents", "bans"]}),
        (_("Luovutukset ja tietosuojapyynnöt"), {"fields": ["disclosures", "privacy_requests"]}),
        (_("Käyttöloki"), {"fields": ["audit_trail"]}),
    ]
    inlines = [NoteInline]

    @admin.display(description=_("asiakasnumero"), ordering="number")
    def formatted_number(self, obj: Customer) -> str:
        return obj.formatted_number

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return vouchers_only_for_bookkeeping(request, super().get_queryset(request), "")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # The search is audited with the list it shows (staff.audited).
        if not search_term.strip():
            return queryset, False
        return search_customers(queryset, search_term), False

    def get_fieldsets(self, request: HttpRequest, obj=None):
        # A field only a purpose the statement switched off explains is not asked.
        hidden = fields_not_asked()
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None:
            # A new customer has no history yet.
            return fieldsets[:5]
        if not request.user.has_perm("privacy.view_auditentry"):
            # Who looked at a customer is the register admin's business alone.
            return fieldsets[:-1]
        return fieldsets

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["choices"] = source_choices()
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # An erased customer's row is what the erasure left: shown, never edited back.
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Customers are erased through an erasure request (rights.erasure), which keeps the
        # accounting vouchers and the suppression list; never deleted from the staff panel.
        return False

    @admin.display(description=_("tilaukset"))
    def order_history(self, obj: Customer) -> str:
        return customer_page.orders_section(obj) if obj.pk else "–"

    @admin.display(description=_("toimitukset"))
    def deliveries(self, obj: Customer) -> str:
        return customer_page.deliveries_section(obj) if obj.pk else "–"

    @admin.display(description=_("suostumukset"))
    def consents(self, obj: Customer) -> str:
        return customer_page.consents_section(obj) if obj.pk else "–"

    @admin.display(description=_("markkinointikiellot"))
    def bans(self, obj: Customer) -> str:
        return customer_page.bans_section(obj) if obj.pk else "–"

    @admin.display(description=_("luovutukset"))
    def disclosures(self, obj: Customer) -> str:
        return customer_page.disclosures_section(obj) if obj.pk else "–"

    @admin.display(description=_("käsittelyn rajoitus"))
    def restriction(self, obj: Customer) -> str:
        # Read-only here: a restriction is set and lifted through a request, whose lifting
        # records the notice GDPR Art. 18(3) requires.
        state = _("Käsittelyä on rajoitettu.") if obj.is_restricted else _("Ei rajoitettu.")
        return format_html(
            '{} <span class="help">{}</span>',
            state,
            _("Rajoitus asetetaan ja poistetaan tietosuojapyynnön kautta (%(article)s).")
            % {"article": cite(18, style=Style.TEXT)},
        )

    @admin.display(description=_("tietosuojapyynnöt"))
    def privacy_requests(self, obj: Customer) -> str:
        return customer_page.requests_section(obj) if obj.pk else "–"

    @admin.display(description=_("käyttöloki"))
    def audit_trail(self, obj: Customer) -> str:
        return customer_page.audit_section(obj) if obj.pk else "–"

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, CustomerNote):
                services.save_note(note=instance, author=request.user)
            else:
                instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ["product_name", "sku", "quantity", "unit_price_net", "vat_rate"]


class ShipmentInline(admin.TabularInline):
    model = Shipment
    form = ShipmentForm
    formset = ShipmentFormSet
    extra = 0
    fields = ["carrier", "tracking_code", "shipped_at", "delivered_at"]
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Each row is headed by its shipment's name: read with the rows, not once per row.
        return super().get_queryset(request).with_carriers()


@admin.register(Order)
class OrderAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["number", "customer", "ordered_at", "status", "invoice_state", "total_gross"]
    list_select_related = ["customer"]
    search_fields = ["=number", "=external_id"]
    raw_id_fields = ["customer"]
    readonly_fields = ["total_net", "total_vat", "total_gross", "tracking_events"]
    inlines = [OrderLineInline, ShipmentInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Shipment:
            for shipment_form in formset.forms:
                if shipment_form not in formset.deleted_forms:
                    hand_over(shipment_form)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return vouchers_only_for_bookkeeping(request, super().get_queryset(request), "customer__")

    @admin.display(description=_("seurantatapahtumat"))
    def tracking_events(self, obj: Order) -> str:
        # Each event names its shipment: the shipments and their carriers' names in one query.
        shipments = Prefetch("shipment", queryset=Shipment.objects.with_carriers())
        events = TrackingEvent.objects.filter(shipment__order=obj).prefetch_related(shipments)
        return (
            format_html_join(
                "\n",
                "<div>{} · {} · {} {}</div>",
                (
                    (e.shipment, customer_page.format_time(e.occurred_at), e.state, e.location)
                    for e in events
                ),
            )
            or "–"
        )


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    fields = ["occurred_at", "status", "description", "location"]


@admin.register(Shipment)
class ShipmentAdmin(BigTableAdminMixin, admin.ModelAdmin):
    form = ShipmentForm
    fields = ["order", "external_id", "carrier", "tracking_code", "shipped_at", "delivered_at"]
    list_display = ["tracking_code", "carrier_name", "order", "shipped_at", "delivered_at"]
    list_select_related = ["order"]
    search_fields = ["=tracking_code"]
    raw_id_fields = ["order"]
    inlines = [TrackingEventInline]

    def save_model(self, request: HttpRequest, obj: Shipment, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        hand_over(form)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Each row's carrier name in the list's own query (the key where no carrier has it).
        return super().get_queryset(request).with_carriers()

    @admin.display(description=_("kuljetusliike"), ordering="carrier")
    def carrier_name(self, obj: Shipment) -> str:
        return obj.carrier_label
