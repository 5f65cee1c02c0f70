"""The register admin edits the statement, previews the difference and publishes, in Chromium."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from demo.shop import ensure_demo_statement
from statement.models import StatementDraft, StatementVersion
from tests.browser.conftest import DESKTOP, PDF_TIMEOUT, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = settings.BASE_DIR / "docs" / "screenshots"
LAPTOP = {"width": 1024, "height": 768}


def _log_in(page, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="puhelin", confirmed=True)
    page.goto("/hallinta/")
    page.get_by_label("Käyttäjätunnus").fill(user.username)
    page.get_by_label("Salasana").fill("salasana-testi-123")
    page.get_by_label("Kertakäyttökoodi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name=re.compile("Kirjaudu")).click()


def _fits(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px too wide"


@pytest.mark.parametrize("viewport", [DESKTOP, LAPTOP], ids=["1280", "1024"])
def test_the_register_admin_previews_the_difference_and_publishes(
    new_page, register_admin, viewport
):
    cache.clear()
    ensure_demo_statement()
    draft = StatementDraft.current()
    page = new_page(viewport=viewport, locale="fi-FI")
    _log_in(page, register_admin)
    page.goto(f"/hallinta/statement/statementdraft/{draft.pk}/change/")
    _fits(page)
    assert_accessible(page)
    cookies = page.locator("#id_text_cookies_fi")
    expect(cookies).to_have_attribute("lang", "fi")
    cookies.fill(cookies.input_value().replace("välttämättömiä", "analytiikka-"))
    # The translations say it too, or the preview refuses them as written for the old Finnish.
    for language, old, new in (
        ("sv", "nödvändiga", "analys-"),
        ("en", "strictly necessary", "analytics"),
    ):
        translation = page.locator(f"#id_text_cookies_{language}")
        translation.fill(translation.input_value().replace(old, new))
    page.get_by_role("button", name="Tallenna ja esikatsele").click()

    expect(page.get_by_role("heading", name="Muutokset versioon 1 verrattuna")).to_be_visible()
    expect(page.locator(".statement-diff del", has_text="välttämättömiä")).to_be_visible()
    expect(page.locator(".statement-diff ins", has_text="analytiikka-")).to_be_visible()
    _fits(page)
    assert_accessible(page)
    if viewport == DESKTOP:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "staff-statement-preview-desktop.png", full_page=True)

    publish = page.get_by_role("button", name="Julkaise versio 2")
    publish.click()  # not confirmed: the browser asks for the tick, nothing is published
    assert StatementVersion.objects.count() == 1
    page.get_by_label("Olen tarkistanut esikatselun ja julkaisen sen versiona 2.").check()
    # The tests' task backend renders the version's PDFs within the request: on a busy machine
    # that takes longer than a click's usual wait.
    publish.click(timeout=PDF_TIMEOUT)
    expect(page.get_by_text("Julkaistiin tietosuojaselosteen versio 2.")).to_be_visible(
        timeout=PDF_TIMEOUT
    )
    expect(page.get_by_role("link", name="Avaa julkaistu seloste")).to_have_attribute(
        "href", "/tietosuojaseloste/versiot/2/"
    )
    expect(page.get_by_text("Tämän version aikana ei ole annettu suostumuksia.")).to_be_visible()
    assert_accessible(page)
