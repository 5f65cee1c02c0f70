import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from customers.models import Customer, Disclosure, MarketingBan
from privacy.deadlines import (
    add_months,
    last_voucher_day_past_retention,
    voucher_kept_until,
)
from privacy.models import AuditEntry
from rights.cases import (
    due_date_for,
    extend_deadline,
    fulfil_request,
    link_customer,
    receive_portal_request,
    receive_request,
    refuse_request,
    start_request,
    verify_identity,
    withdraw_request,
)
from rights.corrections import decide_correction, mark_recipients_notified, propose_correction
from rights.letters import extension_notice_text, render_letter_pdf
from rights.models import AccessPackage, CorrectionItem, DataSubjectRequest, RequestEvent
from rights.objections import ban_marketing_for_case, lift_restriction
from statement.models import Controller
from tests.factories import CustomerFactory, OrderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]

HELSINKI = ZoneInfo("Europe/Helsinki")
Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status


def _at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=HELSINKI)


def _request(kind: str, customer=None, **kwargs) -> DataSubjectRequest:
    return receive_request(
        kind=kind,
        channel=DataSubjectRequest.Channel.EMAIL,
        requester_name="Aino Asiakas",
        requester_contact="aino@example.fi",
        customer=customer,
        **kwargs,
    )


def _verified(kind: str, customer=None, user=None, **kwargs) -> DataSubjectRequest:
    request = _request(kind, customer or CustomerFactory(), **kwargs)
    verify_identity(case=request, method=DataSubjectRequest.Verification.EMAIL_ON_FILE, user=user)
    return request


# Deadline arithmetic (GDPR Art. 12(3)).


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2025, 1, 15), dt.date(2025, 2, 15)),
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),
        (dt.date(2025, 3, 31), dt.date(2025, 4, 30)),
        (dt.date(2025, 12, 31), dt.date(2026, 1, 31)),
        (dt.date(2024, 2, 29), dt.date(2024, 3, 29)),
    ],
)
def test_the_deadline_is_one_calendar_month_or_that_months_last_day(received, due):
    assert add_months(received, 1) == due


def test_the_deadline_counts_from_receipt_in_finnish_time():
    # 23.30 UTC on 31 January is already 1 February in Helsinki.
    received = dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.UTC)
    assert due_date_for(received) == dt.date(2025, 3, 1)


def test_a_received_request_gets_its_deadline_and_history():
    request = _request(Kind.ACCESS, received_at=_at(2024, 1, 31))
    assert request.due_date == dt.date(2024, 2, 29)
    assert request.status == Status.RECEIVED
    assert [e.kind for e in request.events.all()] == [RequestEvent.Kind.RECEIVED]


def test_accounting_vouchers_are_kept_six_years_from_the_end_of_their_year():
    assert voucher_kept_until(dt.date(2024, 3, 5)) == dt.date(2030, 12, 31)
    assert voucher_kept_until(dt.date(2024, 12, 31)) == dt.date(2030, 12, 31)
    assert last_voucher_day_past_retention(dt.date(2031, 1, 1)) == dt.date(2024, 12, 31)
    assert last_voucher_day_past_retention(dt.date(2030, 12, 31)) == dt.date(2023, 12, 31)


def test_a_financial_year_ending_in_june_moves_the_voucher_retention(settings):
    # Kirjanpitolaki 2:10 §: counted from the end of the calendar year in which the financial
    # year ended; autumn 2024 belongs to the year ending 30.6.2025.
    settings.ACCOUNTING_YEAR_END = (6, 30)
    assert voucher_kept_until(dt.date(2024, 6, 30)) == dt.date(2030, 12, 31)
    assert voucher_kept_until(dt.date(2024, 9, 1)) == dt.date(2031, 12, 31)
    assert last_voucher_day_past_retention(dt.date(2031, 1, 1)) == dt.date(2024, 6, 30)


# Extension.


def test_an_extension_adds_up_to_two_months_with_reason_and_notice():
    request = _request(Kind.ACCESS, received_at=_at(2025, 1, 31))
    new_due = extend_deadline(
        case=request,
        months=2,
        reason="Pyyntöjä on useita ja ne ovat laajoja.",
        notified_on=dt.date(2025, 2, 10),
    )
    assert new_due == dt.date(2025, 4, 28)
    request.refresh_from_db()
    assert request.extension_months == 2
    assert request.extension_notified_on == dt.date(2025, 2, 10)
    assert request.events.filter(kind=RequestEvent.Kind.EXTENDED).exists()


def test_an_extension_beyond_two_months_is_refused():
    request = _request(Kind.ACCESS, received_at=_at(2025, 1, 10))
    extend_deadline(case=request, months=1, reason="Laaja", notified_on=dt.date(2025, 1, 20))
    with pytest.raises(ValidationError):
        extend_deadline(case=request, months=2, reason="Laaja", notified_on=dt.date(2025, 1, 20))
    request.refresh_from_db()
    assert request.due_date == dt.date(2025, 3, 10)


def test_an_extension_told_after_the_first_month_is_refused():
    request = _request(Kind.ACCESS, received_at=_at(2025, 1, 10))
    with pytest.raises(ValidationError, match="ensimmäisen kuukauden"):
        extend_deadline(case=request, months=1, reason="Laaja", notified_on=dt.date(2025, 2, 11))


def test_an_extension_notice_date_lies_between_receipt_and_today():
    request = _request(Kind.ACCESS, received_at=timezone.now() - dt.timedelta(days=3))
    for day in (
        timezone.localdate() - dt.timedelta(days=5),
        timezone.localdate() + dt.timedelta(days=1),
    ):
        with pytest.raises(ValidationError, match="Ilmoituspäivän"):
            extend_deadline(case=request, months=1, reason="Laaja", notified_on=day)


def test_the_extension_notice_gives_the_new_deadline_and_the_reasons():
    request = _request(Kind.ACCESS, received_at=_at(2025, 1, 31))
    extend_deadline(
        case=request,
        months=1,
        reason="Pyyntöjä on saapunut useita.",
        notified_on=dt.date(2025, 2, 3),
    )
    text = extension_notice_text(request)
    assert "28.3.2025" in text
    assert "Pyyntöjä on saapunut useita." in text
    assert "(EU:n yleisen tietosuoja-asetuksen (2016/679) 12 artiklan 3 kohta)" in text


def test_an_extension_needs_its_reason():
    request = _request(Kind.ACCESS)
    with pytest.raises(ValidationError):
        extend_deadline(case=request, months=1, reason=" ", notified_on=request.due_date)


def test_the_database_refuses_more_than_two_months_of_extension():
    request = _request(Kind.ACCESS)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSubjectRequest.objects.filter(pk=request.pk).update(extension_months=3)


# Identity and status.


def test_a_request_cannot_be_fulfilled_before_identity_is_verified():
    request = _request(Kind.ACCESS, CustomerFactory())
    with pytest.raises(ValidationError):
        fulfil_request(case=request)


def test_verifying_identity_records_method_person_and_time(register_admin):
    customer = CustomerFactory()
    request = _request(Kind.ACCESS)
    verify_identity(
        case=request,
        method=DataSubjectRequest.Verification.ORDER_DETAILS,
        user=register_admin,
        customer=customer,
    )
    request.refresh_from_db()
    assert request.status == Status.IDENTITY_VERIFIED
    assert request.customer == customer
    assert request.verified_by == register_admin
    assert request.verified_at is not None


def test_history_rows_cannot_be_rewritten_or_deleted():
    event = _request(Kind.ACCESS).events.get()
    event.message = "muutettu"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_a_case_moves_only_along_the_allowed_transitions():
    request = _request(Kind.ACCESS, CustomerFactory())
    with pytest.raises(ValidationError):
        start_request(case=request)
    verify_identity(case=request, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    start_request(case=request)
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    fulfil_request(case=request)
    for step in (
        lambda: withdraw_request(case=request),
        lambda: refuse_request(case=request, reason="excessive"),
        lambda: verify_identity(case=request, method="id_document"),
        lambda: fulfil_request(case=request),
    ):
        with pytest.raises(ValidationError, match="jo ratkaistu"):
            step()
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds[:3] == ["received", "identity_verified", "started"]


def test_the_database_refuses_a_completed_case_that_was_never_verified():
    request = _request(Kind.ACCESS, CustomerFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSubjectRequest.objects.filter(pk=request.pk).update(
            status=Status.COMPLETED, decided_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSubjectRequest.objects.filter(pk=request.pk).update(status=Status.WITHDRAWN)


def test_a_request_is_refused_for_an_unknown_kind_or_a_future_receipt():
    with pytest.raises(ValidationError, match="pyynnön laji"):
        _request("complaint")
    with pytest.raises(ValidationError, match="tulevaisuudessa"):
        _request(Kind.ACCESS, received_at=timezone.now() + dt.timedelta(days=1))
    assert not DataSubjectRequest.objects.exists()


def test_a_portal_request_starts_verified_by_the_login():
    customer = CustomerFactory(preferred_language="en")
    request = receive_portal_request(customer=customer, kind=Kind.ACCESS)
    assert request.status == Status.IDENTITY_VERIFIED
    assert request.verification_method == DataSubjectRequest.Verification.PORTAL_LOGIN
    assert (request.channel, request.language) == ("portal", "en")
    assert request.requester_contact == customer.email


def test_a_withdrawn_request_is_closed():
    request = _request(Kind.ERASURE, CustomerFactory())
    withdraw_request(case=request)
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    with pytest.raises(ValidationError):
        fulfil_request(case=request)


def test_open_and_overdue_requests_are_found_for_the_queue():
    late = _request(Kind.ACCESS, received_at=_at(2020, 1, 1))
    done = _request(Kind.ACCESS, received_at=_at(2020, 1, 1))
    withdraw_request(case=done)
    assert list(DataSubjectRequest.objects.overdue()) == [late]


# Refusal (GDPR Art. 12(4)).


def test_a_refusal_gives_reasons_and_names_the_supervisory_authority_and_courts():
    request = _request(Kind.ERASURE, CustomerFactory())
    text = refuse_request(
        case=request,
        reason=DataSubjectRequest.RefusalReason.LEGAL_CLAIMS,
        details="Laskusta on vireillä riita.",
    )
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    assert request.decision_text == text
    for phrase in (
        request.reference,
        "Emme toteuta pyyntöäsi",
        "oikeusvaateen",
        "Laskusta on vireillä riita.",
        "Tietosuojavaltuutetun toimisto",
        "PL 800, 00531 Helsinki",
        "tietosuoja@om.fi",
        "029 566 6700",
        "tuomioistuimen",
    ):
        assert phrase in text, phrase
    # The stored letter names nobody.
    assert "Aino" not in text


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("fi", ["Emme toteuta pyyntöäsi", "Tietosuojavaltuutetun toimisto", "käräjäoikeuden"]),
        ("sv", ["Dataombudsmannens byrå", "PB 800, 00531 Helsingfors", "domstol"]),
        ("en", ["Office of the Data Protection Ombudsman", "court", "29 566 6700"]),
    ],
)
def test_the_refusal_letter_is_in_the_requesters_language(language, phrases):
    request = _request(Kind.ACCESS, CustomerFactory(preferred_language=language))
    text = refuse_request(case=request, reason=DataSubjectRequest.RefusalReason.EXCESSIVE)
    for phrase in [*phrases, "tietosuoja@om.fi", request.reference]:
        assert phrase in text, phrase
    request.refresh_from_db()
    assert request.language == language


def test_a_refusal_before_the_customer_is_known_uses_the_language_they_wrote_in():
    request = _request(Kind.ACCESS, language="sv")
    text = refuse_request(
        case=request, reason=DataSubjectRequest.RefusalReason.IDENTITY_NOT_VERIFIED
    )
    assert "Dataombudsmannens byrå" in text


def test_the_decision_prints_as_a_pdf_with_the_controller_and_the_remedies():
    Controller.objects.create(name="Esimerkkikauppa Oy", email="tietosuoja@esimerkki.fi")
    request = _request(Kind.ERASURE, CustomerFactory())
    refuse_request(
        case=request,
        reason=DataSubjectRequest.RefusalReason.LEGAL_CLAIMS,
        details="Laskusta on vireillä riita.",
    )
    request.refresh_from_db()
    reader = PdfReader(io.BytesIO(render_letter_pdf(case=request)))
    text = " ".join(page.extract_text() for page in reader.pages)
    for phrase in (
        "Esimerkkikauppa Oy",
        request.reference,
        "Laskusta on vireillä riita.",
        "Tietosuojavaltuutetun toimisto",
        "PL 800, 00531 Helsinki",
    ):
        assert phrase in text, phrase
    assert reader.metadata.title.startswith("Päätös tietosuojapyyntöösi")


def test_a_refusal_needs_a_reason():
    request = _request(Kind.ACCESS)
    with pytest.raises(ValidationError):
        refuse_request(case=request, reason="")
    with pytest.raises(ValidationError):
        refuse_request(case=request, reason=DataSubjectRequest.RefusalReason.OTHER)


# Each kind carried out.


def test_an_access_request_produces_a_package_and_a_decision():
    request = _verified(Kind.ACCESS)
    fulfil_request(case=request)
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert AccessPackage.objects.filter(request=request).count() == 1
    assert "Olemme toteuttaneet pyyntösi" in request.decision_text
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds[-3:] == [
        RequestEvent.Kind.ACCESS_PACKAGE,
        RequestEvent.Kind.COMPLETED,
        RequestEvent.Kind.DECISION_SENT,
    ]


def test_a_portability_request_produces_the_machine_readable_package():
    request = _verified(Kind.PORTABILITY)
    fulfil_request(case=request)
    package = AccessPackage.objects.get(request=request)
    assert package.archive_file.name.endswith(".zip")


def test_an_objection_bans_direct_marketing_at_once_before_identity_is_checked():
    customer = CustomerFactory()
    request = _request(Kind.OBJECTION, customer, ban_channel="email", ban_scope="direct_marketing")
    ban = MarketingBan.objects.get(customer=customer)
    assert (ban.channel, ban.scope, ban.lifted_at) == ("email", "direct_marketing", None)
    assert request.events.filter(kind=RequestEvent.Kind.BAN_SET).exists()


def test_an_objection_filed_before_the_customer_is_known_takes_effect_when_linked():
    customer = CustomerFactory()
    request = _request(Kind.OBJECTION)
    assert not MarketingBan.objects.exists()
    link_customer(case=request, customer=customer)
    assert MarketingBan.objects.get(customer=customer).channel == "all"


def test_the_ban_rule_of_customer_services_also_governs_requests():
    customer = CustomerFactory()
    request = _request(Kind.OBJECTION)
    with pytest.raises(ValidationError, match="Tuntematon kanava"):
        ban_marketing_for_case(customer=customer, channel="fax", case=request)
    first = ban_marketing_for_case(customer=customer, channel="email", case=request)
    again = ban_marketing_for_case(customer=customer, channel="email", case=request)
    assert first == again
    assert request.events.filter(kind=RequestEvent.Kind.BAN_SET).count() == 1
    assert first.via == "staff"
    assert AuditEntry.objects.filter(customer_id=customer.pk, action="add").count() == 1


def test_a_completed_objection_keeps_a_single_active_ban():
    customer = CustomerFactory()
    request = _verified(Kind.OBJECTION, customer)
    fulfil_request(case=request)
    assert MarketingBan.objects.filter(customer=customer, lifted_at__isnull=True).count() == 1


def test_a_restriction_marks_the_customer_until_it_is_lifted():
    customer = CustomerFactory()
    request = _verified(Kind.RESTRICTION, customer)
    fulfil_request(case=request)
    customer.refresh_from_db()
    assert customer.is_restricted
    lift_restriction(customer=customer, case=request, notified_on=timezone.localdate())
    customer.refresh_from_db()
    assert not customer.is_restricted
    lifted = request.events.get(kind=RequestEvent.Kind.RESTRICTION_LIFTED)
    assert timezone.localdate().strftime("%d.%m.%Y") in lifted.message


def test_an_erasure_request_erases_and_lists_what_is_kept():
    customer = CustomerFactory(first_name="Sulevi")
    OrderFactory(customer=customer)
    request = _verified(Kind.ERASURE, customer)
    fulfil_request(case=request)
    request.refresh_from_db()
    customer.refresh_from_db()
    assert customer.erased_at is not None
    assert customer.first_name == ""
    assert request.status == Status.COMPLETED
    assert "Kirjanpitolain" in request.decision_text
    assert "Sulevi" not in request.decision_text


# Correction (GDPR Art. 16) and recipients (Art. 19).


def test_corrections_are_normalised_approved_applied_and_recipients_listed(register_admin):
    customer = CustomerFactory(phone="+358401111111", email="vanha@example.fi")
    Disclosure.objects.create(
        customer=customer,
        recipient="Posti Oy",
        recipient_kind=Disclosure.RecipientKind.CARRIER,
        fields=["first_name", "street_address", "phone"],
        reason="Toimitus",
    )
    Disclosure.objects.create(
        customer=customer,
        recipient="Verohallinto",
        recipient_kind=Disclosure.RecipientKind.AUTHORITY,
        fields=["business_id"],
        reason="Tarkastus",
    )
    request = _verified(Kind.CORRECTION, customer)
    phone = propose_correction(
        case=request, field_name="phone", new_value="040 222 3333", reason="Uusi numero"
    )
    email = propose_correction(case=request, field_name="email", new_value=" UUSI@Example.FI ")
    street = propose_correction(case=request, field_name="street_address", new_value="Kuja 1")
    assert phone.old_value == "+358401111111"
    assert phone.new_value == "+358402223333"
    assert email.new_value == "uusi@example.fi"

    decide_correction(item=phone, approve=True, user=register_admin)
    decide_correction(item=email, approve=True, user=register_admin)
    with pytest.raises(ValidationError):
        decide_correction(item=street, approve=False, reason="")
    decide_correction(item=street, approve=False, reason="Osoite on oikein väestötiedoissa.")

    fulfil_request(case=request, user=register_admin)
    customer.refresh_from_db()
    assert customer.phone == "+358402223333"
    assert customer.email == "uusi@example.fi"
    assert customer.street_address == "Mannerheimintie 1 A 2"
    assert set(request.corrections.values_list("state", flat=True)) == {
        CorrectionItem.State.APPLIED,
        CorrectionItem.State.REJECTED,
    }
    notification = request.notifications.get()
    assert (notification.recipient, notification.fields) == ("Posti Oy", ["phone"])
    assert notification.notified_at is None
    assert mark_recipients_notified(case=request, method="sähköposti", user=register_admin) == 1
    notification.refresh_from_db()
    assert notification.notified_at is not None
    request.refresh_from_db()
    assert "Osoite on oikein väestötiedoissa." in request.decision_text
    # Art. 19: the person is told who the recipients are.
    assert "Posti Oy" in request.decision_text and "Verohallinto" not in request.decision_text
    assert AuditEntry.objects.filter(
        customer_id=customer.pk, action="change", details__fields=["email", "phone"]
    ).exists()


def test_an_invalid_correction_is_refused_at_once():
    request = _verified(Kind.CORRECTION, CustomerFactory(first_name="Aino"))
    with pytest.raises(ValidationError):
        propose_correction(case=request, field_name="phone", new_value="123")
    with pytest.raises(ValidationError):
        propose_correction(case=request, field_name="created_at", new_value="2020-01-01")
    with pytest.raises(ValidationError, match="sama kuin nykyinen"):
        propose_correction(case=request, field_name="first_name", new_value=" Aino ")
    assert not request.corrections.exists()


def test_undecided_corrections_block_completion():
    request = _verified(Kind.CORRECTION)
    propose_correction(case=request, field_name="first_name", new_value="Aina")
    with pytest.raises(ValidationError):
        fulfil_request(case=request)


def test_a_correction_colliding_with_another_customer_is_refused_whole():
    CustomerFactory(email="varattu@example.fi")
    customer = CustomerFactory(first_name="Aino")
    request = _verified(Kind.CORRECTION, customer)
    for field, value in (("first_name", "Aina"), ("email", "varattu@example.fi")):
        decide_correction(
            item=propose_correction(case=request, field_name=field, new_value=value),
            approve=True,
        )
    with pytest.raises(ValidationError):
        fulfil_request(case=request)
    assert Customer.objects.get(pk=customer.pk).first_name == "Aino"
