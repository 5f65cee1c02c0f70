"""Staff panel: the shop's carriers and their tracking pages (register admin).

A carrier's parcels carry the customer's delivery details to it, so a shipment is accepted only
for a carrier the statement in force names as a recipient (statement.registry): the list shows
which carriers it names, and saving one it does not name says so.
"""

from collections.abc import Sequence

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from customers import services
from customers.models import Carrier, Shipment
from statement import registry


def _listed_carriers() -> set[str]:
    """Return the keys of the carriers the statement in force names as recipients."""
    return set(registry.listed().exclude(carrier="").values_list("carrier", flat=True))


class CarrierForm(forms.ModelForm):
    class Meta:
        model = Carrier
        fields = ["name", "key", "tracking_url", "is_active"]
        # The whole address in view: the {code} in it is what is checked.
        widgets = {"tracking_url": forms.TextInput(attrs={"class": "vURLField"})}


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    form = CarrierForm
    list_display = ["name", "key", "tracking_url", "is_active", "in_statement"]
    list_filter = ["is_active"]
    search_fields = ["name", "key"]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # Read once for the whole list, not once per row.
        self._listed = _listed_carriers()
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("selosteen vastaanottajissa"), boolean=True)
    def in_statement(self, obj: Carrier) -> bool:
        return obj.key in self._listed

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Shipments refer to a carrier by its key: it stays as first saved.
        return ["key", "created_at"] if obj is not None else []

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = ["name", "key", "tracking_url", "is_active"]
        return fields if obj is None else [*fields, "created_at"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Old shipments keep their carrier's name and tracking page: deactivate instead.
        return False

    def save_model(self, request: HttpRequest, obj: Carrier, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.is_active and obj.key not in _listed_carriers():
            recipients = reverse("admin:statement_statementdraft_changelist")
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "Tietosuojaseloste ei vielä mainitse kuljetusliikettä %(name)s "
                        "vastaanottajana, joten sille ei voi kirjata lähetyksiä. Lisää se "
                        "selosteen vastaanottajiin (laji kuljetusliike, kuljetusliike "
                        "%(name)s) ja julkaise uusi versio."
                    )
                    % {"name": obj.name},
                    recipients,
                    _("Avaa seloste"),
                ),
                messages.WARNING,
            )


class ShipmentForm(forms.ModelForm):
    """A shipment's carrier is one in use, or the one it already has.

    A new parcel, or one moved to another carrier, goes only to a carrier the statement in force
    names (the API's check, `customers.services.listed_carrier`); saved, its hand-over is logged
    as the API logs it (`hand_over`).
    """

    carrier = forms.ChoiceField(label=capfirst(_("kuljetusliike")))
    # Whether saving this form hands the order's delivery details to a carrier.
    hands_over = False

    class Meta:
        model = Shipment
        fields = ["carrier", "tracking_code", "shipped_at", "delivered_at"]

    def __init__(self, *args, carriers: Sequence[Carrier] | None = None, **kwargs):
        # `carriers`: all of them, read once by a formset for its every row (ShipmentFormSet).
        super().__init__(*args, **kwargs)
        key = self.instance.carrier
        if carriers is None:
            carriers = Carrier.objects.filter(Q(is_active=True) | Q(key=key))
        self.fields["carrier"].choices = [
            ("", "–"),
            *((c.key, c.name) for c in carriers if c.is_active or c.key == key),
        ]

    def clean_carrier(self) -> str:
        carrier = self.cleaned_data["carrier"]
        self.hands_over = self.instance._state.adding or "carrier" in self.changed_data
        if self.hands_over:
            services.listed_carrier(carrier)
        return carrier


class ShipmentFormSet(BaseInlineFormSet):
    """An order's shipments, their carrier choices read once for all rows."""

    @cached_property
    def carriers(self) -> list[Carrier]:
        return list(Carrier.objects.all())

    def get_form_kwargs(self, index: int | None) -> dict:
        return {**super().get_form_kwargs(index), "carriers": self.carriers}


def hand_over(form: ShipmentForm) -> None:
    """Log the hand-over of a shipment just saved from `form` to its carrier, if it was one."""
    if form.hands_over:
        services.disclose_to_carrier(shipment=form.instance)
