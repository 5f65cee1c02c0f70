"""The request queue's forms, filter and inlines: what the case admin shows and parses."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from rights import cases, corrections
from rights.models import (
    CorrectionItem,
    DataSubjectRequest,
    RecipientNotification,
    RequestEvent,
)

SOON_DAYS = 7


class RequestActionForm(ActionForm):
    """Extra inputs for the queue's actions, shown next to the action menu."""

    verification = forms.ChoiceField(
        label=_("Todentamistapa"),
        choices=[("", "—"), *DataSubjectRequest.Verification.choices],
        required=False,
    )
    months = forms.TypedChoiceField(
        label=_("Jatkoaika"),
        choices=[(1, _("1 kk")), (2, _("2 kk"))],
        coerce=int,
        required=False,
    )
    notified_on = forms.DateField(
        label=_("Ilmoitettu asiakkaalle"), required=False, help_text=_("pp.kk.vvvv")
    )
    refusal_reason = forms.ChoiceField(
        label=_("Hylkäyksen peruste"),
        choices=[("", "—"), *DataSubjectRequest.RefusalReason.choices],
        required=False,
    )
    text = forms.CharField(label=_("Perustelu / ilmoitustapa"), required=False)


class RequestAddForm(forms.ModelForm):
    """Filing a request: the form checks what the service would refuse, so nothing is half-saved."""

    class Meta:
        model = DataSubjectRequest
        fields = [
            "kind",
            "channel",
            "language",
            "received_at",
            "customer",
            "requester_name",
            "requester_contact",
            "description",
            "ban_channel",
            "ban_scope",
        ]

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        try:
            cases.validate_received_at(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["received_at"]) from exc
        return value


class OpenFilter(admin.SimpleListFilter):
    title = _("käsittely")
    parameter_name = "auki"

    def lookups(self, request, model_admin):
        return [("1", _("avoimet")), ("myohassa", _("myöhässä")), ("pian", _("erääntyy 7 pv"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "1":
            return queryset.open()
        if self.value() == "myohassa":
            return queryset.overdue(today)
        if self.value() == "pian":
            return queryset.open().filter(
                due_date__gte=today, due_date__lte=today + dt.timedelta(days=SOON_DAYS)
            )
        return queryset


class EventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["occurred_at", "kind", "actor", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CorrectionForm(forms.ModelForm):
    """A new proposed correction: the field, its new value and why."""

    class Meta:
        model = CorrectionItem
        fields = ["field_name", "new_value", "reason"]

    def clean(self):
        data = super().clean()
        customer = self.instance.request.customer if self.instance.request_id else None
        if customer is None:
            raise ValidationError(_("Yhdistä pyyntö ensin asiakkaaseen."))
        if data.get("field_name"):
            try:
                corrections.normalise_correction(
                    customer, data["field_name"], data.get("new_value", "")
                )
            except ValidationError as exc:
                self.add_error("new_value", exc)
        return data


class CorrectionInline(admin.TabularInline):
    """Proposing corrections; those already proposed are decided in CorrectionDecisionInline."""

    model = CorrectionItem
    form = CorrectionForm
    extra = 0
    can_delete = False
    verbose_name = _("uusi oikaisu")
    verbose_name_plural = _("uudet oikaisut")
    fields = ["field_name", "new_value", "reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field_name":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[
                    (name, Customer._meta.get_field(name).verbose_name)
                    for name in corrections.correctable_fields()
                ],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return (
            obj is not None
            and obj.kind == DataSubjectRequest.Kind.CORRECTION
            and obj.is_open
            and obj.customer_id is not None
            and super().has_add_permission(request, obj)
        )


class CorrectionDecisionForm(forms.ModelForm):
    """Approve or reject one proposed correction; a rejection needs its reasons (Art. 12(4))."""

    decision = forms.ChoiceField(
        label=_("ratkaisu"),
        choices=[("", "—"), ("approve", _("hyväksy")), ("reject", _("hylkää"))],
        required=False,
    )
    decision_note = forms.CharField(label=_("perustelu"), required=False)

    class Meta:
        model = CorrectionItem
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.state != CorrectionItem.State.PROPOSED:
            self.fields["decision"].disabled = self.fields["decision_note"].disabled = True

    def has_changed(self) -> bool:
        return bool(self.data.get(self.add_prefix("decision")))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("decision_note", "").strip():
            self.add_error("decision_note", _("Kirjoita hylkäyksen perustelu."))
        return data


class CorrectionDecisionInline(admin.TabularInline):
    model = CorrectionItem
    form = CorrectionDecisionForm
    extra = 0
    can_delete = False
    verbose_name = _("oikaisu")
    verbose_name_plural = _("oikaisut")
    fields = [
        "field_label",
        "old_value",
        "new_value",
        "reason",
        "state",
        "decision_reason",
        "decision",
        "decision_note",
    ]
    readonly_fields = [
        "field_label",
        "old_value",
        "new_value",
        "reason",
        "state",
        "decision_reason",
    ]

    @admin.display(description=_("kenttä"))
    def field_label(self, obj: CorrectionItem) -> str:
        return str(Customer._meta.get_field(obj.field_name).verbose_name)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is not None and obj.is_open and super().has_change_permission(request, obj)


class NotificationInline(admin.TabularInline):
    model = RecipientNotification
    extra = 0
    can_delete = False
    fields = ["recipient", "fields", "notified_at", "notified_by", "method"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False
