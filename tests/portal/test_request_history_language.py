"""A request filed from a Swedish or English page keeps its history in Finnish, read back in any.

The case history notes how a request came in, how the requester was identified and how the
decision went out by the choice's Finnish label; the access package and the staff panel give it
in their reader's language (rights.access_display.event_message). A history written in the
language of the customer's page reads Swedish in an English package and in the Finnish panel.
"""

import pytest
from django.utils import translation

from demo.shop import ensure_demo_statement
from rights.access_display import event_message
from rights.models import DataSubjectRequest, RequestEvent
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _notes(kind: str) -> list[str]:
    case = DataSubjectRequest.objects.get(kind=kind)
    return [
        e.message for e in RequestEvent.objects.filter(request=case).order_by("pk") if e.message
    ]


def test_a_request_filed_in_swedish_reads_in_english_in_the_package(portal_client):
    client = portal_client(CustomerFactory())
    client.post("/sv/oma/pyynnot/", {"kind": "restriction", "description": "Adressen är fel."})
    notes = _notes("restriction")
    assert notes == ["omat tiedot -palvelu", "kirjautuminen omat tiedot -palveluun"]
    with translation.override("en"):
        assert [event_message(n) for n in notes] == [
            "the My details service",
            "login to the My details service",
        ]


def test_the_decision_sent_from_a_swedish_page_is_noted_in_finnish(portal_client):
    ensure_demo_statement()
    client = portal_client(CustomerFactory(preferred_language="sv"))
    client.post("/sv/oma/lataa/")
    notes = _notes("access")
    assert "sähköpostilla" in notes
    with translation.override("en"):
        assert "by email" in [event_message(n) for n in notes]
