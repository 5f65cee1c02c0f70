import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, portal_login
from tests.factories import CustomerFactory, OrderLineFactory, ShipmentFactory, TrackingEventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def shopper():
    line = OrderLineFactory(product_name="Keittokirja")
    shipment = ShipmentFactory(order=line.order, carrier="posti", tracking_code="JJFI00000001")
    TrackingEventFactory(shipment=shipment, description="Toimitettu vastaanottajalle")
    return line.order.customer


def test_customer_logs_in_sees_orders_and_logs_out(page, shopper):
    portal_login(page, shopper)
    expect(page.get_by_role("heading", name="Omat tiedot")).to_be_visible()
    expect(page.get_by_text(shopper.formatted_number)).to_be_visible()
    page.get_by_role("link", name="Tilaukset ja toimitukset").click()
    expect(page.get_by_text("Keittokirja")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("JJFI00000001"))).to_have_attribute(
        "href", re.compile(r"posti\.fi")
    )
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_role("heading", name="Kirjaudu omiin tietoihin")).to_be_visible()
    page.goto("/oma/tilaukset/")
    expect(page).to_have_url(re.compile("/oma/kirjaudu/"))


def test_a_second_customer_cannot_reach_the_first_customers_pages(page, shopper):
    other = CustomerFactory()
    portal_login(page, other)
    page.goto("/oma/tilaukset/")
    expect(page.get_by_text("Keittokirja")).to_have_count(0)
    expect(page.get_by_text(shopper.email)).to_have_count(0)


def test_portal_pages_have_no_accessibility_violations(page, phone_page, shopper):
    for p in (page, phone_page):
        p.goto("/oma/kirjaudu/")
        assert_accessible(p)
        portal_login(p, shopper)
        for path in ("/oma/tiedot/", "/oma/tilaukset/"):
            p.goto(path)
            assert_accessible(p)
        p.get_by_role("button", name="Kirjaudu ulos").click()
