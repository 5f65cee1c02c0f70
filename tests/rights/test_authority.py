"""An authority's request is a case of its own: who asked, on what law, what was given, and
whether and when the customer was told — before the hand-over, when the statement promises it."""

import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from customers.models import Disclosure
from demo.shop import ensure_demo_statement
from privacy import audit
from privacy.models import AuditEntry
from rights import authority
from rights.access import build_access_files
from rights.access_reads import staff_reads
from rights.models import AuthorityRequest
from statement.content import authority_promise
from statement.models import StatementDraft
from statement.publishing import stale_reason
from tests.factories import CustomerFactory
from tests.rights.test_access import _pdf_text

DISCLOSED = "Tietojasi on luovutettu seuraaville vastaanottajille"
ANSWERING_AUTHORITIES = "Viranomaisten lakiin perustuviin tietopyyntöihin vastaaminen"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]


@pytest.fixture
def request_of_police():
    ensure_demo_statement()
    customer = CustomerFactory(email="aino@example.fi", preferred_language="fi")
    return authority.receive_authority_request(
        customer=customer,
        authority="Helsingin poliisilaitos",
        legal_basis="esitutkintalaki 805/2011, 7 luku 8 §",
        requested="Asiakkaan yhteystiedot",
    )


def test_the_customer_is_told_before_the_data_goes_when_the_statement_promises_it(
    request_of_police, django_capture_on_commit_callbacks
):
    assert "ennen luovutusta" in authority_promise()
    with pytest.raises(ValidationError, match="kertoa asiakkaalle ennen luovutusta"):
        authority.hand_over(request=request_of_police, fields=["email", "phone"])
    assert not Disclosure.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        authority.tell_customer(request=request_of_police)
    assert mail.outbox and "Helsingin poliisilaitos" in mail.outbox[0].body
    done = authority.hand_over(request=request_of_police, fields=["email", "phone"])
    assert done.customer_told_at <= done.handed_over_at
    disclosure = done.disclosure
    assert disclosure.listed_recipient.kind == "authority"
    assert disclosure.fields == ["email", "phone"]
    assert "esitutkintalaki" in disclosure.reason


def test_a_reason_the_law_forbids_telling_lets_the_data_go_and_is_on_record(request_of_police):
    authority.withhold_telling(
        request=request_of_police, reason="Tutkinnan vaarantuminen (ETL 7:8 §)"
    )
    done = authority.hand_over(request=request_of_police, fields=["email"])
    assert done.customer_told_at is None and done.telling_withheld_reason
    assert Disclosure.objects.get().customer == request_of_police.customer


def test_without_the_promise_the_statement_says_less_and_the_register_lets_it_be(
    request_of_police, settings
):
    settings.AUTHORITY_REQUESTS_TOLD_FIRST = False
    assert "ennen luovutusta" not in authority_promise()
    assert stale_reason(StatementDraft.current()) is not None
    assert authority.hand_over(request=request_of_police, fields=["email"]).handed_over_at


def test_staff_record_a_request_and_cannot_hand_over_untold(client, register_admin, otp_login):
    ensure_demo_statement()
    customer = CustomerFactory(email="eino@example.fi")
    otp_login(client, register_admin)
    add = client.post(
        "/hallinta/rights/authorityrequest/add/",
        {
            "customer": customer.number,
            "authority": "Verohallinto",
            "legal_basis": "verotusmenettelylaki 1558/1995, 19 §",
            "requested": "Tilaukset 2025",
            "hand_over_fields": ["orders"],
        },
    )
    assert add.status_code == 200
    assert "lupaa kertoa asiakkaalle ennen luovutusta" in add.content.decode()
    assert not AuthorityRequest.objects.exists()
    client.post(
        "/hallinta/rights/authorityrequest/add/",
        {
            "customer": customer.number,
            "authority": "Verohallinto",
            "legal_basis": "verotusmenettelylaki 1558/1995, 19 §",
            "requested": "Tilaukset 2025",
            "tell_customer": "on",
            "hand_over_fields": ["orders"],
        },
    )
    recorded = AuthorityRequest.objects.get()
    assert recorded.customer_told_at and recorded.handed_over_at
    assert {"billing_name", "delivery_street"} <= set(recorded.disclosure.fields)


def test_a_request_the_customer_may_not_be_told_of_stays_out_of_their_access_copy(
    request_of_police, customer_service, django_capture_on_commit_callbacks
):
    authority.withhold_telling(
        request=request_of_police, reason="Tutkinnan vaarantuminen (ETL 7:8 §)"
    )
    authority.hand_over(request=request_of_police, fields=["email"])
    customer = request_of_police.customer
    audit.record(
        actor=customer_service,
        action=AuditEntry.Action.VIEW,
        customer_id=customer.pk,
        object_label=audit.object_label(request_of_police),
    )
    files = build_access_files(customer=customer)
    withheld = json.loads(files["tiedot.json"])["tables"]
    assert not withheld.get("rights.AuthorityRequest", {}).get("rows")
    assert not withheld.get("customers.Disclosure", {}).get("rows")
    letter = _pdf_text(files["tiedot.pdf"])
    for telling in (DISCLOSED, ANSWERING_AUTHORITIES):  # the cover letter, the reads log
        assert telling not in letter, telling
    assert ANSWERING_AUTHORITIES not in {str(read.purpose) for read in staff_reads(customer)}
    assert AuthorityRequest.objects.filter(customer=customer).exists()  # still on record

    with django_capture_on_commit_callbacks(execute=True):
        authority.tell_customer(request=request_of_police)
    files = build_access_files(customer=customer)
    told = json.loads(files["tiedot.json"])["tables"]
    assert len(told["rights.AuthorityRequest"]["rows"]) == 1
    assert len(told["customers.Disclosure"]["rows"]) == 1
    letter = _pdf_text(files["tiedot.pdf"])
    assert DISCLOSED in letter and ANSWERING_AUTHORITIES in letter
    assert ANSWERING_AUTHORITIES in {str(read.purpose) for read in staff_reads(customer)}
