"""The portal on a 360 px phone: the action of a page is within its first screen."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TEXT, make_shopper, portal_login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _in_first_screen(locator) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_erase_button_is_in_the_first_screen_of_a_phone(phone_page, lang):
    t = TEXT[lang]
    shopper = make_shopper()
    portal_login(phone_page, shopper, lang)
    phone_page.goto(f"{t['prefix']}/oma/poista/")
    assert phone_page.evaluate("window.scrollY") == 0
    _in_first_screen(phone_page.get_by_label(re.compile(t["confirm_erasure"])))
    _in_first_screen(phone_page.get_by_role("button", name=t["send_erasure"]))
    # What stays follows the action.
    expect(phone_page.get_by_role("heading", name=t["kept"])).to_be_attached()


def test_the_download_button_is_in_the_first_screen_of_a_phone(phone_page):
    portal_login(phone_page, make_shopper())
    phone_page.goto("/oma/lataa/")
    _in_first_screen(phone_page.get_by_role("button", name=TEXT["fi"]["make_package"]))


def test_my_details_write_the_phone_number_one_way_on_a_phone(phone_page):
    shopper = make_shopper(phone="+358407654321")
    portal_login(phone_page, shopper)
    expect(phone_page.get_by_label("Matkapuhelin")).to_have_value("040 7654321")
    expect(phone_page.get_by_text("Esim. 040 1234567")).to_be_visible()
    expect(phone_page.get_by_role("heading", name="Demografiatiedot ja kiinnostuksen kohteet"))
    assert "+358" not in phone_page.locator("main").inner_text()
