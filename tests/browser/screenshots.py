"""Screenshots of every portal page, desktop and phone width, into docs/screenshots/.

Not part of the suite (the file name does not start with test_); re-run after changing a page:

    make screenshots        # or: .venv/bin/pytest tests/browser/screenshots.py -n 0 -p no:randomly
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from customers.audiences import COLUMNS, audience_rows
from demo.shop import ensure_demo_statement
from portal.services import file_my_request
from tests.browser.conftest import DESKTOP, PDF_TIMEOUT, PHONE, make_shopper, portal_login

pytestmark = pytest.mark.django_db(transaction=True)

OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
PAGES = [
    ("details", "/oma/tiedot/"),
    ("orders", "/oma/tilaukset/"),
    ("marketing", "/oma/markkinointi/"),
    ("download", "/oma/lataa/"),
    ("erase", "/oma/poista/"),
    ("requests", "/oma/pyynnot/"),
    ("statement", "/tietosuojaseloste/"),
    ("landing", "/"),
]


def test_take_screenshots(new_page):
    cache.clear()
    ensure_demo_statement()
    shopper = make_shopper(
        first_name="Aino",
        last_name="Virtanen",
        email="aino.virtanen@example.fi",
        phone="+358401234567",
        street_address="Koivukuja 2 B 7",
        postal_code="00510",
        post_office="Helsinki",
    )
    file_my_request(
        customer=shopper,
        kind="restriction",
        description="Osoitteeni on kiistanalainen, älkää käyttäkö sitä ennen selvitystä.",
    )
    OUT.mkdir(parents=True, exist_ok=True)
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(viewport=viewport, is_mobile=device == "phone", locale="fi-FI")
        page.goto("/oma/kirjaudu/")
        page.screenshot(path=OUT / f"login-{device}.png", full_page=True)
        portal_login(page, shopper)
        if device == "desktop":
            page.goto("/oma/lataa/")
            page.get_by_role("button", name="Muodosta tietopaketti").click(timeout=PDF_TIMEOUT)
        for name, path in PAGES:
            page.goto(path)
            # The statement is long; its first screen shows the look.
            page.screenshot(path=OUT / f"{name}-{device}.png", full_page=name != "statement")
        # The opt-out link of a marketing message, as its recipient sees it (no login).
        page.goto(unsubscribe_link(shopper))
        page.screenshot(path=OUT / f"unsubscribe-{device}.png", full_page=True)


def unsubscribe_link(customer) -> str:
    """Return the customer's opt-out link from the SMS audience, as a path on the site."""
    column = COLUMNS["sms"].index("unsubscribe_url")
    row = next(r for r in audience_rows("sms") if r[0] == customer.number)
    return row[column].removeprefix(settings.SITE_URL.rstrip("/"))
