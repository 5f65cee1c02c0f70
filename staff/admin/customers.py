"""The staff panel for the customer register."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from customers import ban_register, services
from customers import validators as v
from customers.models import (
    BanRegisterImport,
    ConsentEvent,
    Customer,
    CustomerNote,
    MarketingBan,
    Order,
    OrderLine,
    Shipment,
    SuppressionEntry,
    TrackingEvent,
)
from staff import customer_page
from staff.paginator import BigTableAdminMixin
from staff.search import search_customers

# Notes the customer page lets staff edit; older ones stay in the customer's record.
NOTE_LIMIT = 10


class LatestNotesFormSet(BaseInlineFormSet):
    """The latest notes only, the same slice on display and on save, so the page stays bounded."""

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset()[:NOTE_LIMIT]
        return self._latest


class NoteInline(admin.StackedInline):
    model = CustomerNote
    formset = LatestNotesFormSet
    extra = 1
    verbose_name_plural = _("asiakaspalvelun viestit (viimeisimmät)")
    fields = ["kind", "body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("author").order_by("-created_at")


class ActiveBanFilter(admin.SimpleListFilter):
    """In force or lifted: answered from the bans table alone, no scan of customers."""

    title = _("voimassa")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("voimassa")), ("no", _("poistettu voimasta"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(lifted_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(lifted_at__isnull=False)
        return queryset


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
            {"fields": ["is_restricted", "created_at", "updated_at", "last_activity_at"]},
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

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # The search is audited with the list it shows (staff.audited).
        if not search_term.strip():
            return queryset, False
        return search_customers(queryset, search_term), False

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            # A new customer has no history yet.
            return fieldsets[:5]
        if not request.user.has_perm("privacy.view_auditentry"):
            # Who looked at a customer is the register admin's business alone.
            return fieldsets[:-1]
        return fieldsets

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

    @admin.display(description=_("tietosuojapyynnöt"))
    def privacy_requests(self, obj: Customer) -> str:
        return customer_page.requests_section(obj) if obj.pk else "–"

    @admin.display(description=_("käyttöloki"))
    def audit_trail(self, obj: Customer) -> str:
        return customer_page.audit_section(obj) if obj.pk else "–"

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, CustomerNote) and instance.author_id is None:
                instance.author = request.user
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
    extra = 0
    fields = ["carrier", "tracking_code", "shipped_at", "delivered_at"]
    show_change_link = True


@admin.register(Order)
class OrderAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["number", "customer", "ordered_at", "status", "invoice_state", "total_gross"]
    list_select_related = ["customer"]
    search_fields = ["=number", "=external_id"]
    raw_id_fields = ["customer"]
    readonly_fields = ["total_net", "total_vat", "total_gross", "tracking_events"]
    inlines = [OrderLineInline, ShipmentInline]

    @admin.display(description=_("seurantatapahtumat"))
    def tracking_events(self, obj: Order) -> str:
        events = TrackingEvent.objects.filter(shipment__order=obj).select_related("shipment")
        return (
            format_html_join(
                "\n",
                "<div>{} · {} · {} {}</div>",
                (
                    (e.shipment, customer_page.format_time(e.occurred_at), e.status, e.location)
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
    list_display = ["tracking_code", "carrier", "order", "shipped_at", "delivered_at"]
    list_select_related = ["order"]
    search_fields = ["=tracking_code"]
    raw_id_fields = ["order"]
    inlines = [TrackingEventInline]


@admin.register(SuppressionEntry)
class SuppressionEntryAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "value_hash", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CustomerNumberField(forms.ModelChoiceField):
    """A customer chosen by their customer number, typed as staff see it (e.g. 123 456 785)."""

    default_error_messages = {
        "invalid_choice": _("Asiakasnumerolla ei löydy asiakasta."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.update(
            queryset=Customer.objects.active(),
            to_field_name="number",
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            label=_("asiakasnumero"),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(v.compact_customer_number(value or ""))


class CustomerByNumberMixin:
    """Marketing has no customer pages, so consents and bans name the customer by number."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "customer":
            return CustomerNumberField(required=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved form instance the row a service saved (for logging, redirect)."""
    obj.__dict__.update(saved.__dict__)


class ConsentEventForm(forms.ModelForm):
    class Meta:
        model = ConsentEvent
        fields = ["customer", "purpose", "channel", "is_granted", "via", "wording"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.validate_consent(
                customer=data["customer"],
                purpose=data["purpose"],
                channel=data["channel"],
                is_granted=data["is_granted"],
                via=data["via"],
                occurred_at=timezone.now(),
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


@admin.register(ConsentEvent)
class ConsentEventAdmin(BigTableAdminMixin, CustomerByNumberMixin, admin.ModelAdmin):
    """Consent history for marketing: read and record, never rewrite (GDPR 7(1))."""

    form = ConsentEventForm
    list_display = ["occurred_at", "customer", "purpose", "channel", "is_granted", "via"]
    list_select_related = ["customer"]
    search_fields = ["=customer__number"]
    search_help_text = _("Hae asiakasnumerolla.")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"via": ConsentEvent.Via.STAFF, **super().get_changeform_initial_data(request)}

    def save_model(self, request: HttpRequest, obj: ConsentEvent, form, change: bool) -> None:
        _adopt(
            obj,
            services.record_consent(
                customer=obj.customer,
                purpose=obj.purpose,
                channel=obj.channel,
                is_granted=obj.is_granted,
                via=obj.via,
                wording=obj.wording,
            ),
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(MarketingBan)
class MarketingBanAdmin(BigTableAdminMixin, CustomerByNumberMixin, admin.ModelAdmin):
    """Marketing bans: set and lift, never delete or rewrite — the ban is its own proof."""

    list_display = ["created_at", "customer", "channel", "scope", "lifted_at", "via"]
    list_select_related = ["customer"]
    list_filter = [ActiveBanFilter]
    search_fields = ["=customer__number"]
    search_help_text = _("Hae asiakasnumerolla.")
    fields = ["customer", "channel", "scope", "via", "created_at", "lifted_at"]
    actions = ["lift_bans"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.fields if obj is not None else ["created_at", "lifted_at"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"via": ConsentEvent.Via.STAFF, **super().get_changeform_initial_data(request)}

    def save_model(self, request: HttpRequest, obj: MarketingBan, form, change: bool) -> None:
        if change:
            return
        _adopt(
            obj,
            services.set_marketing_ban(
                customer=obj.customer, channel=obj.channel, scope=obj.scope, via=obj.via
            ),
        )

    @admin.action(description=_("Poista valitut kiellot voimasta"), permissions=["change"])
    def lift_bans(self, request: HttpRequest, queryset: QuerySet) -> None:
        lifted = 0
        for ban in queryset.filter(lifted_at__isnull=True).select_related("customer"):
            services.lift_marketing_ban(customer=ban.customer, channel=ban.channel, scope=ban.scope)
            lifted += 1
        self.message_user(
            request, gettext("Kieltoja poistettu voimasta: %(count)s.") % {"count": lifted}
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class BanRegisterImportForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("tiedosto (CSV)"),
        help_text=_(
            "Otsikkorivi ja sarakkeet: puhelinlistassa puhelin; osoitelistassa sukunimi, "
            "katuosoite ja postinumero. Erottimena ; tai , ja merkistönä UTF-8."
        ),
    )

    class Meta:
        model = BanRegisterImport
        fields = ["service", "list_date"]

    def clean(self):
        data = super().clean()
        if data.get("service") and data.get("upload"):
            try:
                self.parsed = ban_register.parse_ban_register(
                    service=data["service"], upload=data["upload"]
                )
            except ValidationError as exc:
                self.add_error("upload", exc)
        return data


@admin.register(BanRegisterImport)
class BanRegisterImportAdmin(admin.ModelAdmin):
    """Restriction lists (ASML) that postal and phone audiences are screened against."""

    form = BanRegisterImportForm
    list_display = [
        "service",
        "list_date",
        "entry_count",
        "skipped_count",
        "imported_at",
        "imported_by",
    ]
    list_select_related = ["imported_by"]
    readonly_fields = ["file_name", "entry_count", "skipped_count", "imported_at", "imported_by"]

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return ["service", "list_date", "upload"]
        return ["service", "list_date", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return (
            self.readonly_fields if obj is None else ["service", "list_date", *self.readonly_fields]
        )

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        _adopt(
            obj,
            ban_register.import_ban_register(
                parsed=form.parsed,
                file_name=form.cleaned_data["upload"].name,
                list_date=form.cleaned_data["list_date"],
                imported_by=request.user,
                request=request,
            ),
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A list is replaced by the next import, never removed: the audit refers to it.
        return False
