"""Marketing: a total ban, then one Kyllä/Ei per declared purpose and channel (issue 19 item 3)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from customers.marketing import USE_RESEARCH, is_marketable, marketable
from customers.models import ConsentEvent, Customer, MarketingBan
from customers.services import consent_state
from demo.shop import ensure_demo_statement
from privacy import declaration, vocabulary
from tests.factories import ConsentEventFactory, CustomerFactory, MarketingBanFactory, OrderFactory

pytestmark = pytest.mark.django_db

MARKETING = reverse("portal:marketing")


def _shown(body: str) -> dict[str, str]:
    """Return every switch of the page with the answer it shows: name → "yes" or "no"."""
    return dict(re.findall(r'type="radio" name="(\w+)" value="(yes|no)"[^>]*checked', body))


def _offered(body: str) -> set[str]:
    return set(re.findall(r'type="radio" name="(\w+)" value="yes"', body))


def _save(client, total: bool = False, **answers: str):
    """Post the page as shown, with `answers` changed (and the total ban ticked or not)."""
    data = _shown(client.get(MARKETING).content.decode()) | answers
    if total:
        data["total"] = "on"
    return client.post(MARKETING, data, follow=True)


def _bans(customer) -> set[tuple[str, str]]:
    return set(
        MarketingBan.objects.filter(customer=customer, lifted_at=None).values_list(
            "scope", "channel"
        )
    )


def test_the_page_asks_each_declared_purpose_through_the_channels_that_make_sense(
    portal_client,
):
    body = portal_client(CustomerFactory()).get(MARKETING).content.decode()
    assert _offered(body) == {
        "marketing_email",
        "marketing_sms",
        "marketing_post",
        "marketing_phone",
        "profiling_all",
        "research_email",
        "research_sms",
        "research_post",
        "research_phone",
    }
    assert "Kiellän kaiken suoramarkkinoinnin" in body
    # A business is asked about the reference list too; only a business is ever published.
    business = CustomerFactory(company="Oy Testi Ab", business_id="1234567-1")
    assert "publication_all" in _offered(portal_client(business).get(MARKETING).content.decode())


def test_a_purpose_the_declaration_does_not_use_is_not_offered(portal_client, monkeypatch):
    used = declaration.used
    monkeypatch.setattr(
        declaration,
        "used",
        lambda attribute: [p for p in used(attribute) if p != vocabulary.MARKET_RESEARCH],
    )
    body = portal_client(CustomerFactory()).get(MARKETING).content.decode()
    assert not {name for name in _offered(body) if name.startswith("research_")}
    assert "Markkina- ja mielipidetutkimukset" not in body


def test_a_purpose_the_published_statement_switched_off_is_not_asked(portal_client):
    from statement.models import StatementDraft
    from statement.publishing import publish_statement
    from tests.statement.test_purposes_off import say_nothing_of_optional_purposes

    business = CustomerFactory(company="Oy Testi Ab", business_id="1234567-1")
    ensure_demo_statement()
    draft = StatementDraft.current()
    draft.purposes_off = ["market_research", "reference_list", "targeting"]
    say_nothing_of_optional_purposes(draft)
    draft.save()
    # Switched off on the draft only: the statement in force still asks them.
    assert "publication_all" in _offered(portal_client(business).get(MARKETING).content.decode())
    publish_statement(draft=draft)
    offered = _offered(portal_client(business).get(MARKETING).content.decode())
    assert offered == {"marketing_email", "marketing_sms", "marketing_post", "marketing_phone"}


def test_the_legal_notices_are_one_paragraph_in_the_customers_own_voice(portal_client):
    body = portal_client(CustomerFactory()).get(MARKETING).content.decode()
    notice = next(p for p in re.findall(r"<p>(.*?)</p>", body, re.S) if "milloin tahansa" in p)
    assert "Voit perua suostumuksesi milloin tahansa (tietosuoja-asetuksen 7 artiklan 3 kohta)" in (
        notice
    )
    assert "kieltää suoramarkkinoinnin milloin tahansa" in notice and "maksutta" in notice
    assert "Saatte" not in body and "Voitte" not in body


def test_yes_by_email_is_a_consent_with_the_statement_version_and_wording(portal_client):
    version = ensure_demo_statement()
    customer = CustomerFactory()
    client = portal_client(customer)
    assert _shown(client.get(MARKETING).content.decode())["marketing_email"] == "no"
    response = _save(client, marketing_email="yes")
    assert "Markkinointivalintasi on tallennettu." in response.content.decode()
    event = ConsentEvent.objects.get(customer=customer)
    assert (event.purpose, event.channel, event.is_granted) == ("direct_marketing", "email", True)
    assert event.via == ConsentEvent.Via.PORTAL and event.statement_version == version
    assert event.wording == "Tarjoukset ja uutiskirjeet meiltä – Sähköposti"
    assert Customer.objects.filter(pk=customer.pk).marketable("email").exists()
    assert _shown(response.content.decode())["marketing_email"] == "yes"


def test_no_where_consent_is_the_basis_withdraws_every_marketing_consent_of_the_channel(
    portal_client,
):
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="email")
    ConsentEventFactory(customer=customer, purpose="direct_marketing", channel="email")
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="sms")
    client = portal_client(customer)
    assert _shown(client.get(MARKETING).content.decode())["marketing_email"] == "yes"
    _save(client, marketing_email="no")
    state = consent_state(customer)
    assert state[("newsletter", "email")] is False
    assert state[("direct_marketing", "email")] is False
    assert state[("newsletter", "sms")] is True
    assert not _bans(customer)  # a withdrawal, not a ban
    assert not Customer.objects.filter(pk=customer.pk).marketable("email").exists()


def test_no_where_the_basis_is_legitimate_interest_is_a_ban_and_yes_lifts_it(portal_client):
    version = ensure_demo_statement()
    customer = CustomerFactory()
    client = portal_client(customer)
    assert _shown(client.get(MARKETING).content.decode())["marketing_post"] == "yes"
    _save(client, marketing_post="no", profiling_all="no")
    assert _bans(customer) == {("direct_marketing", "post"), ("profiling", "all")}
    ban = MarketingBan.objects.get(customer=customer, channel="post")
    assert (ban.via, ban.statement_version) == ("portal", version)
    assert not marketable(Customer.objects.filter(pk=customer.pk), "post").exists()

    _save(client, marketing_post="yes")
    assert _bans(customer) == {("profiling", "all")}
    assert not ConsentEvent.objects.filter(customer=customer).exists()  # none needed
    assert marketable(Customer.objects.filter(pk=customer.pk), "post").exists()


def test_no_to_an_existing_customers_email_is_a_ban(portal_client, settings):
    settings.EXISTING_CUSTOMER_NOTICE_SINCE = dt.date.today() - dt.timedelta(days=365)
    customer = OrderFactory().customer
    client = portal_client(customer)
    # Marketed without consent (917/2014 200 § 2 mom.): the switch says so.
    assert _shown(client.get(MARKETING).content.decode())["marketing_email"] == "yes"
    _save(client, marketing_email="no")
    assert _bans(customer) == {("direct_marketing", "email")}
    assert not is_marketable(customer, "email")


def test_saving_the_page_as_shown_records_nothing(portal_client):
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="partners", channel="email")
    MarketingBanFactory(customer=customer, channel="phone", scope="distance_selling")
    response = _save(portal_client(customer))
    assert "Et muuttanut valintojasi." in response.content.decode()
    assert ConsentEvent.objects.filter(customer=customer).count() == 1
    assert _bans(customer) == {("distance_selling", "phone")}


def test_changing_one_switch_leaves_every_ban_and_consent_not_touched(portal_client):
    customer = CustomerFactory()
    MarketingBanFactory(customer=customer, channel="phone", scope="direct_marketing")
    ConsentEventFactory(customer=customer, purpose="research", channel="email")
    ConsentEventFactory(customer=customer, purpose="profiling", channel="email", via="api")
    _save(portal_client(customer), marketing_sms="yes")
    assert _bans(customer) == {("direct_marketing", "phone")}
    state = consent_state(customer)
    assert state[("research", "email")] is True and state[("profiling", "email")] is True
    assert state[("direct_marketing", "sms")] is True


def test_the_total_ban_withdraws_every_marketing_consent_and_every_switch_under_it_says_no(
    portal_client,
):
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="email")
    ConsentEventFactory(customer=customer, purpose="partners", channel="sms")
    ConsentEventFactory(customer=customer, purpose="research", channel="email")
    client = portal_client(customer)
    response = _save(client, total=True)
    body = response.content.decode()
    assert _bans(customer) == {("direct_marketing", "all")}
    state = consent_state(customer)
    assert state[("newsletter", "email")] is False and state[("partners", "sms")] is False
    assert state[("research", "email")] is True  # research is not direct marketing
    shown = _shown(body)
    assert {shown[f"marketing_{c}"] for c in ("email", "sms", "post", "phone")} == {"no"}
    assert shown["profiling_all"] == "no" and shown["research_email"] == "yes"
    assert 'name="total" checked' in body or re.search(r'name="total"[^>]*checked', body)
    assert "Kielto korvasi suostumuksesi: Tarjoukset ja uutiskirjeet meiltä – Sähköposti" in body


def test_lifting_the_total_ban_restores_no_consent_and_keeps_every_no(portal_client):
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="email")
    client = portal_client(customer)
    _save(client, total=True)
    # Lifted with every switch left at "no": nothing is marketed, each "no" now stands alone.
    response = _save(client, total=False)
    assert ("direct_marketing", "all") not in _bans(customer)
    assert consent_state(customer)[("newsletter", "email")] is False
    assert _bans(customer) == {
        ("direct_marketing", "post"),
        ("direct_marketing", "phone"),
        ("profiling", "all"),
    }
    shown = _shown(response.content.decode())
    assert {shown[f"marketing_{c}"] for c in ("email", "sms", "post", "phone")} == {"no"}
    assert not any(is_marketable(customer, c) for c in ("email", "sms", "post", "phone"))
    # The customer says "yes" to what they want again, one by one.
    _save(client, marketing_email="yes")
    assert is_marketable(customer, "email") and not is_marketable(customer, "post")


def test_a_yes_ticked_under_the_total_ban_is_replaced_by_it_and_the_page_says_so(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    response = _save(client, total=True, marketing_sms="yes")
    body = response.content.decode()
    assert "Kielto korvasi suostumuksesi: Tarjoukset ja uutiskirjeet meiltä – Tekstiviesti" in body
    assert consent_state(customer).get(("direct_marketing", "sms"), False) is False
    assert _shown(body)["marketing_sms"] == "no"


def test_a_research_ban_on_every_channel_is_split_when_one_channel_says_yes(portal_client):
    customer = CustomerFactory()
    MarketingBanFactory(customer=customer, channel="all", scope="research")
    client = portal_client(customer)
    assert _shown(client.get(MARKETING).content.decode())["research_post"] == "no"
    _save(client, research_phone="yes")
    assert _bans(customer) == {("research", "post")}
    assert not is_marketable(customer, "post", use=USE_RESEARCH)


def test_a_child_under_13_cannot_consent_and_nothing_is_saved(portal_client):
    child = CustomerFactory(birth_date=dt.date.today() - dt.timedelta(days=365 * 10))
    client = portal_client(child)
    data = _shown(client.get(MARKETING).content.decode()) | {
        "marketing_email": "yes",
        "research_post": "no",
    }
    response = client.post(MARKETING, data)
    assert response.status_code == 400
    assert "Alle 13-vuotias ei voi antaa suostumusta yksin" in response.content.decode()
    assert not ConsentEvent.objects.exists()
    assert not MarketingBan.objects.exists()


def test_an_answer_that_is_neither_yes_nor_no_is_refused_by_the_form(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    data = _shown(client.get(MARKETING).content.decode()) | {"marketing_email": "maybe"}
    response = client.post(MARKETING, data)
    assert response.status_code == 400
    assert 'id="id_marketing_email_error"' in response.content.decode()
    assert not ConsentEvent.objects.exists()


def _told(body: str) -> dict[str, str]:
    """Return the "how we market to you now" list of the page: channel → what it says."""
    section = body.split('id="now-title"')[1].split("</section>")[0]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section))


def test_the_page_tells_why_the_customer_hears_from_us_through_each_channel(
    portal_client, settings
):
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
    _save(client, profiling_all="no")
    told = _told(client.get(MARKETING).content.decode())
    assert told["Kohdennettu markkinointi"] == (
        "Emme kohdenna sinulle markkinointia ostojesi perusteella."
    )
    assert told["Posti"].startswith("Voimme markkinoida sinulle tätä kautta")
