import pytest
from django.conf import settings
from django.core import mail

from customers.models import Customer
from demo.shop import ensure_demo_statement
from notifications.models import OutgoingEmail
from rights.cases import fulfil_request, receive_request, refuse_request, verify_identity
from rights.models import DataSubjectRequest
from statement.models import StatementDraft, StatementPart, StatementPdf
from statement.publishing import publish_statement
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

Kind = DataSubjectRequest.Kind


def _letters() -> list:
    return [m for m in mail.outbox if m.subject.startswith(("Ratkaisu", "Beslut", "Decision"))]


def _verified(kind: str, customer: Customer) -> DataSubjectRequest:
    request = receive_request(
        kind=kind, channel=DataSubjectRequest.Channel.EMAIL, customer=customer
    )
    verify_identity(case=request, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    return request


def test_a_refusal_is_mailed_to_the_customer_with_the_written_decision():
    customer = CustomerFactory(email="liisa.virtanen@example.fi")
    request = _verified(Kind.ACCESS, customer)
    text = refuse_request(case=request, reason=DataSubjectRequest.RefusalReason.EXCESSIVE)
    (letter,) = _letters()
    assert letter.to == ["liisa.virtanen@example.fi"]
    assert letter.subject == f"Ratkaisu tietosuojapyyntöösi {request.reference}"
    assert letter.body == text
    assert "Tietosuojavaltuutetun toimisto" in letter.body


def test_the_decision_on_an_erasure_reaches_the_address_the_erasure_removed():
    customer = CustomerFactory(email="poistuva@example.fi")
    request = fulfil_request(case=_verified(Kind.ERASURE, customer))
    (letter,) = _letters()
    assert letter.to == ["poistuva@example.fi"]
    assert "Tietosi on poistettu" in letter.body
    # Once sent, the outbox keeps no trace of the person.
    assert not OutgoingEmail.objects.filter(recipient="poistuva@example.fi").exists()
    assert OutgoingEmail.objects.get(key=f"decision:{request.code}").body == ""


def test_a_requester_not_in_the_register_gets_the_refusal_at_their_own_address():
    request = receive_request(
        kind=Kind.ACCESS,
        channel=DataSubjectRequest.Channel.EMAIL,
        requester_name="Tuntematon",
        requester_contact="tuntematon@example.fi",
    )
    refuse_request(case=request, reason=DataSubjectRequest.RefusalReason.NO_DATA)
    assert [m.to for m in _letters()] == [["tuntematon@example.fi"]]


def test_a_letter_in_swedish_for_a_swedish_speaking_customer():
    customer = CustomerFactory(email="sven@example.fi", preferred_language="sv")
    request = _verified(Kind.ACCESS, customer)
    refuse_request(case=request, reason=DataSubjectRequest.RefusalReason.EXCESSIVE)
    (letter,) = _letters()
    assert letter.subject.startswith("Beslut")


def test_an_access_decision_is_mailed_and_the_package_built_by_the_task():
    customer = CustomerFactory(email="kysyja@example.fi")
    request = fulfil_request(case=_verified(Kind.ACCESS, customer))
    assert request.access_packages.count() == 1
    body = _letters()[0].body
    assert "Tietosi ovat ladattavissa omat tiedot -palvelussa" in body
    assert "liitteenä" not in body
    # Where the copy is: the portal's download page, behind the customer's login.
    assert settings.SITE_URL.rstrip("/") + "/oma/lataa/" in body


def test_publishing_a_statement_renders_its_pdfs_in_the_worker(django_capture_on_commit_callbacks):
    ensure_demo_statement()
    draft = StatementDraft.current()
    draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    draft.confirm_translations(StatementPart.COOKIES)  # still say the same
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        version = publish_statement(draft=draft)
    languages = set(StatementPdf.objects.filter(version=version).values_list("language", flat=True))
    assert languages == {"fi", "sv", "en"}
