"""The staff panel for data-subject requests: the queue, and the stock form behind the case page.

A case is handled on its workspace (`staff.admin.case_workspace`), one step at a time; the queue
has no actions, so nothing irreversible is done to many cases at once. Every write goes through
a service in `rights` (cases, corrections); the admin only parses input.
"""

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from privacy import audit
from rights import cases, corrections, letters
from rights.access import PACKAGE_FILES
from rights.models import (
    OPEN_STATUSES,
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
    RequestAddForm,
)
from staff.admin.case_steps import case_url, days_left, format_date
from staff.admin.case_workspace import CaseWorkspaceMixin
from staff.customer_page import format_time


class QueueChangeList(ChangeList):
    """The queue: each row opens the case's workspace, not the stock form."""

    def url_for_result(self, result) -> str:
        return case_url(result)


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(CaseWorkspaceMixin, admin.ModelAdmin):
    list_display = ["reference", "kind", "status", "received", "deadline", "days", "customer"]
    list_display_links = ["reference"]
    list_select_related = ["customer"]
    list_filter = [OpenFilter, "status", "kind", "channel"]
    ordering = ["due_date", "received_at"]
    raw_id_fields = ["customer"]
    search_fields = ["customer__number", "requester_contact"]
    # Nothing is done to many cases at once: every step is taken on the case's own page.
    actions = None
    change_form_template = "admin/rights/case/change_form.html"
    inlines = [CorrectionInline, CorrectionDecisionInline, NotificationInline, EventInline]
    add_fields = RequestAddForm.Meta.fields

    def get_inlines(self, request, obj):
        # Filing a request has nothing to list yet; corrections belong to correction requests.
        if obj is None:
            return []
        if obj.kind != DataSubjectRequest.Kind.CORRECTION:
            return [NotificationInline, EventInline]
        return self.inlines

    def response_add(self, request, obj, post_url_continue=None):
        # A request just filed is worked on its workspace: open it there, not back in the queue.
        response = super().response_add(request, obj, post_url_continue)
        if {"_continue", "_addanother", IS_POPUP_VAR} & set(request.POST):
            return response
        return HttpResponseRedirect(case_url(obj))

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
            "verifier",
            "verified_at",
            "extension_months",
            "extension_reason",
            "extension_notified_on",
            "refusal_reason",
            "refusal_details",
            "access_packages",
            "decision",
            "letters",
            "decided_at",
            "decider",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {"customer"} if obj.is_open and obj.customer_id is None else set()
        return [f for f in self.get_fields(request, obj) if f not in editable]

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Tietosuojapyyntöjen jono"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_ordering(self, request):
        # Overdue first, then the other open cases, then decisions still to send, then the
        # decided ones; each by deadline.
        today = timezone.localdate()
        rank = Case(
            When(Q(status__in=OPEN_STATUSES, due_date__lt=today), then=Value(0)),
            When(status__in=OPEN_STATUSES, then=Value(1)),
            When(Q(decision_sent_at__isnull=True) & ~Q(decision_text=""), then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return [rank.asc(), "due_date", "received_at"]

    @admin.display(description=_("asia"), ordering="received_at")
    def reference(self, obj: DataSubjectRequest) -> str:
        return obj.reference

    @admin.display(description=_("vastaanotettu"), ordering="received_at")
    def received(self, obj: DataSubjectRequest) -> str:
        return format_time(obj.received_at)

    @admin.display(description=_("määräpäivä"), ordering="due_date")
    def deadline(self, obj: DataSubjectRequest) -> str:
        return format_date(obj.due_date)

    @admin.display(description=_("aikaa jäljellä"))
    def days(self, obj: DataSubjectRequest) -> str:
        left = days_left(obj)
        if left.days is None:
            if obj.status == DataSubjectRequest.Status.COMPLETED and obj.decision_sent_at is None:
                return format_html('<span class="case-badge">{}</span>', _("ratkaisu lähettämättä"))
            return left.text
        kind = "overdue" if left.is_overdue else "soon" if left.days <= SOON_DAYS else "ok"
        return format_html('<span class="case-badge case-badge-{}">{}</span>', kind, left.text)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {})}
        if object_id and str(object_id).isdigit():
            extra_context["workspace_url"] = reverse(
                "admin:rights_datasubjectrequest_case", args=[object_id]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # Staff names as text, not links to staff accounts customer service may not open.
    @admin.display(description=_("todentaja"))
    def verifier(self, obj: DataSubjectRequest) -> str:
        return str(obj.verified_by) if obj.verified_by_id else "–"

    @admin.display(description=_("ratkaisija"))
    def decider(self, obj: DataSubjectRequest) -> str:
        return str(obj.decided_by) if obj.decided_by_id else "–"

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
            *self.workspace_urls(),
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
                (reverse("admin:rights_accesspackage_download", args=[p.pk, kind]), kind.upper())
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

    def has_delete_permission(self, request, obj=None) -> bool:
        # A request's record is evidence of how it was handled (GDPR 5(2)).
        return False
