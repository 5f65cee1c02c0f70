"""Every portal form, submitted wrong on a phone, opens on a focused error summary in view.

The GOV.UK error-summary pattern: the summary is at the top of the form, takes the focus as the
page opens (so a screen reader reads it and a phone scrolls to it), and links to each field.
The portal has no JavaScript; the focus comes from the summary's autofocus attribute.
"""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demo.shop import ensure_demo_statement
from tests.browser.conftest import make_shopper, portal_login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _assert_summary_focused_in_view(page, *expected: str) -> None:
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
        page.url,
        box,
    )
    for text in expected:
        expect(summary).to_contain_text(text)
    # No label runs into its message as ".:".
    assert ".:" not in summary.inner_text()


def test_each_form_submitted_wrong_opens_on_its_focused_summary(phone_page):
    page = phone_page
    ensure_demo_statement()
    shopper = make_shopper()

    page.goto("/oma/kirjaudu/")
    page.get_by_role("button", name="Lähetä koodi").click()
    _assert_summary_focused_in_view(page, "Sähköpostiosoite")

    portal_login(page, shopper)
    page.get_by_label("Postinumero").fill("123")
    page.get_by_role("button", name="Tallenna muutokset").click()
    _assert_summary_focused_in_view(page, "Postinumero")
    page.locator(".error-summary a").first.click()
    expect(page.get_by_label("Postinumero")).to_be_focused()

    page.goto("/oma/tiedot/korjaus/syntymaaika/")
    page.get_by_role("button", name="Lähetä korjauspyyntö").click()
    _assert_summary_focused_in_view(page)

    page.goto("/oma/poista/")
    page.get_by_role("button", name="Poista tietoni").click()
    _assert_summary_focused_in_view(page, "Ymmärrän")

    page.goto("/oma/pyynnot/")
    page.get_by_role("button", name="Lähetä pyyntö").click()
    _assert_summary_focused_in_view(page)


def test_the_marketing_form_refused_on_a_phone_opens_on_its_focused_summary(phone_page):
    # A child under 13 cannot consent alone (Tietosuojalaki 5 §): the one way to submit the
    # marketing page wrong without forging it.
    import datetime as dt

    page = phone_page
    ensure_demo_statement()
    child = make_shopper(birth_date=dt.date.today() - dt.timedelta(days=365 * 10))
    portal_login(page, child)
    page.goto("/oma/markkinointi/")
    offers = page.get_by_role("group", name="Tarjoukset ja uutiskirjeet meiltä")
    offers.get_by_role("group", name="Sähköposti").get_by_label("Kyllä", exact=True).check()
    page.get_by_role("button", name="Tallenna valinnat").click()
    _assert_summary_focused_in_view(page, "Alle 13-vuotias ei voi antaa suostumusta yksin")
