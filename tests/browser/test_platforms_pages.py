"""The connection settings and a case's messages to the shop, in Chromium at 1280 and 360 px.

Set SCREENSHOT_DIR=docs/screenshots to keep the screenshots (otherwise they go to a temporary
directory).
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from platforms.models import Connection, OutboxMessage
from platforms.services import save_connection
from rights.cases import receive_request
from rights.models import DataSubjectRequest
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, assert_fits_the_screen
from tests.browser.test_staff_accessibility import staff_login
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(name: str, kind: str, url: str, **secrets) -> Connection:
    return save_connection(
        connection=Connection(name=name, kind=kind, base_url=url, list_id="a1b2c3"),
        secrets=secrets,
    )


def _out(tmp_path) -> Path:
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _at_both_widths(new_page, user, url: str, tmp_path, name: str, check) -> None:
    """Open `url` as `user` at 1280 and 360 px, run `check(page, viewport)`, screenshot it."""
    out = _out(tmp_path)
    cookies = []
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(viewport=viewport, is_mobile=device == "phone", locale="fi-FI")
        if device == "desktop":
            staff_login(page, user)
        else:
            page.context.add_cookies(cookies)
        page.goto(url)
        check(page, viewport)
        assert_accessible(page)
        page.screenshot(path=out / f"{name}-{device}.png", full_page=True)
        cookies = page.context.cookies()


def test_the_connection_settings_read_and_fit_at_both_widths(new_page, register_admin, tmp_path):
    shop = _connect(
        "Kahvikauppa (Shopify)",
        Connection.Kind.SHOPIFY,
        "https://kahvikauppa.myshopify.com",
        api_key="shpat_x",
        webhook_secret="shpss_x",
    )

    def check(page, viewport) -> None:
        expect(page.get_by_text("Nyt: tallennettu.").first).to_be_visible()
        expect(page.get_by_text("/hooks/shopify/")).to_be_visible()
        assert "shpat_x" not in page.content()
        if viewport == PHONE:
            assert_fits_the_screen(page)

    url = f"/hallinta/platforms/connection/{shop.pk}/change/"
    _at_both_widths(new_page, register_admin, url, tmp_path, "platforms-connection", check)


def test_the_case_page_shows_each_systems_message_at_both_widths(
    new_page, customer_service, tmp_path
):
    shop = _connect("Kahvikauppa (Shopify)", Connection.Kind.SHOPIFY, "https://kahvikauppa.fi")
    tool = _connect("Uutiskirje", Connection.Kind.NEWSLETTER, "https://us21.api.mailchimp.com/3.0")
    woo = _connect("Villakauppa (WooCommerce)", Connection.Kind.WOOCOMMERCE, "https://villa.fi")
    case = receive_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=CustomerFactory(),
    )
    sent_at = timezone.make_aware(dt.datetime(2026, 12, 7, 14, 2))
    OutboxMessage.objects.create(
        key="a", connection=shop, action="erase", request=case, status="sent", sent_at=sent_at
    )
    OutboxMessage.objects.create(
        key="b",
        connection=tool,
        action="erase",
        request=case,
        status="retrying",
        attempts=2,
        next_attempt_at=sent_at + dt.timedelta(minutes=4),
        last_error="Järjestelmä vastasi virhekoodilla 503.",
    )
    OutboxMessage.objects.create(
        key="c",
        connection=woo,
        action="erase",
        request=case,
        status="failed",
        attempts=10,
        last_error="Järjestelmään ei saatu yhteyttä.",
    )

    def check(page, viewport) -> None:
        section = page.get_by_role("region", name="Pyynnöt verkkokauppaan ja uutiskirjepalveluun")
        expect(section.get_by_text("Lähetetty 7.12.2026 klo 14.02")).to_be_visible()
        expect(section.get_by_text("Yritetään uudelleen 7.12.2026 klo 14.06")).to_be_visible()
        expect(section.get_by_text("Epäonnistui 10 yrityksen jälkeen")).to_be_visible()
        # The section fits the phone's width (the history table below it is older and wider).
        right = section.evaluate(
            "s => Math.max(...[s, ...s.querySelectorAll('*')].map("
            "e => e.getBoundingClientRect().right))"
        )
        assert right <= viewport["width"]

    url = f"/hallinta/rights/datasubjectrequest/{case.pk}/tyotila/"
    _at_both_widths(new_page, customer_service, url, tmp_path, "platforms-case", check)
