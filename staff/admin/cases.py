"""The staff panel for data-subject requests: the queue, the case page and its actions.

Every write goes through a service in `rights` (cases, corrections, objections); the admin only
parses input.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from privacy import audit
from privacy.citations import cited
from rights import cases, corrections, letters, objections
from rights.access import PACKAGE_FILES
from rights.erasure import plan_erasure
from rights.ledger import LedgerUnwritable
from rights.models import (
    CorrectionItem,
    DataSubjectRequest,
)
from staff.admin.case_forms import (
    SOON_DAYS,
    CorrectionDecisionForm,
    CorrectionDecisionInline,
    CorrectionForm,
    CorrectionInline,
    EventInline,
    NotificationInline,
    OpenFilter,
    RequestActionForm,
    RequestAddForm,
)


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "status", "received_at", "deadline", "customer"]
    list_select_related = ["customer"]
    list_filter = [OpenFilter, "status", "kind", "channel"]
    ordering = ["due_date", "received_at"]
    raw_id_fields = ["customer"]
    search_fields = ["customer__number", "requester_contact"]
    action_form = RequestActionForm
    actions = [
        "verify_identity",
        "start",
        "extend_deadline",
        "refuse",
        "fulfil",
        "withdraw",
        "mark_recipients_notified",
        "lift_restriction",
    ]
    inlines = [CorrectionInline, CorrectionDecisionInline, NotificationInline, EventInline]
    add_fields = RequestAddForm.Meta.fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RequestAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [
            "kind",
            "status",
            "channel",
            "language",
            "received_at",
            "deadline",
            "customer",
            "requester_name",
            "requester_contact",
            "description",
            "ban_channel",
            "ban_scope",
            "verification_method",
            "verified_by",
            "verified_at",
            "extension_months",
            "extension_reason",
            "extension_notified_on",
            "refusal_reason",
            "refusal_details",
            "erasure_plan",
            "access_packages",
            "decision",
            "letters",
            "decided_at",
            "decided_by",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {"customer"} if obj.is_open and obj.customer_id is None else set()
        return [f for f in self.get_fields(request, obj) if f not in editable]

    @admin.display(description=_("määräpäivä"), ordering="due_date")
    def deadline(self, obj: DataSubjectRequest) -> str:
        text = obj.due_date.strftime("%d.%m.%Y")
        if not obj.is_open:
            return text
        days = (obj.due_date - timezone.localdate()).days
        if days < 0:
            return format_html("<strong>{} ⚠ {}</strong>", text, _("myöhässä"))
        if days <= SOON_DAYS:
            return format_html("<strong>{} ({})</strong>", text, _("%(days)s pv") % {"days": days})
        return text

    @admin.display(description=_("poistosuunnitelma"))
    def erasure_plan(self, obj: DataSubjectRequest) -> str:
        if obj.kind != DataSubjectRequest.Kind.ERASURE or not obj.customer or not obj.is_open:
            return "–"
        plan = plan_erasure(customer=obj.customer)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    item.model_name,
                    item.field_name,
                    item.action_label,
                    item.rows,
                    item.legal_reason,
                    item.kept_until.strftime("%d.%m.%Y") if item.kept_until else item.criterion,
                )
                for item in plan.items
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("tiedot"),
            _("kenttä"),
            _("toimenpide"),
            _("rivejä"),
            _("säilytyksen syy"),
            _("säilytetään"),
            rows,
        )

    @admin.display(description=_("kirjallinen ratkaisu"))
    def decision(self, obj: DataSubjectRequest) -> str:
        return letters.letter_html(obj.decision_text) if obj.decision_text else "–"

    @admin.display(description=_("kirjeet (PDF)"))
    def letters(self, obj: DataSubjectRequest) -> str:
        links = []
        if obj.decision_text:
            links.append((self._letter_url(obj, "ratkaisu"), _("ratkaisu")))
        if obj.extension_months:
            links.append((self._letter_url(obj, "jatkoaika"), _("ilmoitus jatkoajasta")))
        if not links:
            return "–"
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def _letter_url(self, obj: DataSubjectRequest, letter: str) -> str:
        return reverse("admin:rights_datasubjectrequest_letter", args=[obj.pk, letter])

    def get_urls(self):
        return [
            path(
                "<int:pk>/kirje/<str:letter>/",
                self.admin_site.admin_view(self.letter_pdf),
                name="rights_datasubjectrequest_letter",
            ),
            *super().get_urls(),
        ]

    def letter_pdf(self, request: HttpRequest, pk: int, letter: str) -> HttpResponse:
        """Send the decision or the extension notice as a PDF to staff who may view the case."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(DataSubjectRequest, pk=pk)
        if letter == "ratkaisu" and obj.decision_text:
            text, dated = obj.decision_text, None
        elif letter == "jatkoaika" and obj.extension_months:
            text, dated = letters.extension_notice_text(obj), obj.extension_notified_on
        else:
            raise Http404
        audit.record(
            actor=request.user,
            action=audit.AuditEntry.Action.VIEW,
            customer_id=obj.customer_id,
            object_label=audit.object_label(obj),
            details={"letter": letter},
            request=request,
        )
        response = HttpResponse(
            letters.render_letter_pdf(case=obj, text=text, dated=dated),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{obj.reference}-{letter}.pdf"'
        return response

    @admin.display(description=_("tietopaketit"))
    def access_packages(self, obj: DataSubjectRequest) -> str:
        packages = [p for p in obj.access_packages.all() if not p.is_expired]
        if not packages:
            return "–"
        return format_html_join(
            " ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:rights_accesspackage_download", args=[p.pk, kind]), kind)
                for p in packages
                for kind in PACKAGE_FILES
            ),
        )

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            created = cases.receive_request(
                **{name: form.cleaned_data[name] for name in self.add_fields},
                user=request.user,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
        elif "customer" in form.changed_data and obj.customer is not None:
            cases.link_customer(case=obj, customer=obj.customer, user=request.user)

    def save_formset(self, request, form, formset, change) -> None:
        # The admin's change message reads what the formset saved.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if issubclass(formset.form, CorrectionForm):
            for item_form in formset.forms:
                if item_form.has_changed() and not item_form.instance.pk:
                    data = item_form.cleaned_data
                    formset.new_objects.append(
                        corrections.propose_correction(
                            case=form.instance,
                            field_name=data["field_name"],
                            new_value=data["new_value"],
                            reason=data.get("reason", ""),
                            user=request.user,
                        )
                    )
        elif issubclass(formset.form, CorrectionDecisionForm):
            for item_form in formset.forms:
                decision = item_form.cleaned_data.get("decision")
                if decision and item_form.instance.state == CorrectionItem.State.PROPOSED:
                    corrections.decide_correction(
                        item=item_form.instance,
                        approve=decision == "approve",
                        reason=item_form.cleaned_data.get("decision_note", ""),
                        user=request.user,
                    )
                    formset.changed_objects.append((item_form.instance, ["state"]))
        return None

    def _run(self, request, queryset, service, success, **kwargs) -> None:
        form = RequestActionForm(request.POST)
        form.is_valid()
        done = 0
        for obj in queryset:
            try:
                service(obj, form.cleaned_data)
                done += 1
            except ValidationError as exc:
                self.message_user(
                    request, f"{obj.reference}: {' '.join(exc.messages)}", messages.ERROR
                )
            except LedgerUnwritable as exc:
                self.message_user(request, f"{obj.reference}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{success}: {done}", messages.SUCCESS)

    @admin.action(description=_("Merkitse henkilöllisyys todennetuksi"), permissions=["change"])
    def verify_identity(self, request, queryset: QuerySet) -> None:
        self._run(
            request,
            queryset,
            lambda obj, data: cases.verify_identity(
                case=obj, method=data.get("verification", ""), user=request.user
            ),
            _("Todennettu"),
        )

    @admin.action(description=_("Aloita käsittely"), permissions=["change"])
    def start(self, request, queryset: QuerySet) -> None:
        self._run(
            request,
            queryset,
            lambda obj, data: cases.start_request(case=obj, user=request.user),
            _("Käsittelyssä"),
        )

    @admin.action(
        description=cited(_("Jatka määräaikaa (%(article)s)"), "12(3)"), permissions=["change"]
    )
    def extend_deadline(self, request, queryset: QuerySet) -> None:
        def extend(obj, data):
            if not data.get("months") or not data.get("notified_on"):
                raise ValidationError(_("Anna jatkoaika ja päivä, jona asiakkaalle ilmoitettiin."))
            cases.extend_deadline(
                case=obj,
                months=data["months"],
                reason=data.get("text", ""),
                notified_on=data["notified_on"],
                user=request.user,
            )

        self._run(request, queryset, extend, _("Määräaikaa jatkettu"))

    @admin.action(description=_("Hylkää pyyntö perusteluineen"), permissions=["change"])
    def refuse(self, request, queryset: QuerySet) -> None:
        self._run(
            request,
            queryset,
            lambda obj, data: cases.refuse_request(
                case=obj,
                reason=data.get("refusal_reason", ""),
                details=data.get("text", ""),
                user=request.user,
            ),
            _("Hylätty"),
        )

    @admin.action(description=_("Toteuta pyyntö ja anna ratkaisu"), permissions=["change"])
    def fulfil(self, request, queryset: QuerySet) -> None:
        self._run(
            request,
            queryset,
            lambda obj, data: cases.fulfil_request(case=obj, user=request.user),
            _("Toteutettu"),
        )

    @admin.action(description=_("Merkitse pyyntö perutuksi"), permissions=["change"])
    def withdraw(self, request, queryset: QuerySet) -> None:
        self._run(
            request,
            queryset,
            lambda obj, data: cases.withdraw_request(case=obj, user=request.user),
            _("Peruttu"),
        )

    @admin.action(
        description=cited(_("Merkitse vastaanottajille ilmoitetuksi (%(article)s)"), "19"),
        permissions=["change"],
    )
    def mark_recipients_notified(self, request, queryset: QuerySet) -> None:
        self._run(
            request,
            queryset,
            lambda obj, data: corrections.mark_recipients_notified(
                case=obj, method=data.get("text", ""), user=request.user
            ),
            _("Ilmoitettu"),
        )

    @admin.action(
        description=cited(_("Poista käsittelyn rajoitus (%(article)s)"), "18(3)"),
        permissions=["change"],
    )
    def lift_restriction(self, request, queryset: QuerySet) -> None:
        def lift(obj, data):
            if obj.kind != DataSubjectRequest.Kind.RESTRICTION or obj.customer is None:
                raise ValidationError(_("Vain rajoituspyynnön rajoituksen voi poistaa."))
            if not obj.customer.is_restricted:
                raise ValidationError(_("Asiakkaan käsittelyä ei ole rajoitettu."))
            if not data.get("notified_on"):
                raise ValidationError(
                    _("Anna päivä, jona asiakkaalle ilmoitettiin rajoituksen poistamisesta.")
                )
            objections.lift_restriction(
                customer=obj.customer,
                case=obj,
                user=request.user,
                notified_on=data["notified_on"],
            )

        self._run(request, queryset, lift, _("Rajoitus poistettu"))

    def has_delete_permission(self, request, obj=None) -> bool:
        # A request's record is evidence of how it was handled (GDPR 5(2)).
        return False
