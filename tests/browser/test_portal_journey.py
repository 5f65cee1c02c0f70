"""The customer's journey through the portal in real Chromium, in Finnish and in English.

The journeys run with JavaScript switched off: the portal has none, and must not need any.
"""

import json
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from customers.models import ConsentEvent, Customer
from demo.shop import ensure_demo_statement
from rights.models import DataSubjectRequest
from tests.browser.conftest import PDF_TIMEOUT, TEXT, make_shopper, portal_login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.mark.parametrize(("lang", "other"), [("fi", "en"), ("en", "fi")])
def test_a_customer_uses_every_page_of_the_portal(new_page, lang, other):
    version = ensure_demo_statement()
    shopper = make_shopper()
    t = TEXT[lang]
    page = new_page(java_script_enabled=False)
    nav = page.get_by_role("navigation", name=re.compile("Omat tiedot -palvelu|My details service"))

    portal_login(page, shopper, lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_text(shopper.formatted_number).first).to_be_visible()

    # Edit details: a self-service field changes at once.
    page.get_by_label(t["street"]).fill("Koivukuja 2 B 7")
    page.get_by_role("button", name=t["save_details"]).click()
    expect(page.get_by_role("status")).to_contain_text(t["details_saved"])
    expect(page.get_by_label(t["street"])).to_have_value("Koivukuja 2 B 7")
    assert Customer.objects.get(pk=shopper.pk).street_address == "Koivukuja 2 B 7"

    # Orders and deliveries, with the carrier's tracking link.
    nav.get_by_role("link", name=t["orders"]).click()
    # The older order shows one line until opened.
    page.locator("details.order summary", has_text="-412").click()
    expect(page.get_by_text("Keittokirja")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("JJFI64123400000412"))).to_have_attribute(
        "href", re.compile(r"^https://www\.posti\.fi/")
    )
    expect(page.get_by_text("Saapunut noutopisteeseen, Helsinki")).to_be_visible()

    # Change a consent.
    nav.get_by_role("link", name=t["marketing"]).click()
    page.get_by_role("group", name=t["offers"]).get_by_role(
        "group", name=t["email_channel"]
    ).get_by_label(t["yes"], exact=True).check()
    page.get_by_role("button", name=t["save_marketing"]).click()
    expect(page.get_by_role("status")).to_contain_text(t["marketing_saved"])
    consent = ConsentEvent.objects.filter(customer=shopper, channel="email").get()
    assert consent.is_granted and consent.statement_version == version

    # Download the data and open the JSON.
    nav.get_by_role("link", name=t["download"]).click()
    page.get_by_role("button", name=t["make_package"]).click(timeout=PDF_TIMEOUT)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(t["json"])).first.click()
    with open(download.value.path(), encoding="utf-8") as copy:
        data = json.load(copy)
    assert data["customer_number"] == shopper.number
    assert "Koivukuja 2 B 7" in json.dumps(data, ensure_ascii=False)
    access = DataSubjectRequest.objects.get(customer=shopper, kind="access")
    assert access.status == "completed" and access.verification_method == "portal_login"

    # Request erasure, after reading what it does.
    nav.get_by_role("link", name=t["erase"]).click()
    expect(page.get_by_role("heading", name=t["kept"])).to_be_visible()
    page.get_by_label(re.compile(t["confirm_erasure"])).check()
    page.get_by_role("button", name=t["send_erasure"]).click()
    expect(page.get_by_role("heading", name=t["requests"], level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=t["erasure_kind"])).to_be_visible()
    erasure = DataSubjectRequest.objects.get(customer=shopper, kind="erasure")
    assert erasure.status == "identity_verified"
    expect(page.locator("dd", has_text=erasure.reference)).to_be_visible()

    # Switch language: the same page in the other language.
    page.get_by_role("navigation", name=re.compile("Kieli|Language")).get_by_role(
        "link", name=TEXT[other]["language"]
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.get_by_role("heading", name=TEXT[other]["requests"], level=1)).to_be_visible()

    # Log out; the pages are closed again.
    page.get_by_role("button", name=TEXT[other]["log_out"]).click()
    expect(page.get_by_role("heading", name=TEXT[other]["login_title"])).to_be_visible()
    page.goto("/oma/tilaukset/")
    expect(page).to_have_url(re.compile("/oma/kirjaudu/$"))


def test_a_second_customer_cannot_reach_the_first_customers_pages(new_page):
    first = make_shopper()
    victim_page = new_page()
    portal_login(victim_page, first)
    victim_page.goto("/oma/lataa/")
    victim_page.get_by_role("button", name="Muodosta tietopaketti").click(timeout=PDF_TIMEOUT)
    json_url = victim_page.get_by_role("link", name=re.compile("Lataa JSON")).first.get_attribute(
        "href"
    )
    victim_page.goto("/oma/poista/")
    victim_page.get_by_label(re.compile("Ymmärrän")).check()
    victim_page.get_by_role("button", name="Poista tietoni").click()
    request_code = str(DataSubjectRequest.objects.get(customer=first, kind="erasure").code)

    second = make_shopper(first_name="Ville")
    page = new_page()
    portal_login(page, second)
    secrets = [first.email, first.last_name, first.formatted_number, json_url, request_code]
    for path in (
        "/oma/tiedot/",
        "/oma/tilaukset/",
        "/oma/markkinointi/",
        "/oma/lataa/",
        "/oma/poista/",
        "/oma/pyynnot/",
    ):
        page.goto(path)
        body = page.content()
        for secret in secrets:
            assert secret not in body, (path, secret)
    # The first customer's ids in URLs lead nowhere.
    for kind in ("json", "pdf", "zip"):
        response = page.goto(json_url.replace("/json/", f"/{kind}/"))
        assert response.status == 404
    assert page.request.get(f"/oma/pyynnot/{request_code}/peru/").status == 405
    # Even with a valid form token of the second customer's own session, a POST is refused.
    page.goto("/oma/pyynnot/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    response = page.request.post(
        f"/oma/pyynnot/{request_code}/peru/", form={"csrfmiddlewaretoken": token}
    )
    assert response.status == 404
    assert DataSubjectRequest.objects.get(code=request_code).status == "identity_verified"
    page.goto("/oma/tiedot/")
    expect(page.get_by_text(second.formatted_number).first).to_be_visible()
