"""Data-subject requests (GDPR Art. 12 and 15–21) from receipt to a written decision.

Every step is a service here; the staff panel, the command line and the portal call these. Each
writes its history row (RequestEvent) in the same transaction as the change it records, and a
case only moves along `rights.models.TRANSITIONS`.

The steps, for any caller:

- receipt: `receive_request` (staff, any channel) or `receive_portal_request` (the logged-in
  customer; starts verified); an objection to direct marketing bans it at once.
- identity and linking: `link_customer`, `verify_identity`; then `start_request`.
- deadline: `due_date_for`, `extended_due_date`, `extend_deadline` (+ `extension_notice_text`).
- correction: `propose_correction`, `decide_correction`, applied by `fulfil_request`.
- decision: `fulfil_request` (does what the kind requires), `refuse_request`, `withdraw_request`;
  the letter is `case.decision_text`, printed by `render_letter_pdf`, mailed at once or, from
  the staff panel, by `send_decision` once staff have read it.
- after: `mark_recipients_notified` (Art. 19), `lift_restriction` (Art. 18(3)).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.models import BanChannel, BanScope, Customer
from customers.services import record_activity
from customers.validators import in_the_future
from privacy import audit
from privacy.citations import cite
from privacy.deadlines import add_months
from rekisteri.tasks import enqueue
from rights.access import PACKAGE_LIFETIME
from rights.corrections import apply_corrections, correction_lines
from rights.erasure import ErasureResult, erase_customer
from rights.letters import (
    completion_decision_text,
    letter_date,
    letter_language,
    portal_download_url,
    refusal_decision_text,
)
from rights.models import DataSubjectRequest, RequestEvent
from rights.objections import apply_objection, restrict_processing
from rights.reminders import letter_recipient, notify_new_request, send_decision_letter
from rights.steps import (
    SENT_BY_EMAIL,
    TO_BE_POSTED,
    Kind,
    Status,
    add_event,
    audit_case,
    move_to,
    require_open,
    require_verified,
)
from rights.tasks import create_access_package_task


def due_date_for(received_at: dt.datetime) -> dt.date:
    """Return the deadline: one month from receipt (GDPR Art. 12(3)), in Finnish local time."""
    return add_months(timezone.localdate(received_at), 1)


def validate_received_at(value: dt.datetime) -> None:
    """Refuse a time of receipt in the future; the deadline is counted from it."""
    if in_the_future(value):
        raise ValidationError(
            {"received_at": _("Vastaanottoaika ei voi olla tulevaisuudessa.")}, code="future"
        )


def _check_choices(*, kind: str, channel: str, ban_channel: str, ban_scope: str, language: str):
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("Valitse pyynnön laji.")
    if channel not in DataSubjectRequest.Channel.values:
        errors["channel"] = _("Valitse, miten pyyntö saapui.")
    if ban_channel and ban_channel not in BanChannel.values:
        errors["ban_channel"] = _("Tuntematon kanava %(value)s.") % {"value": ban_channel}
    if ban_scope and ban_scope not in BanScope.values:
        errors["ban_scope"] = _("Tuntematon kiellon laajuus %(value)s.") % {"value": ban_scope}
    if language and language not in dict(DataSubjectRequest._meta.get_field("language").choices):
        errors["language"] = _("Tuntematon kieli %(value)s.") % {"value": language}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def receive_request(
    *,
    kind: str,
    channel: str,
    requester_name: str = "",
    requester_contact: str = "",
    description: str = "",
    customer: Customer | None = None,
    received_at: dt.datetime | None = None,
    ban_channel: str = "",
    ban_scope: str = "",
    language: str = "",
    user=None,
) -> DataSubjectRequest:
    """Record a case as received, with its deadline one month away.

    A direct-marketing objection for a known customer takes effect at once (GDPR Art. 21(3)).
    """
    _check_choices(
        kind=kind, channel=channel, ban_channel=ban_channel, ban_scope=ban_scope, language=language
    )
    received_at = received_at or timezone.now()
    validate_received_at(received_at)
    case = DataSubjectRequest.objects.create(
        kind=kind,
        channel=channel,
        requester_name=requester_name.strip(),
        requester_contact=requester_contact.strip(),
        description=description.strip(),
        customer=customer,
        received_at=received_at,
        due_date=due_date_for(received_at),
        ban_channel=ban_channel,
        ban_scope=ban_scope,
        language=language,
    )
    add_event(
        case, RequestEvent.Kind.RECEIVED, user, DataSubjectRequest.Channel(case.channel).label
    )
    if customer is not None:
        record_activity(customer=customer, at=received_at)
        if kind == Kind.OBJECTION:
            apply_objection(case, user)
    notify_new_request(case=case)
    return case


@transaction.atomic
def receive_portal_request(
    *,
    customer: Customer,
    kind: str,
    description: str = "",
    ban_channel: str = "",
    ban_scope: str = "",
    language: str = "",
) -> DataSubjectRequest:
    """Record a case the logged-in customer made in the portal, identity already verified.

    Logging in to the portal proved control of the email address on file (GDPR Art. 12(6)), so
    the case starts verified; the portal then calls `fulfil_request` or leaves it to staff.
    """
    case = receive_request(
        kind=kind,
        channel=DataSubjectRequest.Channel.PORTAL,
        requester_name=customer.full_name,
        requester_contact=customer.email,
        description=description,
        customer=customer,
        ban_channel=ban_channel,
        ban_scope=ban_scope,
        language=language or customer.preferred_language,
    )
    verify_identity(case=case, method=DataSubjectRequest.Verification.PORTAL_LOGIN)
    return case


@transaction.atomic
def link_customer(*, case: DataSubjectRequest, customer: Customer, user=None) -> None:
    """Connect a request to the customer it concerns."""
    require_open(case)
    if customer.erased_at is not None:
        raise ValidationError(_("Asiakkaan tiedot on jo poistettu."), code="erased")
    case.customer = customer
    case.save(update_fields=["customer"])
    add_event(case, RequestEvent.Kind.LINKED, user)
    if case.kind == Kind.OBJECTION:
        apply_objection(case, user)


@transaction.atomic
def verify_identity(
    *, case: DataSubjectRequest, method: str, user=None, customer: Customer | None = None
) -> None:
    """Record how the requester's identity was verified and by whom (GDPR Art. 12(6))."""
    require_open(case)
    if method not in DataSubjectRequest.Verification.values:
        raise ValidationError(_("Valitse todentamistapa."), code="method")
    if customer is not None and case.customer_id != customer.pk:
        link_customer(case=case, customer=customer, user=user)
    if case.customer is None:
        raise ValidationError(_("Yhdistä pyyntö ensin asiakkaaseen."), code="no_customer")
    case.verification_method = method
    case.verified_by = user if getattr(user, "is_authenticated", False) else None
    case.verified_at = timezone.now()
    if case.status == Status.RECEIVED:
        move_to(case, Status.IDENTITY_VERIFIED)
    case.save(update_fields=["verification_method", "verified_by", "verified_at", "status"])
    add_event(
        case,
        RequestEvent.Kind.IDENTITY_VERIFIED,
        user,
        DataSubjectRequest.Verification(method).label,
    )


@transaction.atomic
def start_request(*, case: DataSubjectRequest, user=None) -> None:
    """Mark a verified request as being worked on; a no-op when it already is."""
    require_verified(case)
    if case.status == Status.IDENTITY_VERIFIED:
        move_to(case, Status.IN_PROGRESS)
        case.save(update_fields=["status"])
        add_event(case, RequestEvent.Kind.STARTED, user)


def extended_due_date(
    *, case: DataSubjectRequest, months: int, reason: str, notified_on: dt.date
) -> dt.date:
    """Return the deadline an extension would give, or raise ValidationError (GDPR Art. 12(3)).

    The extension is allowed for complex or numerous requests, at most two further months in all,
    and only when the person was told, with the reasons, within the first month. Changes nothing:
    the staff panel previews the notice with it.
    """
    require_open(case)
    if not reason.strip():
        raise ValidationError(_("Jatkoajalle on kerrottava peruste."), code="reason")
    total = case.extension_months + months
    if months < 1 or total > 2:
        raise ValidationError(
            _("Määräaikaa voi jatkaa enintään kahdella kuukaudella."), code="too_long"
        )
    received_on = timezone.localdate(case.received_at)
    first_month_ends = due_date_for(case.received_at)
    if notified_on < received_on or notified_on > timezone.localdate():
        raise ValidationError(
            _("Ilmoituspäivän on oltava vastaanoton ja tämän päivän välillä."),
            code="notice_date",
        )
    if notified_on > first_month_ends:
        raise ValidationError(
            _("Jatkoajasta on ilmoitettava ensimmäisen kuukauden kuluessa (%(date)s).")
            % {"date": first_month_ends.strftime("%d.%m.%Y")},
            code="late_notice",
        )
    # Counted from the end of the first month, the stricter of the two readings of 12(3):
    # 31 January → 28 February → 28 April.
    return add_months(first_month_ends, total)


@transaction.atomic
def extend_deadline(
    *,
    case: DataSubjectRequest,
    months: int,
    reason: str,
    notified_on: dt.date,
    user=None,
) -> dt.date:
    """Extend the deadline by one or two months and return the new one (GDPR Art. 12(3))."""
    case.due_date = extended_due_date(
        case=case, months=months, reason=reason, notified_on=notified_on
    )
    case.extension_months += months
    case.extension_reason = "\n".join(filter(None, [case.extension_reason, reason.strip()]))
    case.extension_notified_on = notified_on
    case.save(
        update_fields=["due_date", "extension_months", "extension_reason", "extension_notified_on"]
    )
    add_event(
        case,
        RequestEvent.Kind.EXTENDED,
        user,
        f"{case.due_date:%d.%m.%Y}",
    )
    return case.due_date


def check_refusal(*, case: DataSubjectRequest, reason: str, details: str) -> None:
    """Refuse a refusal without a reason, or with "other" and no reasons written (Art. 12(4))."""
    require_open(case)
    if reason not in DataSubjectRequest.RefusalReason.values:
        raise ValidationError(_("Valitse hylkäyksen peruste."), code="reason")
    if reason == DataSubjectRequest.RefusalReason.OTHER and not details.strip():
        raise ValidationError(_("Kirjoita hylkäyksen perustelut."), code="details")


@transaction.atomic
def refuse_request(*, case: DataSubjectRequest, reason: str, details: str = "", user=None) -> str:
    """Refuse the request with reasons, mail the written decision and return it (Art. 12(4))."""
    check_refusal(case=case, reason=reason, details=details)
    move_to(case, Status.REFUSED)
    case.language = letter_language(case)
    case.refusal_reason = reason
    case.refusal_details = details.strip()
    case.decision_text = refusal_decision_text(case)
    case.decided_at = timezone.now()
    case.decided_by = user if getattr(user, "is_authenticated", False) else None
    case.save()
    add_event(
        case,
        RequestEvent.Kind.REFUSED,
        user,
        DataSubjectRequest.RefusalReason(case.refusal_reason).label,
    )
    audit_case(case, user, audit.AuditEntry.Action.REQUEST, decision="refused")
    _send(case, letter_recipient(case), user)
    return case.decision_text


@transaction.atomic
def withdraw_request(*, case: DataSubjectRequest, user=None) -> None:
    """Close the request because the person withdrew it."""
    move_to(case, Status.WITHDRAWN)
    case.decided_at = timezone.now()
    case.decided_by = user if getattr(user, "is_authenticated", False) else None
    case.save(update_fields=["status", "decided_at", "decided_by"])
    add_event(case, RequestEvent.Kind.WITHDRAWN, user)


# Fulfilling a request.


def _recipient_lines(case: DataSubjectRequest) -> list[str]:
    # Art. 19, second sentence: the person is told who the recipients are.
    recipients = sorted(set(case.notifications.values_list("recipient", flat=True)))
    if not recipients:
        return []
    return [
        "",
        _("Ilmoitamme muutoksesta tietojesi vastaanottajille (%(article)s): %(names)s.")
        % {"article": cite(19), "names": ", ".join(recipients)},
    ]


def _erasure_lines(result: ErasureResult) -> list[str]:
    lines = [_("Tietosi on poistettu tai anonymisoitu.")]
    # Per kind of record and reason: the last day anything is kept, or the criterion that ends it.
    kept: dict[tuple[str, str], tuple[dt.date | None, set[str]]] = {}
    for item in result.plan.kept:
        last, criteria = kept.get((str(item.model_name), str(item.legal_reason)), (None, set()))
        if item.kept_until and (last is None or item.kept_until > last):
            last = item.kept_until
        if not item.kept_until and item.criterion:
            criteria.add(str(item.criterion))
        kept[(str(item.model_name), str(item.legal_reason))] = (last, criteria)
    if kept:
        lines += ["", _("Seuraavat tiedot säilytetään lakisääteisen syyn vuoksi:")]
        for (model, reason), (last, criteria) in sorted(kept.items()):
            whens = sorted(criteria)
            if last:
                whens.insert(0, _("säilytetään %(date)s asti") % {"date": letter_date(last)})
            lines.append(f"- {model}: {reason} ({'; '.join(whens)})")
    return lines


def _systems_told_lines(result: ErasureResult) -> list[str]:
    # The web shop and the newsletter tool hold the person too: the letter says who was asked.
    if not result.systems_told:
        return []
    lines = ["", _("Pyysimme myös seuraavia järjestelmiä poistamaan tietosi:")]
    for told in result.systems_told:
        lines.append(
            _("- %(system)s: pyyntö tehty %(date)s")
            % {"system": told.system, "date": letter_date(timezone.localdate(told.at))}
        )
    return lines


def _carry_out(case: DataSubjectRequest, customer: Customer, user) -> list[str]:
    """Do what the request's kind requires; return the decision's lines about it."""
    lines: list[str] = []
    if case.kind in (Kind.ACCESS, Kind.PORTABILITY):
        # Built by the task worker: the PDF of a long history takes WeasyPrint many seconds.
        # The package expires no earlier than this.
        enqueue(
            create_access_package_task,
            customer_id=customer.pk,
            request_id=case.pk,
            user_id=user.pk if user is not None else None,
        )
        expires_at = timezone.now() + PACKAGE_LIFETIME
        lines.append(
            # Nothing is attached: the copy waits in the portal, behind the customer's login.
            _(
                "Tietosi ovat ladattavissa omat tiedot -palvelussa %(date)s asti: kirjaudu "
                "osoitteessa %(url)s sähköpostiisi lähetettävällä koodilla. Jos tietopaketti "
                "on ehtinyt vanhentua, voit muodostaa samalla sivulla uuden."
            )
            % {
                "url": portal_download_url(),
                "date": letter_date(timezone.localdate(expires_at)),
            }
        )
    elif case.kind == Kind.CORRECTION:
        apply_corrections(case=case, user=user)
        lines += correction_lines(case)
        lines += _recipient_lines(case)
    elif case.kind == Kind.ERASURE:
        result = erase_customer(customer=customer, case=case, user=user)
        lines += _erasure_lines(result)
        lines += _systems_told_lines(result)
        lines += _recipient_lines(case)
    elif case.kind == Kind.RESTRICTION:
        restrict_processing(customer=customer, case=case, user=user)
        lines.append(_("Tietojesi käsittelyä on rajoitettu."))
        lines += _recipient_lines(case)
    elif case.kind == Kind.OBJECTION:
        apply_objection(case, user)
        lines.append(_("Markkinointikielto on voimassa."))
    return lines


@transaction.atomic
def fulfil_request(
    *, case: DataSubjectRequest, user=None, send_letter: bool = True
) -> DataSubjectRequest:
    """Carry out a verified request as its kind requires and complete it with a decision.

    An access package is built by the task worker (`rights.tasks.create_access_package_task`).
    Without `send_letter` the decision waits, with the address read before the request was
    carried out, for `send_decision` (the staff panel shows it first).
    """
    customer = require_verified(case)
    # Read before an erasure clears the address the decision is mailed to.
    recipient = letter_recipient(case)
    start_request(case=case, user=user)
    # The decision is written in the reader's language, so its lines are too.
    language = letter_language(case)
    with translation.override(language):
        lines = _carry_out(case, customer, user)
    case.refresh_from_db()
    move_to(case, Status.COMPLETED)
    # Kept, so a reprint of the letter is in the same language after the customer's is erased.
    case.language = language
    case.decided_at = timezone.now()
    case.decided_by = user if getattr(user, "is_authenticated", False) else None
    case.decision_text = completion_decision_text(case, lines, language)
    case.decision_recipient = recipient
    case.save(
        update_fields=[
            "status",
            "language",
            "decided_at",
            "decided_by",
            "decision_text",
            "decision_recipient",
        ]
    )
    add_event(case, RequestEvent.Kind.COMPLETED, user)
    audit_case(case, user, audit.AuditEntry.Action.REQUEST, decision="completed")
    if send_letter:
        _send(case, recipient, user)
    return case


def _send(case: DataSubjectRequest, recipient: str, user) -> bool:
    """Mail the case's decision (when there is an address) and record it as given."""
    mailed = send_decision_letter(case=case, recipient=recipient, language=letter_language(case))
    case.decision_sent_at = timezone.now()
    # Kept only until the letter is out: the outbox holds the address from here on.
    case.decision_recipient = ""
    case.save(update_fields=["decision_sent_at", "decision_recipient"])
    add_event(
        case,
        RequestEvent.Kind.DECISION_SENT,
        user,
        SENT_BY_EMAIL if mailed else TO_BE_POSTED,
    )
    return mailed


@transaction.atomic
def send_decision(*, case: DataSubjectRequest, user=None) -> bool:
    """Send the written decision of a request carried out without it; True when mailed.

    Without an email address the decision is recorded as given on paper: staff print its PDF.
    """
    case = DataSubjectRequest.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.COMPLETED or not case.decision_text:
        raise ValidationError(_("Pyynnöllä ei ole lähetettävää ratkaisua."), code="no_decision")
    if case.decision_sent_at is not None:
        raise ValidationError(_("Ratkaisu on jo lähetetty."), code="sent")
    return _send(case, case.decision_recipient, user)
