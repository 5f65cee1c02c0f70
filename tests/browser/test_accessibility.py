"""axe-core finds no WCAG 2.1 A/AA violation on any portal page or the public statement.

Every page is checked at desktop width and on a 360 px wide phone, in its ordinary state and
with a form's errors shown; keyboard focus follows the reading order.
"""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demo.shop import ensure_demo_statement
from tests.browser.conftest import (
    PDF_TIMEOUT,
    assert_accessible,
    assert_fits_the_screen,
    make_shopper,
    portal_login,
)

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/oma/tiedot/",
    "/oma/tilaukset/",
    "/oma/markkinointi/",
    "/oma/lataa/",
    "/oma/poista/",
    "/oma/pyynnot/",
]


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def shopper():
    ensure_demo_statement()
    return make_shopper()


def _check(page) -> None:
    assert_accessible(page)
    assert_fits_the_screen(page)


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_every_portal_page_and_the_statement_have_no_violations(request, device, shopper):
    page = request.getfixturevalue(device)
    for path in ("/", "/en/", "/tietosuojaseloste/", "/en/tietosuojaseloste/", "/oma/kirjaudu/"):
        page.goto(path)
        _check(page)
    portal_login(page, shopper)
    page.goto("/oma/lataa/")
    page.get_by_role("button", name="Muodosta tietopaketti").click(timeout=PDF_TIMEOUT)
    page.goto("/oma/poista/")
    _check(page)  # the button and the table of what stays, before anything is filed
    page.get_by_label(re.compile("Ymmärrän")).check()
    page.get_by_role("button", name="Poista tietoni").click()
    for path in (*PAGES, "/oma/tiedot/korjaus/syntymaaika/"):
        for prefix in ("", "/sv"):
            page.goto(prefix + path)
            _check(page)


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_pages_with_errors_have_no_violations(request, device, shopper):
    page = request.getfixturevalue(device)
    page.goto("/oma/kirjaudu/")
    page.get_by_role("button", name="Lähetä koodi").click()
    expect(page.get_by_role("alert")).to_be_visible()
    _check(page)
    portal_login(page, shopper)
    page.get_by_label("Postinumero").fill("123")
    page.get_by_role("button", name="Tallenna muutokset").click()
    expect(page.get_by_label("Postinumero")).to_have_attribute("aria-invalid", "true")
    _check(page)
    page.goto("/oma/poista/")
    page.get_by_role("button", name="Poista tietoni").click()
    _check(page)
    page.goto("/oma/tiedot/korjaus/y-tunnus/")
    page.get_by_label("Oikea Y-tunnus").fill("123")
    page.get_by_role("button", name="Lähetä korjauspyyntö").click()
    expect(page.get_by_label("Oikea Y-tunnus")).to_have_attribute("aria-invalid", "true")
    _check(page)
    page.goto("/oma/pyynnot/")
    page.get_by_role("button", name="Lähetä pyyntö").click()
    _check(page)


def _tab_through(page, count: int) -> list[str]:
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "document.activeElement.textContent.trim() || document.activeElement.name"
            )
        )
    return stops


def test_the_keyboard_reaches_everything_in_reading_order(page, shopper):
    portal_login(page, shopper)
    page.goto("/oma/tiedot/")
    stops = _tab_through(page, 14)
    assert stops == [
        "Siirry sisältöön",
        "Esimerkkikauppa Oy",
        "Suomi",
        "Svenska",
        "English",
        "Kirjaudu ulos",
        "Omat tiedot",
        "Tilaukset ja toimitukset",
        "Markkinointi",
        "Lataa tietosi",
        "Poista tietosi",
        "Omat pyynnöt",
        "first_name",
        "last_name",
    ], stops


def test_the_skip_link_is_shown_on_focus_and_leads_to_the_content(page, shopper):
    portal_login(page, shopper)
    page.goto("/oma/tiedot/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_class("skip-link")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert _tab_through(page, 1) == ["Omat tiedot"]
