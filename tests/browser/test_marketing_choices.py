"""A consent and a ban for the same purpose and channel cannot both be in force (issue 19).

The customer tries: they say Kyllä to offers by email, then tick the total direct-marketing ban
while leaving the Kyllä as it is, and save. The ban wins, the page says it replaced the consent,
the switch shows Ei, and the register holds the ban without the consent.
"""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from customers.models import MarketingBan
from customers.services import consent_state
from demo.shop import ensure_demo_statement
from tests.browser.conftest import make_shopper, portal_login

pytestmark = pytest.mark.django_db(transaction=True)

OFFERS = "Tarjoukset ja uutiskirjeet meiltä"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _switch(page, channel: str):
    # Each switch reads as the shop's wording of its consent (ConsentWording) under the
    # purpose's heading, by default the channel.
    return page.get_by_role("group", name=OFFERS, exact=True).get_by_role(
        "group", name=channel, exact=True
    )


def test_a_consent_and_the_ban_against_it_cannot_be_saved_together(phone_page):
    page = phone_page
    ensure_demo_statement()
    shopper = make_shopper()
    portal_login(page, shopper)
    page.goto("/oma/markkinointi/")
    expect(_switch(page, "Sähköposti").get_by_label("Ei", exact=True)).to_be_checked()
    _switch(page, "Sähköposti").get_by_label("Kyllä", exact=True).check()
    page.get_by_role("button", name="Tallenna valinnat").click()
    expect(page.get_by_role("status").first).to_contain_text("on tallennettu")
    assert consent_state(shopper)[("direct_marketing", "email")] is True

    # Both at once: the ban, and the Kyllä left standing (and one more given by text message).
    page.get_by_label("Kiellän kaiken suoramarkkinoinnin").check()
    expect(_switch(page, "Sähköposti").get_by_label("Kyllä", exact=True)).to_be_checked()
    _switch(page, "Tekstiviesti").get_by_label("Kyllä", exact=True).check()
    page.get_by_role("button", name="Tallenna valinnat").click()

    notice = page.get_by_role("status").filter(has_text="Kielto korvasi suostumuksesi")
    expect(notice).to_contain_text(f"{OFFERS} – Sähköposti")
    expect(notice).to_contain_text(f"{OFFERS} – Tekstiviesti")
    expect(page.get_by_label("Kiellän kaiken suoramarkkinoinnin")).to_be_checked()
    for channel in ("Sähköposti", "Tekstiviesti", "Posti", "Puhelin"):
        expect(_switch(page, channel).get_by_label("Ei", exact=True)).to_be_checked()
    state = consent_state(shopper)
    assert state[("direct_marketing", "email")] is False
    assert state.get(("direct_marketing", "sms"), False) is False
    assert MarketingBan.objects.filter(
        customer=shopper, scope="direct_marketing", channel="all", lifted_at=None
    ).exists()
