"""The register admin adds a carrier and edits a consent's wording; the customer sees both.

Carriers and consent wordings are the shop's data (issue 20 item 1): no code changes, and what
the portal shows is what the register records.
"""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from customers.models import Carrier, ConsentEvent, ConsentWording, Shipment
from demo.shop import ensure_demo_statement
from statement.models import StatementDraft
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    make_shopper,
    portal_login,
)
from tests.browser.test_statement_publishing import _log_in
from tests.factories import ShipmentFactory
from tests.integrations.test_carriers import name_in_statement

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = settings.BASE_DIR / "docs" / "screenshots"
PATTERN = "https://www.kaukokiito.fi/fi/seuranta/?rahtikirja={code}"
WORDING = "Haluan tarjouksia ja uutiskirjeen sähköpostiini, enintään kaksi viestiä kuukaudessa."


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)


def _check_at_both_widths(page, name: str) -> None:
    """Check the page reads at 1280 px and at 360 px, and keep a screenshot of each."""
    for viewport, width in ((DESKTOP, 1280), (PHONE, 360)):
        page.set_viewport_size(viewport)
        assert_fits_the_screen(page)
        assert_accessible(page)
        _shoot(page, f"{name}-{width}.png")
    page.set_viewport_size(DESKTOP)


def test_a_carrier_added_in_the_staff_panel_gives_the_customer_its_tracking_link(
    new_page, register_admin
):
    cache.clear()
    ensure_demo_statement()
    page = new_page(viewport=DESKTOP, locale="fi-FI")
    _log_in(page, register_admin)
    page.goto("/hallinta/customers/carrier/add/")
    page.get_by_label("Nimi").fill("Kaukokiito")
    page.get_by_label("Tunnus").fill("kaukokiito")
    page.get_by_label("Seurantasivun osoite").fill("http://www.kaukokiito.fi/seuranta")
    page.get_by_role("button", name="Tallenna ja poistu").click()
    expect(page.locator(".errorlist")).to_contain_text("on alettava https://")
    page.get_by_label("Seurantasivun osoite").fill(PATTERN)
    page.get_by_role("button", name="Tallenna ja poistu").click()
    warning = page.locator(".messagelist .warning")
    expect(warning).to_contain_text("Tietosuojaseloste ei vielä mainitse kuljetusliikettä")
    expect(warning.get_by_role("link", name="Avaa seloste")).to_be_visible()
    _check_at_both_widths(page, "staff-carriers")
    page.goto(f"/hallinta/customers/carrier/{Carrier.objects.get(key='kaukokiito').pk}/change/")
    _check_at_both_widths(page, "staff-carrier")

    # Named in the statement and published, it takes the customer's parcel.
    name_in_statement("kaukokiito", "Kaukokiito Oy")
    shopper = make_shopper()
    ShipmentFactory(order=shopper.orders.first(), carrier="kaukokiito", tracking_code="KK 77")
    customer = new_page(viewport=PHONE, locale="fi-FI")
    portal_login(customer, shopper)
    customer.goto("/oma/tilaukset/")
    expect(customer.get_by_role("heading", name="Toimitus: Kaukokiito").first).to_be_visible()
    expect(customer.get_by_role("link", name=re.compile("KK 77"))).to_have_attribute(
        "href", "https://www.kaukokiito.fi/fi/seuranta/?rahtikirja=KK%2077"
    )


def test_a_consent_wording_edited_in_the_staff_panel_is_what_the_customer_sees_and_gives(
    new_page, register_admin
):
    cache.clear()
    ensure_demo_statement()
    page = new_page(viewport=DESKTOP, locale="fi-FI")
    _log_in(page, register_admin)
    page.goto("/hallinta/customers/consentwording/")
    _check_at_both_widths(page, "staff-consent-wordings")
    page.get_by_role("link", name="suoramarkkinointi / sähköposti").click()
    page.get_by_label("Sanamuoto (suomi)").fill(WORDING)
    _check_at_both_widths(page, "staff-consent-wording")
    page.get_by_role("button", name="Tallenna ja poistu").click()
    expect(page.locator(".messagelist")).to_contain_text("Tallennettu:")

    shopper = make_shopper()
    customer = new_page(viewport=DESKTOP, locale="fi-FI")
    portal_login(customer, shopper)
    customer.goto("/oma/markkinointi/")
    switch = customer.get_by_role("group", name=WORDING, exact=True)
    expect(switch).to_be_visible()
    _check_at_both_widths(customer, "portal-marketing-wording")
    switch.get_by_label("Kyllä", exact=True).check()
    customer.get_by_role("button", name="Tallenna valinnat").click()
    expect(customer.get_by_role("status").first).to_contain_text("on tallennettu")
    consent = ConsentEvent.objects.get(customer=shopper, purpose="direct_marketing")
    # What the customer read: the purpose's heading and the shop's words under it.
    assert consent.is_granted
    assert consent.wording == f"Tarjoukset ja uutiskirjeet meiltä – {WORDING}"


def test_staff_see_a_wording_the_statement_lacks_and_a_carrier_it_does_not_name(
    new_page, register_admin
):
    cache.clear()
    ensure_demo_statement()
    ConsentWording.objects.filter(purpose="direct_marketing", channel="email").update(text_sv="")
    Carrier.objects.create(key="kaukokiito", name="Kaukokiito", tracking_url=PATTERN)
    page = new_page(viewport=DESKTOP, locale="fi-FI")
    _log_in(page, register_admin)

    # The draft page names the wording and its language, and links to where it is fixed.
    page.goto(f"/hallinta/statement/statementdraft/{StatementDraft.current().pk}/change/")
    gap = page.locator("li", has_text="Suostumuksen sanamuoto ”suoramarkkinointi / sähköposti”")
    expect(gap).to_contain_text("ruotsinkielinen käännös puuttuu")
    for viewport, width in ((DESKTOP, 1280), (PHONE, 360)):
        page.set_viewport_size(viewport)
        assert_fits_the_screen(page)
        assert_accessible(page)
        # The page is long: the gaps at its top are what is kept.
        page.screenshot(path=SCREENSHOTS / f"staff-statement-wording-gap-{width}.png")
    page.set_viewport_size(DESKTOP)
    gap.get_by_role("link", name="Korjaa tästä").click()
    expect(page.get_by_label("Sanamuoto (ruotsi)")).to_be_visible()

    # A parcel with a carrier the statement does not name is refused on the shipment form.
    page.goto("/hallinta/customers/shipment/add/")
    page.locator("#id_order").fill(str(make_shopper().orders.first().pk))
    page.get_by_label("Kuljetusliike").select_option("kaukokiito")
    page.get_by_label("Seurantatunnus").fill("KK 1")
    page.get_by_role("button", name="Tallenna ja poistu").click()
    expect(page.locator(".errorlist")).to_contain_text(
        "Kuljetusliikettä ”Kaukokiito” ei ole vastaanottajarekisterissä"
    )
    _check_at_both_widths(page, "staff-shipment-refused")
    assert not Shipment.objects.filter(carrier="kaukokiito").exists()
