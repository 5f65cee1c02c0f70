"""The staff panel for consents, marketing bans, the suppression list and the restriction lists."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from customers import ban_register, services
from customers import validators as v
from customers.models import (
    STAFF_VIAS,
    BanRegisterImport,
    ConsentEvent,
    Customer,
    MarketingBan,
    SuppressionEntry,
)
from staff.paginator import BigTableAdminMixin

# Notes the customer page lets staff edit; older ones stay in the customer's record.


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
            label=capfirst(_("asiakasnumero")),
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


def _staff_via_field() -> forms.ChoiceField:
    """How the person told the staff: chosen each time, never a default that may be untrue."""
    return forms.ChoiceField(
        label=_("Miten asiakas ilmoitti"),
        choices=[("", _("Valitse")), *((via.value, via.label) for via in STAFF_VIAS)],
    )


class ConsentEventForm(forms.ModelForm):
    is_granted = forms.TypedChoiceField(
        label=_("Asiakas"),
        choices=[("1", _("antaa suostumuksen")), ("0", _("peruu suostumuksensa"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ConsentEvent
        fields = ["customer", "purpose", "channel", "is_granted", "via", "wording", "evidence"]
        widgets = {"wording": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "wording": _(
                "Sanamuoto, jolla suostumusta pyydettiin tai joka luettiin asiakkaalle. "
                "Pakollinen, kun asiakas antaa suostumuksen."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["via"] = _staff_via_field()

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
                wording=data.get("wording", ""),
                evidence=data.get("evidence", ""),
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

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = list(self.form.Meta.fields)
        # A recorded event is shown with when it was recorded, under which statement and by whom.
        return (
            fields if obj is None else [*fields, "occurred_at", "statement_version", "recorded_by"]
        )

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
                evidence=obj.evidence,
                recorded_by=request.user,
            ),
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class MarketingBanForm(forms.ModelForm):
    class Meta:
        model = MarketingBan
        fields = ["customer", "channel", "scope", "via"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "via" in self.fields:
            self.fields["via"] = _staff_via_field()


@admin.register(MarketingBan)
class MarketingBanAdmin(BigTableAdminMixin, CustomerByNumberMixin, admin.ModelAdmin):
    """Marketing bans: set and lift, never delete or rewrite — the ban is its own proof."""

    list_display = ["created_at", "customer", "channel", "scope", "lifted_at", "via"]
    list_select_related = ["customer"]
    list_filter = [ActiveBanFilter]
    search_fields = ["=customer__number"]
    search_help_text = _("Hae asiakasnumerolla.")
    form = MarketingBanForm
    fields = ["customer", "channel", "scope", "via", "created_at", "lifted_at"]
    actions = ["lift_bans"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.fields if obj is not None else ["created_at", "lifted_at"]

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
