"""The marketing role records a ban or consent phoned or mailed in (issue 18, item 5).

It finds the person by the exact email or phone they gave (audited, showing only what the
recording needs); a consent needs its evidence and the wording; the way it came in is chosen,
never defaulted; a processing restriction cannot be lifted from the customer form.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from customers.models import ConsentEvent, Customer, MarketingBan
from privacy.models import AuditEntry
from rights.access_reads import staff_reads
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

LOOKUP = reverse("admin:person_lookup")
BAN_ADD = reverse("admin:customers_marketingban_add")
CONSENT_ADD = reverse("admin:customers_consentevent_add")


@pytest.fixture
def person():
    return CustomerFactory(
        first_name="Aili", last_name="Kärkkäinen", phone="+358401234567", email="aili@example.fi"
    )


@pytest.fixture
def client(marketing, otp_login):
    return otp_login(Client(), marketing)


def test_a_phoned_in_ban_is_found_by_the_number_as_the_person_said_it_and_recorded(
    client, person, marketing
):
    page = client.get(LOOKUP, {"contact": "040 123 4567"}).content.decode()
    assert "Aili Kärkkäinen" in page
    assert "040 123 4567" in page
    assert "Ei markkinointikieltoja." in page
    # Only what the recording needs: no address, no orders.
    assert person.street_address not in page
    entry = AuditEntry.objects.get(customer_id=person.pk, action=AuditEntry.Action.VIEW)
    assert entry.actor == marketing and entry.details["view"] == "marketing_lookup"

    link = re.search(r'href="([^"]*/customers/marketingban/add/\?customer=\d+)"', page).group(1)
    form = client.get(link).content.decode()
    assert f'value="{person.number}"' in form
    # How it came in is chosen each time: nothing is preselected.
    via = re.search(r'<select name="via".*?</select>', form, re.S).group(0)
    assert '<option value="" selected>Valitse</option>' in via
    assert "puhelimitse" in via and "asiakaspalvelu" not in via

    response = client.post(
        BAN_ADD,
        {"customer": person.number, "channel": "all", "scope": "direct_marketing", "via": "phone"},
    )
    assert response.status_code == 302
    ban = MarketingBan.objects.get(customer=person)
    assert (ban.channel, ban.scope, ban.via, ban.lifted_at) == (
        "all",
        "direct_marketing",
        "phone",
        None,
    )
    assert "puhelimitse" in client.get(LOOKUP, {"contact": "aili@example.fi"}).content.decode()


def test_the_lookup_reads_as_marketing_control_in_the_customers_access_copy(client, person):
    client.get(LOOKUP, {"contact": "AILI@example.fi"})
    [read] = staff_reads(person)
    assert read.how == "haku markkinointikiellon tai suostumuksen kirjaamiseksi"
    assert read.purpose == "Suostumusten ja markkinointikieltojen noudattaminen"


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("Kärkkäinen", "Kirjoita koko sähköpostiosoite tai puhelinnumero"),
        ("aili@", "Sähköpostiosoite ei ole kelvollinen."),
    ],
)
def test_a_name_or_a_fragment_finds_nobody(client, person, contact, message):
    page = client.get(LOOKUP, {"contact": contact}).content.decode()
    assert message in page
    assert "Aili" not in page
    assert not AuditEntry.objects.filter(customer_id=person.pk).exists()


def test_an_unknown_address_says_so(client, person):
    page = client.get(LOOKUP, {"contact": "joku.muu@example.fi"}).content.decode()
    assert "ei löydy asiakasta" in page


def _consent(**changes) -> dict:
    return {
        "customer": "",
        "purpose": "newsletter",
        "channel": "email",
        "is_granted": "1",
        "via": "phone",
        "wording": "Saammeko lähettää sinulle uutiskirjeemme sähköpostiin?",
        "evidence": "Puhelu asiakkaalta 7.12.2026 klo 14.05",
        **changes,
    }


def test_a_consent_needs_its_evidence_and_its_wording_and_nothing_is_half_saved(
    client, person, marketing
):
    data = _consent(customer=person.number, evidence="", wording="")
    page = client.post(CONSENT_ADD, data).content.decode()
    assert "Kirjaa, mistä tämä näkyy" in page
    assert "Kirjaa sanamuoto, jolla suostumusta pyydettiin" in page
    assert not ConsentEvent.objects.exists()

    # A withdrawal needs evidence but no wording.
    withdrawal = _consent(customer=person.number, is_granted="0", wording="")
    assert client.post(CONSENT_ADD, withdrawal).status_code == 302
    assert client.post(CONSENT_ADD, _consent(customer=person.number)).status_code == 302
    granted = ConsentEvent.objects.get(customer=person, is_granted=True)
    assert granted.via == "phone"
    assert granted.evidence == "Puhelu asiakkaalta 7.12.2026 klo 14.05"
    assert granted.wording.startswith("Saammeko")
    assert granted.recorded_by == marketing.get_username()


def test_a_consent_form_offers_no_default_way_in(client, person):
    form = client.get(CONSENT_ADD, {"customer": person.number}).content.decode()
    via = re.search(r'<select name="via".*?</select>', form, re.S).group(0)
    assert '<option value="" selected>Valitse</option>' in via
    assert 'value="staff"' not in via
    assert "antaa suostumuksen" in form and "peruu suostumuksensa" in form


def test_the_customer_form_cannot_lift_a_restriction(customer_service, otp_login):
    from rights.objections import restrict_processing

    customer = CustomerFactory()
    restrict_processing(customer=customer)
    client = otp_login(Client(), customer_service)
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    page = client.get(url).content.decode()
    assert 'name="is_restricted"' not in page
    assert "Käsittelyä on rajoitettu." in page
    assert "Rajoitus asetetaan ja poistetaan tietosuojapyynnön kautta" in page
    assert Customer.objects.get(pk=customer.pk).is_restricted
