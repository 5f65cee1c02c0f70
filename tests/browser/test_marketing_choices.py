"""A consent and a ban for the same thing cannot both be saved from the portal (issue 19)."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from customers.models import MarketingBan
from demo.shop import ensure_demo_statement
from portal.services import consent_state
from tests.browser.conftest import make_shopper, portal_login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def test_a_ban_ticked_with_the_consent_it_forbids_replaces_it_and_the_page_says_so(phone_page):
    page = phone_page
    ensure_demo_statement()
    shopper = make_shopper()
    portal_login(page, shopper)
    page.goto("/oma/markkinointi/")
    newsletter = page.get_by_role("group", name="Haluan saada uutiskirjeen")
    newsletter.get_by_label("sähköposti", exact=True).check()
    ban = page.get_by_role("group", name="Kiellän suoramarkkinoinnin")
    ban.get_by_label("sähköposti", exact=True).check()
    page.get_by_role("button", name="Tallenna valinnat").click()

    expect(page.get_by_role("status").first).to_contain_text("Kielto korvasi suostumuksen")
    expect(
        page.get_by_role("group", name="Haluan saada uutiskirjeen").get_by_label(
            "sähköposti", exact=True
        )
    ).not_to_be_checked()
    expect(
        page.get_by_role("group", name="Kiellän suoramarkkinoinnin").get_by_label(
            "sähköposti", exact=True
        )
    ).to_be_checked()
    assert consent_state(shopper).get(("newsletter", "email"), False) is False
    assert MarketingBan.objects.filter(
        customer=shopper, scope="direct_marketing", channel="email", lifted_at=None
    ).exists()
