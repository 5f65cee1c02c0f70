"""Staff journeys in real Chromium: TOTP login, first-login enrolment, search, customer page."""

import base64
import re

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import ConsentEventFactory, CustomerFactory, ShipmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "salasana-testi-123"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _code(key: bytes) -> str:
    return f"{totp(key):06d}"


def _staff_login(page, username: str, password: str, code: str = "") -> None:
    page.goto("/hallinta/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    if code:
        page.get_by_label("Kertakäyttökoodi").fill(code)
    page.get_by_role("button", name=re.compile("Kirjaudu|Log in")).click()


def test_customer_service_logs_in_with_totp_finds_a_customer_and_opens_the_page(
    page, customer_service
):
    device = TOTPDevice.objects.create(user=customer_service, name="puhelin", confirmed=True)
    customer = CustomerFactory(first_name="Hilkka", last_name="Hämäläinen")
    ShipmentFactory(order__customer=customer, tracking_code="JJFI99887766")
    ConsentEventFactory(customer=customer, purpose="newsletter")
    _staff_login(page, "asiakaspalvelu", PASSWORD, _code(device.bin_key))
    expect(page.get_by_role("heading", name="Avoimet tietosuojapyynnöt")).to_be_visible()
    assert_accessible(page)
    CustomerFactory.create_batch(3)
    page.goto("/hallinta/customers/customer/")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    page.locator("#searchbar").fill(customer.email)
    page.locator("#searchbar").press("Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.get_by_role("link", name=customer.formatted_number).click()
    expect(page.get_by_text("JJFI99887766")).to_be_visible()
    expect(page.get_by_role("cell", name="uutiskirje", exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_new_staff_member_enrols_an_authenticator_at_first_login(page, register_admin):
    from staff.accounts import open_totp_enrolment
    from staff.roles import CUSTOMER_SERVICE, ensure_role_groups

    user = register_admin.__class__.objects.create_user(
        "uusi.tyontekija", password=PASSWORD, is_staff=True
    )
    user.groups.add(ensure_role_groups()[CUSTOMER_SERVICE])
    open_totp_enrolment(user=user, opened_by=register_admin)
    _staff_login(page, "uusi.tyontekija", PASSWORD)
    expect(page).to_have_url(re.compile("/hallinta/kaksivaiheinen-tunnistautuminen/"))
    expect(page.locator("figure svg")).to_be_visible()
    secret = page.locator("code").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Sovelluksen näyttämä koodi").fill(_code(key))
    page.get_by_role("button", name="Vahvista").click()
    expect(page.get_by_text("Kaksivaiheinen tunnistautuminen on käytössä")).to_be_visible()
    expect(page.get_by_role("heading", name="Avoimet tietosuojapyynnöt")).to_be_visible()


def test_marketing_sees_charts_with_tables_and_downloads_an_audience(page, marketing):
    device = TOTPDevice.objects.create(user=marketing, name="puhelin", confirmed=True)
    ConsentEventFactory(channel="email", purpose="direct_marketing")
    _staff_login(page, "markkinointi", PASSWORD, _code(device.bin_key))
    expect(page.get_by_role("heading", name="Suostumukset ja kiellot")).to_be_visible()
    page.get_by_text("Näytä taulukkona").first.click()
    expect(page.get_by_role("columnheader", name="Sähköposti").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Markkinointiyleisöt").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Suoramarkkinointi (sähköposti), CSV").click()
    path = download.value.path()
    with open(path, encoding="utf-8") as handle:
        assert handle.readline().startswith("number,first_name,last_name,email")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_customer_service_records_a_hand_over_to_a_named_recipient(
    new_page, customer_service, width, tmp_path
):
    from demo.shop import ensure_demo_statement
    from tests.browser.conftest import DESKTOP, PHONE, assert_fits_the_screen

    ensure_demo_statement()
    device = TOTPDevice.objects.create(user=customer_service, name="puhelin", confirmed=True)
    customer = CustomerFactory(first_name="Hilkka", last_name="Hämäläinen")
    page = new_page(locale="fi-FI", viewport=DESKTOP if width == "desktop" else PHONE)
    _staff_login(page, "asiakaspalvelu", PASSWORD, _code(device.bin_key))
    page.goto(f"/hallinta/customers/customer/{customer.pk}/change/")
    page.get_by_role("link", name="Kirjaa käsin tehty luovutus").click()
    expect(page.get_by_role("textbox", name="Asiakasnumero")).to_have_value(customer.number)
    options = page.get_by_label("Vastaanottaja").locator("option").all_inner_texts()
    assert not [o for o in options if "Viranomai" in o], options
    page.get_by_label("Vastaanottaja").select_option(label=options[-1])
    page.get_by_role("checkbox", name="Sähköpostiosoite").check()
    page.get_by_label("Peruste").fill("Kirjanpidon tarkastus")
    page.screenshot(path=str(tmp_path / f"disclosure-{width}.png"), full_page=True)
    assert_accessible(page)
    if width == "phone":
        assert_fits_the_screen(page)
    page.get_by_role("button", name="Tallenna ja poistu").click()
    expect(page.get_by_text("Luovutus kirjattiin")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Kirjanpidon tarkastus"))
    expect(row).to_contain_text("Sähköpostiosoite")
    page.screenshot(path=str(tmp_path / f"customer-{width}.png"), full_page=True)
