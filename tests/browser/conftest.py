"""Real headless Chromium (Debian's) driven by Playwright against a live server on PostgreSQL."""

import datetime as dt
import os
import re
import shutil
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
# Building an access package renders its PDF with WeasyPrint: a second or two on a quiet machine,
# many more on a busy CI runner the first time fonts load.
PDF_TIMEOUT = 90_000

# What the customer reads and clicks, per language: the journeys run in Finnish and English.
TEXT = {
    "fi": {
        "prefix": "",
        "email": "Sähköpostiosoite",
        "send_code": "Lähetä koodi",
        "code": "Kirjautumiskoodi",
        "log_in": "Kirjaudu",
        "login_title": "Kirjaudu omiin tietoihin",
        "details": "Omat tiedot",
        "street": "Katuosoite",
        "save_details": "Tallenna muutokset",
        "details_saved": "Tietosi on päivitetty.",
        "orders": "Tilaukset ja toimitukset",
        "marketing": "Markkinointi",
        "offers": "Tarjoukset ja uutiskirjeet meiltä",
        "email_channel": "Sähköposti",
        "yes": "Kyllä",
        "save_marketing": "Tallenna valinnat",
        "marketing_saved": "Markkinointivalintasi on tallennettu.",
        "download": "Lataa tietosi",
        "make_package": "Muodosta tietopaketti",
        "json": "Lataa JSON",
        "erase": "Poista tietosi",
        "kept": "Mitä jää ja kuinka kauan",
        "confirm_erasure": "Ymmärrän, että poistoa ei voi perua",
        "send_erasure": "Poista tietoni",
        "requests": "Omat pyynnöt",
        "erasure_kind": "Poistopyyntö (17 artikla)",
        "log_out": "Kirjaudu ulos",
        "language": "Suomi",
    },
    "en": {
        "prefix": "/en",
        "email": "Email address",
        "send_code": "Send code",
        "code": "Login code",
        "log_in": "Log in",
        "login_title": "Log in to your details",
        "details": "My details",
        "street": "Street address",
        "save_details": "Save changes",
        "details_saved": "Your details have been updated.",
        "orders": "Orders and deliveries",
        "marketing": "Marketing",
        "offers": "Offers and newsletters from us",
        "email_channel": "Email",
        "yes": "Yes",
        "save_marketing": "Save choices",
        "marketing_saved": "Your marketing choices have been saved.",
        "download": "Download your data",
        "make_package": "Create a data package",
        "json": "Download JSON",
        "erase": "Erase your data",
        "kept": "What stays and for how long",
        "confirm_erasure": "I understand that the erasure cannot be undone",
        "send_erasure": "Erase my data",
        "requests": "My requests",
        "erasure_kind": "Erasure request (Article 17)",
        "log_out": "Log out",
        "language": "English",
    },
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        # In CI a missing browser is a failure, never a skip.
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Return open(**context options): a fresh page in its own browser context."""
    contexts = []

    def open_page(**options):
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server.url, accept_downloads=True, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page(locale="fi-FI")


@pytest.fixture
def phone_page(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, locale="fi-FI")


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            },
            "resultTypes": ["violations"],
        },
    )


def accessibility_violations(page) -> list[dict]:
    """Return axe-core's WCAG 2.1 A/AA and best-practice violations on the page."""
    return _axe(page).response["violations"]


def assert_accessible(page) -> None:
    """Fail with axe-core's findings when the page has any WCAG 2.1 A/AA violation."""
    results = _axe(page)
    violations = results.response["violations"]
    assert not violations, f"{page.url}\n{results.generate_report()}"


def assert_fits_the_screen(page) -> None:
    """Fail when the page scrolls sideways (WCAG 2.1 1.4.10 reflow, at 360 px)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px too wide"


def mailed_code(to: str) -> str:
    """Return the six-digit code of the latest mail sent to an address."""
    body = [m for m in mail.outbox if m.to == [to]][-1].body
    return re.search(r"\b(\d{6})\b", body).group(1)


def portal_login(page, customer, lang: str = "fi") -> None:
    """Log in through the portal as a customer would, reading the mailed code."""
    t = TEXT[lang]
    page.goto(f"{t['prefix']}/oma/kirjaudu/")
    page.get_by_label(t["email"]).fill(customer.email)
    page.get_by_role("button", name=t["send_code"]).click()
    page.get_by_label(t["code"]).fill(mailed_code(customer.email))
    page.get_by_role("button", name=t["log_in"], exact=True).click()
    page.get_by_role("heading", name=t["details"], level=1).wait_for()


def make_shopper(**fields):
    """Create a customer with two orders, deliveries with tracking events, and a consent."""
    from tests.factories import (
        ConsentEventFactory,
        CustomerFactory,
        OrderFactory,
        OrderLineFactory,
        ShipmentFactory,
        TrackingEventFactory,
    )

    customer = CustomerFactory(**fields)
    now = timezone.now()
    first = OrderFactory(
        customer=customer,
        number=f"T{customer.number[:5]}-412",
        ordered_at=now - dt.timedelta(days=40),
        status="shipped",
        invoice_state="paid",
        total_net=Decimal("34.22"),
        total_vat=Decimal("5.69"),
        total_gross=Decimal("39.91"),
    )
    OrderLineFactory(
        order=first, product_name="Keittokirja", unit_price_net=Decimal("26.32"), vat_rate=14
    )
    OrderLineFactory(order=first, product_name="Kahvipaketti 500 g", unit_price_net=Decimal("7.90"))
    shipment = ShipmentFactory(
        order=first,
        carrier="posti",
        tracking_code="JJFI64123400000412",
        shipped_at=now - dt.timedelta(days=39),
        delivered_at=now - dt.timedelta(days=37),
    )
    for days, status, text, place in (
        (39, "received", "Lähetys vastaanotettu kuljetettavaksi", "Vantaa"),
        (38, "at_pickup_point", "Saapunut noutopisteeseen", "Helsinki"),
        (37, "delivered", "Toimitettu vastaanottajalle", "Helsinki"),
    ):
        TrackingEventFactory(
            shipment=shipment,
            occurred_at=now - dt.timedelta(days=days),
            status=status,
            description=text,
            location=place,
        )
    second = OrderFactory(customer=customer, number=f"T{customer.number[:5]}-518", ordered_at=now)
    OrderLineFactory(order=second, product_name="Postikortti, kesämaisema")
    ShipmentFactory(order=second, carrier="matkahuolto", tracking_code="MH8800123", shipped_at=now)
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="sms")
    return customer
