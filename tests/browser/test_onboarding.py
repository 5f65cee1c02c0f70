"""The register admin sets the register up from the old statement, in Chromium."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from statement.models import Controller, StatementDraft, StatementRecipient
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, assert_fits_the_screen
from tests.browser.test_statement_publishing import _log_in
from tests.statement.import_expectations import FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = settings.BASE_DIR / "docs" / "screenshots"
SEED = FIXTURES / "seeds" / "004_09d16aaa72ee3a86.txt"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_the_register_admin_uploads_the_old_statement_and_confirms_it(
    new_page, register_admin, viewport
):
    cache.clear()
    page = new_page(viewport=viewport, locale="fi-FI")
    if viewport == DESKTOP:  # the staff login, for docs/aloitus.md
        page.goto("/hallinta/")
        expect(page.get_by_label("Kertakäyttökoodi")).to_be_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "staff-login-1280.png")
    _log_in(page, register_admin)
    page.goto("/hallinta/statement/statementdraft/kayttoonotto/")
    expect(page.get_by_role("heading", name="Käyttöönotto vanhasta selosteesta")).to_be_visible()
    page.locator("#upload input[type=file]").set_input_files(str(SEED))
    page.get_by_role("button", name="Lue seloste").click()
    expect(page.get_by_text("Seloste 004_09d16aaa72ee3a86.txt luettiin")).to_be_visible()

    controller = page.locator("#controller")
    expect(controller.get_by_label("Nimi")).to_have_value("Finanime Sekai")
    expect(controller.get_by_label("Y-tunnus")).to_have_value("2787109-2")
    expect(controller.get_by_label("Katuosoite")).to_have_value("Joutsentie 8")
    controller.get_by_label("Sähköposti").fill("info@finanime.fi")
    page.get_by_role("button", name="Tallenna rekisterinpitäjä").click()
    expect(page.get_by_text("Rekisterinpitäjän tiedot tallennettiin.")).to_be_visible()
    assert Controller.objects.get().email == "info@finanime.fi"

    recipients = page.locator("#recipients")
    for name in ("Posti", "perintätoimisto", "laskutuspalvelu", "viranomaiset"):
        expect(recipients.get_by_label(name, exact=True)).to_be_checked()
    page.get_by_role("button", name="Lisää valitut vastaanottajarekisteriin").click()
    expect(page.get_by_text("Vastaanottajarekisteriin lisättiin 4 vastaanottajaa.")).to_be_visible()
    assert StatementRecipient.objects.count() == 4

    # Step 5: the recognised purposes are enabled from the catalogue, the sources added.
    keys = page.locator("#keys")
    # Each offered purpose is named as the catalogue entry confirming it enables.
    expect(keys.get_by_label("Tilausten toimittaminen ja lähetysten seuranta")).to_be_checked()
    lost = keys.get_by_label(
        "Kadonneiden lähetysten selvittäminen (ei valmista tarkoitusta: kirjoita omaksi)"
    )
    expect(lost).to_be_checked()
    keys.get_by_label("Väestötietojärjestelmä").check()
    page.get_by_role("button", name="Vahvista tarkoitukset ja tietolähteet").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "luonnokselle otettiin käyttöön 5 tarkoitusta ja lisättiin 1 tietolähdettä"
    )
    note = page.locator("#keys .onboarding-note")
    expect(note).to_contain_text("Kadonneiden lähetysten selvittäminen")
    expect(note).to_contain_text("Maksamattomien laskujen periminen")
    expect(keys).to_contain_text("Tilausten toimittaminen ja lähetysten seuranta")
    draft = StatementDraft.current()
    assert draft.purposes.count() == 5 and draft.sources.count() == 1
    page.get_by_role("button", name="Vahvista tarkoitukset ja tietolähteet").click()
    expect(page.locator(".messagelist")).to_contain_text("otettiin käyttöön 0 tarkoitusta")
    assert draft.purposes.count() == 5 and draft.sources.count() == 1  # nothing twice
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = "1280" if viewport == DESKTOP else "360"
    keys.screenshot(path=SCREENSHOTS / f"staff-onboarding-keys-{width}.png")
    if viewport == DESKTOP:
        page.locator("#upload").screenshot(path=SCREENSHOTS / "staff-onboarding-upload-1280.png")

    promises = page.locator("#promises")
    court = promises.locator("ol li", has_text="tuomioistuimen lainvoimaista määräystä")
    expect(court).to_contain_text("Jätä pois")
    expect(court).to_contain_text("ilman tuomioistuimen määräystä")
    erasure = promises.locator("ol li", has_text="hävitetään käyttäjän pyynnöstä")
    expect(erasure).to_contain_text("Rekisteri pitää tämän")
    expect(page.get_by_role("link", name="Esikatsele ja julkaise")).to_be_visible()

    assert_fits_the_screen(page)
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = "desktop" if viewport == DESKTOP else "phone"
    page.screenshot(path=SCREENSHOTS / f"staff-onboarding-{name}.png", full_page=True)

    # The preview of the new statement lists the purposes and the source just confirmed.
    page.get_by_role("link", name="Esikatsele ja julkaise").click()
    expect(page.get_by_role("heading", name=re.compile("Esikatselu: versio 1"))).to_be_visible()
    if viewport == DESKTOP:
        page.screenshot(path=SCREENSHOTS / "staff-onboarding-preview-1280.png", full_page=True)
    page.locator("details.new-version summary").click()
    purposes = page.locator("details.new-version section#purposes")
    expect(purposes).to_be_visible()
    expect(purposes).to_contain_text("Tilausten toimittaminen ja lähetysten seuranta")
    expect(purposes).to_contain_text("Verkkosivuston käytön analysointi")
    expect(page.locator("details.new-version section#sources")).to_contain_text(
        "Väestötietojärjestelmä"
    )
    if viewport == DESKTOP:
        purposes.screenshot(path=SCREENSHOTS / "staff-onboarding-purposes-1280.png")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_the_register_admin_drops_the_promises_marked_to_drop(new_page, register_admin, viewport):
    cache.clear()
    page = new_page(viewport=viewport, locale="fi-FI")
    _log_in(page, register_admin)
    page.goto("/hallinta/statement/statementdraft/kayttoonotto/")
    page.locator("#upload input[type=file]").set_input_files(str(SEED))
    page.get_by_role("button", name="Lue seloste").click()
    promises = page.locator("#promises")
    court = promises.locator("ol li", has_text="tuomioistuimen lainvoimaista määräystä")
    expect(court).to_contain_text("Jätä pois:")
    drop = promises.locator(".onboarding-drop")
    expect(drop).to_contain_text("tuomioistuimen lainvoimaista määräystä")
    expect(drop).to_contain_text("ilman tuomioistuimen määräystä")  # the reason

    confirm = promises.get_by_label(re.compile("Olen lukenut perustelut"))
    expect(confirm).to_have_attribute("required", "")  # no drop without the confirmation
    confirm.check()
    promises.get_by_role("button", name="Jätä lupaukset pois").click()
    expect(page.locator(".messagelist")).to_contain_text("Luonnoksen teksteistä poistettiin")
    expect(court).to_contain_text("Jätetty pois:")
    expect(promises.get_by_role("button", name="Jätä lupaukset pois")).to_have_count(0)
    expect(promises).to_contain_text("eivät ole enää luonnoksessa")
    texts = " ".join(StatementDraft.current().texts["fi"].values())
    assert "tuomioistuimen lainvoimaista" not in " ".join(texts.split())
    assert_fits_the_screen(page)
    assert_accessible(page)
    if viewport == DESKTOP:  # for docs/aloitus.md
        promises.screenshot(path=SCREENSHOTS / "staff-onboarding-promises-1280.png")
