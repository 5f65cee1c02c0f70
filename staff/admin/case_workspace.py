"""The case page: one data-subject request as the workspace for handling it, step by step.

verify identity → prepare (what will happen, in full) → confirm (typed reference or an explicit
tick; nothing happens before it) → the decision letter, read and then sent. Extending the
deadline and refusing are secondary steps, each with its letter shown before it is given.

Every write is one service of `rights` (the rules live there), made in one transaction with its
audit row; every page that shows the case is an audited read. Pages that act need the change
permission of requests, the case page itself the view permission.
"""

import copy
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from platforms.outbox import messages_of_case
from privacy import audit
from privacy.citations import cite
from rights import cases, corrections, letters, objections
from rights.access import PACKAGE_FILES
from rights.access_display import event_message
from rights.ledger import LedgerUnwritable
from rights.models import DataSubjectRequest, RecipientNotification
from rights.reminders import letter_recipient
from staff.admin.case_forms import (
    ConfirmForm,
    ExtensionForm,
    LiftRestrictionForm,
    NotifiedForm,
    RefusalForm,
    VerifyForm,
    WithdrawForm,
)
from staff.admin.case_steps import (
    case_url,
    days_left,
    format_date,
    next_step,
    preparation,
    secondary_actions,
)
from staff.customer_page import format_time

Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status

# The workspace's pages: (route, view method, URL name suffix).
PAGES = (
    ("", "case_view", "case"),
    ("todenna/", "verify_view", "case_verify"),
    ("valmistele/", "prepare_view", "case_prepare"),
    ("vahvista/", "confirm_view", "case_confirm"),
    ("ratkaisu/", "decision_view", "case_decision"),
    ("jatka/", "extend_view", "case_extend"),
    ("hylkaa/", "refuse_view", "case_refuse"),
    ("peru/", "withdraw_view", "case_withdraw"),
    ("ilmoitettu/", "notified_view", "case_notified"),
    ("poista-rajoitus/", "lift_view", "case_lift"),
)


def _posted(request: HttpRequest):
    """Return the POST data to bind a form to (even when empty), or None on a GET."""
    return request.POST if request.method == "POST" else None


def _letter(text: str) -> tuple[str, str]:
    """Return a stored letter's title and its body as HTML (headings and paragraphs)."""
    title, _blocks = letters.letter_blocks(text)
    return title, letters.letter_html(text, heading_level=4)


class CaseWorkspaceMixin:
    """The workspace's views, mixed into the request admin."""

    def workspace_urls(self) -> list:
        return [
            path(
                f"<int:pk>/tyotila/{route}",
                self.admin_site.admin_view(getattr(self, view)),
                name=f"rights_datasubjectrequest_{name}",
            )
            for route, view, name in PAGES
        ]

    # Access, reading and rendering.

    def _get_case(self, request: HttpRequest, pk: int, *, act: bool = True) -> DataSubjectRequest:
        """Return the case for staff allowed to see it (act: allowed to handle it), else 403."""
        allowed = self.has_change_permission if act else self.has_view_permission
        if not allowed(request):
            raise PermissionDenied
        return get_object_or_404(
            DataSubjectRequest.objects.select_related("customer", "verified_by", "decided_by"),
            pk=pk,
        )

    def _render(
        self, request: HttpRequest, case: DataSubjectRequest, template: str, title: str, **context
    ) -> TemplateResponse:
        """Render a page of the case, recorded as a read of the customer's data."""
        audit.record(
            actor=request.user,
            action=audit.AuditEntry.Action.VIEW,
            customer_id=case.customer_id,
            object_label=audit.object_label(case),
            details={"view": f"case:{template}"},
            request=request,
        )
        return TemplateResponse(
            request,
            f"admin/rights/case/{template}.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "case": case,
                "deadline": days_left(case),
                "case_url": case_url(case),
                **context,
            },
        )

    def _act(
        self,
        request: HttpRequest,
        case: DataSubjectRequest,
        step: str,
        service: Callable[[], object],
    ) -> bool:
        """Run one service and its audit row in one transaction; show its refusal as a message."""
        try:
            with transaction.atomic():
                service()
                audit.record(
                    actor=request.user,
                    action=audit.AuditEntry.Action.REQUEST,
                    customer_id=case.customer_id,
                    object_label=audit.object_label(case),
                    details={"request": case.pk, "case_step": step},
                    request=request,
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return False
        except LedgerUnwritable as exc:
            messages.error(request, exc.message)
            return False
        return True

    def _form_page(
        self,
        request: HttpRequest,
        case: DataSubjectRequest,
        *,
        form: forms.Form,
        title: str,
        intro: str,
        button: str,
        step: str,
        service: Callable[[dict], object],
        done: str,
        preview: Callable[[dict], str] | None = None,
        recipient: str | None = None,
    ) -> HttpResponse:
        """A secondary step: its form, the letter it gives shown first when it has one."""
        letter = None
        if request.method == "POST" and form.is_valid():
            try:
                if preview is not None:
                    letter = _letter(preview(form.cleaned_data))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                confirmed = preview is None or "confirm" in request.POST
                if confirmed and self._act(request, case, step, lambda: service(form.cleaned_data)):
                    messages.success(request, done)
                    return HttpResponseRedirect(case_url(case))
        return self._render(
            request,
            case,
            "action",
            title,
            form=form,
            intro=intro,
            button=button,
            letter=letter,
            has_preview=preview is not None,
            recipient=recipient,
        )

    # The main line: verify → prepare → confirm → decision.

    def case_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk, act=False)
        can_act = self.has_change_permission(request)
        step = next_step(case) if can_act else None
        events = [
            (
                format_time(e.occurred_at),
                e.get_kind_display(),
                e.actor or "–",
                event_message(e.message),
            )
            for e in case.events.select_related("actor")
        ]
        return self._render(
            request,
            case,
            "workspace",
            str(case),
            step=step,
            actions=secondary_actions(case) if can_act else [],
            events=events,
            received=format_time(case.received_at),
            verified=format_time(case.verified_at) if case.verified_at else "",
            decided=format_time(case.decided_at) if case.decided_at else "",
            sent=format_time(case.decision_sent_at) if case.decision_sent_at else "",
            due=format_date(case.due_date),
            notifications=case.notifications.all(),
            systems=messages_of_case(case),
            packages=[p for p in case.access_packages.all() if not p.is_expired],
            package_kinds=list(PACKAGE_FILES),
            change_url=reverse("admin:rights_datasubjectrequest_change", args=[case.pk]),
        )

    def verify_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)
        form = VerifyForm(_posted(request), case=case)
        if request.method == "POST" and form.is_valid():
            done = self._act(
                request,
                case,
                "verify",
                lambda: cases.verify_identity(
                    case=case,
                    method=form.cleaned_data["method"],
                    user=request.user,
                    customer=form.cleaned_data.get("customer_number"),
                ),
            )
            if done:
                messages.success(request, _("Henkilöllisyys on todennettu."))
                return HttpResponseRedirect(case_url(case))
        return self._render(
            request,
            case,
            "action",
            _("Todenna henkilöllisyys: %(case)s") % {"case": case},
            form=form,
            intro=_(
                "Kirjaa, miten pyytäjän henkilöllisyys todennettiin. Todentajaksi kirjataan "
                "%(user)s. Lisätietoja pyydetään vain, jos henkilöllisyydestä on perusteltua "
                "epäilyä (%(article)s)."
            )
            % {
                "user": request.user.get_full_name() or request.user.get_username(),
                "article": cite("12(6)"),
            },
            button=_("Kirjaa todennetuksi"),
        )

    def prepare_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)
        if request.method == "POST":
            self._act(
                request,
                case,
                "start",
                lambda: cases.start_request(case=case, user=request.user),
            )
            return HttpResponseRedirect(case_url(case, "case_prepare"))
        if case.status != Status.IN_PROGRESS or case.customer is None:
            return HttpResponseRedirect(case_url(case))
        return self._render(
            request,
            case,
            "prepare",
            _("Valmistele: %(case)s") % {"case": case},
            **preparation(case),
        )

    def confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)
        if case.status != Status.IN_PROGRESS or case.customer is None:
            return HttpResponseRedirect(case_url(case))
        form = ConfirmForm(_posted(request), case=case)
        if request.method == "POST" and form.is_valid():
            done = self._act(
                request,
                case,
                "fulfil",
                lambda: cases.fulfil_request(case=case, user=request.user, send_letter=False),
            )
            if done:
                messages.success(
                    request, _("Pyyntö on toteutettu. Lue ratkaisu ja lähetä se pyytäjälle.")
                )
                return HttpResponseRedirect(case_url(case, "case_decision"))
        return self._render(
            request,
            case,
            "confirm",
            _("Vahvista: %(case)s") % {"case": case},
            form=form,
            **preparation(case),
        )

    def decision_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)
        if not case.decision_text:
            return HttpResponseRedirect(case_url(case))
        if request.method == "POST":
            mailed = []
            done = self._act(
                request,
                case,
                "send_decision",
                lambda: mailed.append(cases.send_decision(case=case, user=request.user)),
            )
            if done:
                messages.success(
                    request,
                    _("Ratkaisu on lähetetty.")
                    if mailed[0]
                    else _("Ratkaisu on kirjattu annetuksi: tulosta PDF ja postita se."),
                )
                return HttpResponseRedirect(case_url(case))
        return self._render(
            request,
            case,
            "decision",
            _("Ratkaisu: %(case)s") % {"case": case},
            letter=_letter(case.decision_text),
            pdf_url=reverse("admin:rights_datasubjectrequest_letter", args=[case.pk, "ratkaisu"]),
            unsent=case.decision_sent_at is None and case.status == Status.COMPLETED,
        )

    # Secondary steps.

    def extend_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)

        def preview(data: dict) -> str:
            extended = copy.copy(case)
            extended.due_date = cases.extended_due_date(
                case=case,
                months=data["months"],
                reason=data["reason"],
                notified_on=data["notified_on"],
            )
            extended.extension_reason = "\n".join(
                filter(None, [case.extension_reason, data["reason"].strip()])
            )
            return letters.extension_notice_text(extended)

        return self._form_page(
            request,
            case,
            form=ExtensionForm(_posted(request)),
            title=_("Jatka määräaikaa: %(case)s") % {"case": case},
            intro=_(
                "Määräaikaa voi jatkaa enintään kahdella kuukaudella, jos pyyntö on monimutkainen "
                "tai pyyntöjä on paljon. Pyytäjälle on ilmoitettava jatkosta ja sen syystä "
                "ensimmäisen kuukauden aikana (%(article)s)."
            )
            % {"article": cite("12(3)")},
            button=_("Jatka määräaikaa"),
            step="extend",
            service=lambda data: cases.extend_deadline(case=case, user=request.user, **data),
            done=_("Määräaikaa on jatkettu."),
            preview=preview,
        )

    def refuse_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)

        def preview(data: dict) -> str:
            cases.check_refusal(case=case, reason=data["reason"], details=data["details"])
            refused = copy.copy(case)
            refused.refusal_reason, refused.refusal_details = (
                data["reason"],
                data["details"].strip(),
            )
            return letters.refusal_decision_text(refused)

        return self._form_page(
            request,
            case,
            form=RefusalForm(_posted(request)),
            title=_("Hylkää pyyntö: %(case)s") % {"case": case},
            intro=_(
                "Hylkäyksestä annetaan kirjallinen ratkaisu perusteluineen ja tieto oikeudesta "
                "valittaa tietosuojavaltuutetulle (%(article)s). Ratkaisu lähetetään heti, kun "
                "vahvistat sen."
            )
            % {"article": cite("12(4)")},
            button=_("Hylkää ja lähetä ratkaisu"),
            step="refuse",
            service=lambda data: cases.refuse_request(case=case, user=request.user, **data),
            done=_("Pyyntö on hylätty ja ratkaisu lähetetty."),
            preview=preview,
            recipient=letter_recipient(case),
        )

    def withdraw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)
        return self._form_page(
            request,
            case,
            form=WithdrawForm(_posted(request)),
            title=_("Merkitse perutuksi: %(case)s") % {"case": case},
            intro=_("Pyyntö suljetaan ilman ratkaisua, koska pyytäjä on perunut sen."),
            button=_("Merkitse perutuksi"),
            step="withdraw",
            service=lambda data: cases.withdraw_request(case=case, user=request.user),
            done=_("Pyyntö on merkitty perutuksi."),
        )

    def notified_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)
        pending = RecipientNotification.objects.filter(request=case, notified_at__isnull=True)
        return self._form_page(
            request,
            case,
            form=NotifiedForm(_posted(request)),
            title=_("Ilmoitus vastaanottajille: %(case)s") % {"case": case},
            intro=_("Ilmoitettavat vastaanottajat (%(article)s): %(names)s.")
            % {
                "article": cite(19),
                "names": ", ".join(sorted({n.recipient for n in pending})) or "–",
            },
            button=_("Merkitse ilmoitetuksi"),
            step="recipients_notified",
            service=lambda data: corrections.mark_recipients_notified(
                case=case, method=data["method"], user=request.user
            ),
            done=_("Vastaanottajille ilmoittaminen on kirjattu."),
        )

    def lift_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._get_case(request, pk)
        if (
            case.kind != Kind.RESTRICTION
            or case.customer is None
            or not case.customer.is_restricted
        ):
            return HttpResponseRedirect(case_url(case))
        return self._form_page(
            request,
            case,
            form=LiftRestrictionForm(_posted(request)),
            title=_("Poista käsittelyn rajoitus: %(case)s") % {"case": case},
            intro=_("Asiakkaalle on ilmoitettava ennen kuin rajoitus poistetaan (%(article)s).")
            % {"article": cite("18(3)")},
            button=_("Poista rajoitus"),
            step="lift_restriction",
            service=lambda data: objections.lift_restriction(
                customer=case.customer, case=case, user=request.user, **data
            ),
            done=_("Käsittelyn rajoitus on poistettu."),
        )
