"""An own change is an edit; a correction staff decide is a case whose letter says what."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from customers.models import Disclosure
from rights.cases import fulfil_request, receive_request, verify_identity
from rights.corrections import change_own_details, decide_correction, propose_correction
from rights.models import DataSubjectRequest, RecipientNotification
from rights.retention import delete_old_case_records
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _disclosed(customer, *fields) -> Disclosure:
    return Disclosure.objects.create(
        customer=customer,
        recipient="Perintä Oy",
        recipient_kind=Disclosure.RecipientKind.COLLECTION,
        fields=list(fields),
        reason="Perintä",
    )


def test_an_own_change_may_touch_only_the_self_service_fields():
    customer = CustomerFactory(company="Vanha Oy")
    with pytest.raises(ValidationError):
        change_own_details(customer=customer, changes={"company": "Uusi Oy", "first_name": "X"})
    customer.refresh_from_db()
    assert (customer.company, customer.first_name) == ("Vanha Oy", "Aino")


def test_an_own_change_lists_only_recipients_of_what_changed():
    customer = CustomerFactory()
    _disclosed(customer, "email")
    _disclosed(customer, "phone", "street_address")
    notices = change_own_details(customer=customer, changes={"phone": "050 765 4321"})
    assert [(n.fields, n.request_id) for n in notices] == [(["phone"], None)]
    assert customer.phone == "+358507654321"


def test_staff_mark_notices_of_own_changes_sent(client, customer_service, otp_login):
    customer = CustomerFactory()
    _disclosed(customer, "phone")
    change_own_details(customer=customer, changes={"phone": "050 765 4321"})
    staff = otp_login(client, customer_service)
    changelist = reverse("admin:rights_recipientnotification_changelist")
    assert "Perintä Oy" in staff.get(changelist).content.decode()
    notice = RecipientNotification.objects.get()
    staff.post(
        changelist,
        {"action": "mark_sent", "_selected_action": [notice.pk], "method": "sähköposti"},
    )
    notice.refresh_from_db()
    assert notice.notified_at is not None and notice.method == "sähköposti"
    assert "Perintä Oy" not in staff.get(changelist).content.decode()


def test_notices_of_own_changes_go_with_the_case_records_period():
    customer = CustomerFactory()
    _disclosed(customer, "phone")
    change_own_details(customer=customer, changes={"phone": "050 765 4321"})
    assert delete_old_case_records(now=timezone.now(), dry_run=True) == 0
    later = timezone.now() + dt.timedelta(days=61 * 31)
    assert delete_old_case_records(now=later) == 1
    assert not RecipientNotification.objects.exists()


def _correction(customer, **values) -> DataSubjectRequest:
    case = receive_request(
        kind=DataSubjectRequest.Kind.CORRECTION,
        channel=DataSubjectRequest.Channel.PORTAL,
        customer=customer,
    )
    verify_identity(case=case, method=DataSubjectRequest.Verification.PORTAL_LOGIN)
    for name, value in values.items():
        propose_correction(case=case, field_name=name, new_value=value)
    return case


def test_the_letter_of_a_granted_correction_says_what_is_now_stored():
    customer = CustomerFactory(company="Vanha Oy")
    case = _correction(customer, company="Uusi Oy")
    decide_correction(item=case.corrections.get(), approve=True)
    fulfil_request(case=case)
    case.refresh_from_db()
    assert "Olemme toteuttaneet pyyntösi." in case.decision_text
    assert "- Yritys: korjattu. Nyt tallennettu: Uusi Oy" in case.decision_text


def test_the_letter_of_a_refused_correction_says_so_with_its_reasons():
    customer = CustomerFactory(business_id="")
    case = _correction(customer, business_id="1234567-1", profession="Puuseppä")
    first, second = case.corrections.order_by("id")
    decide_correction(item=first, approve=False, reason="Y-tunnus kuuluu toiselle yritykselle.")
    decide_correction(item=second, approve=True)
    fulfil_request(case=case)
    case.refresh_from_db()
    assert "Korjasimme osan tiedoistasi. Perustelut ovat alla." in case.decision_text
    assert (
        "- Y-tunnus: ei korjattu. Perustelu: Y-tunnus kuuluu toiselle yritykselle."
        in case.decision_text
    )
    assert "- Ammatti: korjattu. Nyt tallennettu: Puuseppä" in case.decision_text
    assert "Olemme toteuttaneet pyyntösi" not in case.decision_text


def test_the_front_page_counts_notices_still_owed_to_recipients(
    client, customer_service, otp_login
):
    customer = CustomerFactory()
    _disclosed(customer, "phone")
    staff = otp_login(client, customer_service)
    assert (
        "vastaanottajalle on vielä ilmoitettava"
        not in staff.get(reverse("admin:index")).content.decode()
    )
    change_own_details(customer=customer, changes={"phone": "050 765 4321"})
    body = staff.get(reverse("admin:index")).content.decode()
    assert "1 vastaanottajalle on vielä ilmoitettava asiakkaan itse muuttamista tiedoista." in body
    corrections_sent = RecipientNotification.objects.update(notified_at=timezone.now())
    assert corrections_sent == 1
    assert (
        "vastaanottajalle on vielä ilmoitettava"
        not in staff.get(reverse("admin:index")).content.decode()
    )
