"""Marketing: consents per purpose and channel, bans per scope and channel."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from customers.marketing import marketable
from customers.models import ConsentEvent, Customer, MarketingBan
from demo.shop import ensure_demo_statement
from tests.factories import ConsentEventFactory, CustomerFactory, MarketingBanFactory

pytestmark = pytest.mark.django_db

MARKETING = reverse("portal:marketing")


def test_a_consent_is_recorded_with_the_statement_version_and_wording(portal_client):
    version = ensure_demo_statement()
    customer = CustomerFactory()
    client = portal_client(customer)
    body = client.get(MARKETING).content.decode()
    assert f"version {version.number}" in body
    response = client.post(MARKETING, {"consent_newsletter": ["email"]}, follow=True)
    assert "Markkinointivalintasi on tallennettu." in response.content.decode()
    event = ConsentEvent.objects.get(customer=customer)
    assert (event.purpose, event.channel, event.is_granted) == ("newsletter", "email", True)
    assert event.via == ConsentEvent.Via.PORTAL
    assert event.statement_version == version
    assert event.wording == "Haluan saada uutiskirjeen (sähköposti)"
    assert Customer.objects.filter(pk=customer.pk).marketable("email").exists()


def test_withdrawing_a_consent_appends_an_event(portal_client):
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="email")
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="sms")
    client = portal_client(customer)
    body = client.get(MARKETING).content.decode()
    assert 'value="email" id="id_consent_newsletter_0" checked' in body
    client.post(MARKETING, {"consent_newsletter": ["sms"]})
    latest = ConsentEvent.objects.filter(customer=customer).order_by("-id").first()
    assert (latest.channel, latest.is_granted) == ("email", False)
    assert ConsentEvent.objects.filter(customer=customer).count() == 3


def test_saving_unchanged_choices_records_nothing(portal_client):
    customer = CustomerFactory()
    response = portal_client(customer).post(MARKETING, {}, follow=True)
    assert "Et muuttanut valintojasi." in response.content.decode()
    assert not ConsentEvent.objects.exists()


def test_a_ban_is_set_and_lifted_with_the_statement_version(portal_client):
    version = ensure_demo_statement()
    customer = CustomerFactory()
    client = portal_client(customer)
    client.post(MARKETING, {"ban_direct_marketing": ["phone", "post"]})
    bans = MarketingBan.objects.filter(customer=customer, lifted_at__isnull=True)
    assert {(b.scope, b.channel) for b in bans} == {
        ("direct_marketing", "phone"),
        ("direct_marketing", "post"),
    }
    assert {b.statement_version for b in bans} == {version}
    assert {b.via for b in bans} == {"portal"}
    assert not marketable(Customer.objects.filter(pk=customer.pk), "phone").exists()

    client.post(MARKETING, {"ban_direct_marketing": ["post"]})
    phone = MarketingBan.objects.get(customer=customer, channel="phone")
    assert phone.lifted_at is not None
    assert MarketingBan.objects.get(customer=customer, channel="post").lifted_at is None


def test_an_existing_ban_is_shown_checked(portal_client):
    customer = CustomerFactory()
    MarketingBanFactory(customer=customer, channel="all", scope="profiling", via="staff")
    body = portal_client(customer).get(MARKETING).content.decode()
    assert 'name="ban_profiling" value="all" id="id_ban_profiling_0" checked' in body


def test_a_child_under_13_cannot_consent_and_nothing_is_saved(portal_client):
    child = CustomerFactory(birth_date=dt.date.today() - dt.timedelta(days=365 * 10))
    client = portal_client(child)
    response = client.post(MARKETING, {"consent_newsletter": ["email"], "ban_research": ["all"]})
    assert response.status_code == 400
    assert "Alle 13-vuotias ei voi antaa suostumusta yksin" in response.content.decode()
    assert not ConsentEvent.objects.exists()
    assert not MarketingBan.objects.exists()


def test_an_unknown_channel_is_refused_by_the_form(portal_client):
    customer = CustomerFactory()
    response = portal_client(customer).post(MARKETING, {"consent_newsletter": ["pigeon"]})
    assert response.status_code == 400
    assert 'id="id_consent_newsletter_error"' in response.content.decode()
    assert not ConsentEvent.objects.exists()


def _told(body: str) -> dict[str, str]:
    """Return the "how we market to you now" list of the page: channel → what it says."""
    section = body.split('id="now-title"')[1].split("</section>")[0]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section))


def test_the_page_tells_why_the_customer_hears_from_us_through_each_channel(
    portal_client, settings
):
    from tests.factories import OrderFactory

    settings.EXISTING_CUSTOMER_NOTICE_SINCE = dt.date.today() - dt.timedelta(days=365)
    customer = OrderFactory().customer
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="sms")
    MarketingBanFactory(customer=customer, channel="phone", scope="direct_marketing")
    client = portal_client(customer)
    assert _told(client.get(MARKETING).content.decode()) == {
        "Sähköposti": "Saat tietoa omista vastaavista tuotteistamme, koska olet ostanut meiltä. "
        "Voit kieltää sen alla.",
        "Tekstiviesti": "Saat markkinointia, koska olet antanut siihen suostumuksen.",
        "Posti": "Voimme markkinoida sinulle tätä kautta, koska et ole kieltänyt sitä. Voit "
        "kieltää sen alla.",
        "Puhelin": "Et saa meiltä markkinointia tätä kautta.",
        "Kohdennettu markkinointi": "Kohdennamme sinulle markkinointia viimeisen 12 kuukauden "
        "ostojesi perusteella, koska et ole kieltänyt profilointia. Voit kieltää sen alla.",
    }
    # Without the checkout's notice, buying is no basis for email marketing, and the page says so.
    settings.EXISTING_CUSTOMER_NOTICE_SINCE = None
    told = _told(client.get(MARKETING).content.decode())
    assert told["Sähköposti"] == "Et saa meiltä markkinointia tätä kautta."
    client.post(MARKETING, {"consent_newsletter": ["sms"], "ban_profiling": ["all"]})
    told = _told(client.get(MARKETING).content.decode())
    assert told["Kohdennettu markkinointi"] == (
        "Emme kohdenna sinulle markkinointia ostojesi perusteella."
    )
    assert told["Posti"].startswith("Voimme markkinoida sinulle tätä kautta")


def test_targeting_needs_no_consent_so_the_page_asks_none_and_keeps_one_given_elsewhere(
    portal_client,
):
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="profiling", channel="email", via="api")
    client = portal_client(customer)
    body = client.get(MARKETING).content.decode()
    assert 'name="consent_profiling"' not in body
    assert 'name="ban_profiling"' in body
    client.post(MARKETING, {"consent_newsletter": ["email"]})
    latest = ConsentEvent.objects.filter(customer=customer, purpose="profiling").get()
    assert latest.is_granted


def test_each_question_offers_only_the_channels_that_make_sense_for_it(portal_client):
    customer = CustomerFactory()
    # Given before the page asked only sensible channels: it stays shown, so saving keeps it.
    ConsentEventFactory(customer=customer, purpose="research", channel="phone", is_granted=True)
    client = portal_client(customer)
    page = client.get(MARKETING).content.decode()
    names = re.findall(r'name="(consent_\w+|ban_\w+)" value="(\w+)"', page)
    offered: dict[str, set[str]] = {}
    for name, value in names:
        offered.setdefault(name, set()).add(value)
    assert offered["consent_newsletter"] == {"email"}
    assert offered["consent_direct_marketing"] == {"email", "sms"}
    assert offered["consent_research"] == {"email", "sms", "phone"}
    assert offered["ban_profiling"] == {"all"} and offered["ban_publication"] == {"all"}
    assert offered["ban_direct_marketing"] == {"all", "email", "sms", "post", "phone"}
    assert "Saatte" not in page

    client.post(MARKETING, {"consent_research": ["phone"]})
    assert (
        ConsentEvent.objects.filter(customer=customer, channel="phone", is_granted=False).count()
        == 0
    )
