"""The request queue's forms, filter and inlines: what the case admin shows and parses."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from privacy.citations import cite
from rights import cases, corrections
from rights.access_display import event_message
from rights.models import (
    OPEN_STATUSES,
    CorrectionItem,
    DataSubjectRequest,
    RecipientNotification,
    RequestEvent,
)

SOON_DAYS = 7


class VerifyForm(forms.Form):
    """How the requester's identity was verified; the staff member doing it is recorded."""

    method = forms.ChoiceField(
        label=_("Todentamistapa"), choices=[("", "—"), *DataSubjectRequest.Verification.choices]
    )
    customer_number = forms.CharField(
        label=_("Asiakasnumero"),
        max_length=20,
        help_text=_("Pyyntöä ei ole vielä yhdistetty asiakkaaseen: anna asiakkaan numero."),
    )

    def __init__(self, *args, case: DataSubjectRequest, **kwargs):
        super().__init__(*args, **kwargs)
        if case.customer_id is not None:
            del self.fields["customer_number"]

    def clean_customer_number(self) -> Customer:
        number = "".join(ch for ch in self.cleaned_data["customer_number"] if ch.isdigit())
        customer = Customer.objects.filter(number=number, erased_at__isnull=True).first()
        if customer is None:
            raise ValidationError(_("Asiakasta tällä numerolla ei löydy."))
        return customer


class ConfirmForm(forms.Form):
    """The explicit confirmation before a request is carried out: nothing happens without it.

    An erasure asks for the case reference typed out; other kinds for the box ticked.
    """

    reference = forms.CharField(label=_("Asian tunnus"), max_length=40)
    confirmed = forms.BooleanField(label=_("Olen tarkistanut, mitä tehdään, ja vahvistan sen"))

    def __init__(self, *args, case: DataSubjectRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case.kind == DataSubjectRequest.Kind.ERASURE:
            del self.fields["confirmed"]
            self.fields["reference"].help_text = _(
                "Kirjoita asian tunnus %(reference)s vahvistaaksesi poiston."
            ) % {"reference": case.reference}
        else:
            del self.fields["reference"]

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"].strip().upper()
        if value != self.case.reference:
            raise ValidationError(
                _("Tunnus ei täsmää. Kirjoita %(reference)s.") % {"reference": self.case.reference}
            )
        return value


class ExtensionForm(forms.Form):
    """Extending the deadline (GDPR Art. 12(3)); the service checks the limits."""

    months = forms.TypedChoiceField(
        label=_("Jatkoaika"), choices=[(1, _("1 kk")), (2, _("2 kk"))], coerce=int
    )
    reason = forms.CharField(
        label=_("Peruste"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Miksi pyyntö on monimutkainen tai pyyntöjä on paljon; kerrotaan asiakkaalle."),
    )
    notified_on = forms.DateField(
        label=_("Ilmoitettu asiakkaalle"), help_text=_("pp.kk.vvvv"), initial=timezone.localdate
    )


class RefusalForm(forms.Form):
    """Refusing a request with its reasons (GDPR Art. 12(4)); the service checks them."""

    reason = forms.ChoiceField(
        label=_("Hylkäyksen peruste"),
        choices=[("", "—"), *DataSubjectRequest.RefusalReason.choices],
    )
    details = forms.CharField(
        label=_("Perustelut"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Kirjoitetaan ratkaisuun sellaisenaan. Pakollinen, kun peruste on muu."),
    )


class WithdrawForm(forms.Form):
    confirmed = forms.BooleanField(label=_("Pyytäjä on perunut pyynnön"))


class NotifiedForm(forms.Form):
    """Telling the recipients of a correction, erasure or restriction (GDPR Art. 19)."""

    method = forms.CharField(
        label=_("Ilmoitustapa"), max_length=200, help_text=_("Esimerkiksi: sähköposti 3.2.2026")
    )


class LiftRestrictionForm(forms.Form):
    """Lifting a restriction, told to the customer beforehand (GDPR Art. 18(3))."""

    notified_on = forms.DateField(
        label=_("Ilmoitettu asiakkaalle"),
        help_text=_("Päivä, jona asiakkaalle ilmoitettiin rajoituksen poistamisesta (pp.kk.vvvv)."),
    )


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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Said here rather than on the model, whose help text the workspace does not show.
        self.fields["customer"].help_text = _(
            "Valitse asiakas suurennuslasista (haku asiakasnumerolla, sähköpostilla tai nimellä) "
            "tai jätä tyhjäksi: asiakas yhdistetään viimeistään, kun henkilöllisyys todennetaan."
        )
        self.fields["ban_channel"].help_text = _(
            "Vain vastustamispyynnössä (%(article)s). Tyhjä: kaikki kanavat."
        ) % {"article": cite(21)}
        self.fields["ban_scope"].help_text = _(
            "Vain vastustamispyynnössä. Tyhjä: suoramarkkinointi. Kielto tulee voimaan heti, kun "
            "pyyntö on tallennettu ja yhdistetty asiakkaaseen."
        )

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        try:
            cases.validate_received_at(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["received_at"]) from exc
        return value


class OpenFilter(admin.SimpleListFilter):
    """What the queue shows: the work still to do unless another view is chosen."""

    title = _("käsittely")
    parameter_name = "auki"

    def lookups(self, request, model_admin):
        return [
            ("1", _("työn alla")),
            ("myohassa", _("myöhässä")),
            ("pian", _("erääntyy 7 pv")),
            ("lahettamatta", _("ratkaisu lähettämättä")),
            ("ratkaistut", _("ratkaistut")),
            ("kaikki", _("kaikki")),
        ]

    def value(self):
        # The queue opens on the work still to do (GDPR 12(3): the deadline runs on open cases).
        return super().value() or "1"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "myohassa":
            return queryset.overdue(today)
        if value == "pian":
            return queryset.open().filter(
                due_date__gte=today, due_date__lte=today + dt.timedelta(days=SOON_DAYS)
            )
        if value == "lahettamatta":
            return queryset.awaiting_letter()
        if value == "ratkaistut":
            return queryset.exclude(status__in=OPEN_STATUSES)
        if value == "kaikki":
            return queryset
        return queryset.in_work()


class EventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["occurred_at", "kind", "by", "note"]
    readonly_fields = fields

    @admin.display(description=_("tekijä"))
    def by(self, obj: RequestEvent) -> str:
        # Names as text, not links to staff accounts customer service may not open.
        return str(obj.actor) if obj.actor_id else "–"

    @admin.display(description=_("selite"))
    def note(self, obj: RequestEvent) -> str:
        # Stored as written ("first_name: approved"); staff read the labels.
        return event_message(obj.message) or "–"

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

    def get_fields(self, request, obj=None):
        # A decided request's corrections are read, not decided: no empty decision columns.
        if self.has_change_permission(request, obj):
            return self.fields
        return self.readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is not None and obj.is_open and super().has_change_permission(request, obj)


class NotificationInline(admin.TabularInline):
    model = RecipientNotification
    extra = 0
    can_delete = False
    fields = ["recipient", "fields", "notified_at", "notifier", "method"]
    readonly_fields = fields

    @admin.display(description=_("ilmoittaja"))
    def notifier(self, obj: RecipientNotification) -> str:
        return str(obj.notified_by) if obj.notified_by_id else "–"

    def has_add_permission(self, request, obj=None) -> bool:
        return False
