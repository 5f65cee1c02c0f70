"""The register admin switches off a declared purpose the shop does not have, on the statement
draft, publishes, and the public statement no longer lists it (statement.purposes)."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from customers.models import Customer
from demo.shop import ensure_demo_statement
from statement.models import StatementDraft, StatementVersion
from tests.browser.conftest import DESKTOP, PDF_TIMEOUT, PHONE, assert_accessible
from tests.browser.test_shop_processing import _shoot
from tests.browser.test_statement_publishing import _fits, _log_in
from tests.factories import CustomerFactory
from tests.statement.test_purposes_off import WITHOUT_OPTIONAL

pytestmark = pytest.mark.django_db(transaction=True)

GIFT_CARDS = "Lahjakorttien lunastaminen"


def _shoot_widths(page, selector: str, name: str) -> None:
    """Check the page fits at 1280 and 360 px and shoot `selector` at each, back at 1280."""
    for width, viewport in (("1280", DESKTOP), ("360", PHONE)):
        page.set_viewport_size(viewport)
        _fits(page)
        _shoot(page, selector, f"{name}-{width}.png")
    page.set_viewport_size(DESKTOP)


def test_the_register_admin_switches_off_gift_cards_and_the_statement_drops_them(
    new_page, register_admin
):
    cache.clear()
    ensure_demo_statement()
    redeemer = CustomerFactory(source=Customer.Source.GIFT_CARD)
    draft = StatementDraft.current()
    page = new_page(viewport=DESKTOP, locale="fi-FI")
    _log_in(page, register_admin)
    page.goto(f"/hallinta/statement/statementdraft/{draft.pk}/change/")
    section = page.locator("fieldset.purposes-off")
    expect(section).to_contain_text("Käsittelyn tarkoitukset, joita kauppa ei käytä")
    gift_cards = section.get_by_label(re.compile(GIFT_CARDS))

    # Refused while a redeemer is in the register, saying what to do.
    gift_cards.check()
    page.get_by_role("button", name="Tallenna", exact=True).click()
    refusal = page.locator("fieldset.purposes-off .errorlist")
    expect(refusal).to_contain_text("rekisterissä on 1 lahjakortin lunastajaa")
    expect(refusal).to_contain_text("Poista heidän tietonsa")
    _shoot_widths(page, "fieldset.purposes-off", "staff-purposes-off-refused")

    redeemer.delete()
    gift_cards = page.locator("fieldset.purposes-off").get_by_label(re.compile(GIFT_CARDS))
    gift_cards.check()
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Tallennettu:")
    expect(page.locator(".readonly").first).to_contain_text("Rekisteri ei enää vastaa")
    expect(
        page.locator("fieldset.purposes-off").get_by_label(re.compile(GIFT_CARDS))
    ).to_be_checked()
    assert_accessible(page)
    _shoot_widths(page, "fieldset.purposes-off", "staff-purposes-off")

    # The demo shop's own words still speak of redeemers, in every language it serves: gaps,
    # each with a link to the text, until they are reworded.
    report = page.locator(".field-completeness_report")
    expect(report).to_contain_text(
        "Osa ”Rekisteröityjen ryhmät” (suomeksi) mainitsee sanan ”lahjakorttien”, mutta kauppa "
        "ei käytä käsittelyn tarkoitusta ”Lahjakorttien lunastaminen”: poista maininta tai ota "
        "tarkoitus käyttöön."
    )
    expect(report).to_contain_text("(ruotsiksi) mainitsee sanan ”presentkort”")
    expect(report).to_contain_text("(englanniksi) mainitsee sanan ”gift cards”")
    _shoot_widths(page, "fieldset:has(.field-completeness_report)", "staff-off-mention")
    report.get_by_role("link", name="Korjaa tästä").first.click()
    finnish = page.locator("#id_text_data_subjects_fi")
    expect(finnish).to_be_in_viewport()
    for language, parts in WITHOUT_OPTIONAL.items():
        page.locator(f"#id_text_data_subjects_{language}").fill(parts["data_subjects"])
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Tallennettu:")
    expect(page.locator(".field-completeness_report")).not_to_contain_text("mainitsee sanan")

    # Until published, the statement in force still has gift cards and redeemers are taken.
    CustomerFactory(source=Customer.Source.GIFT_CARD).delete()
    page.goto(f"/hallinta/statement/statementdraft/{draft.pk}/esikatselu/")
    page.get_by_label("Olen tarkistanut esikatselun ja julkaisen sen versiona 2.").check()
    page.get_by_role("button", name="Julkaise versio 2").click(timeout=PDF_TIMEOUT)
    expect(page.get_by_text("Julkaistiin tietosuojaselosteen versio 2.")).to_be_visible()
    assert StatementVersion.latest().snapshot["purposes_off"] == ["gift_cards"]

    public = new_page(viewport=DESKTOP, locale="fi-FI")
    public.goto("/tietosuojaseloste/")
    purposes = public.locator("section#purposes")
    expect(purposes).to_contain_text("Asiakassuhteen hoitaminen ja tilausten toimittaminen")
    expect(purposes).not_to_contain_text(GIFT_CARDS)
    expect(public.locator("main")).not_to_contain_text(GIFT_CARDS)
    _shoot_widths(public, "section#purposes", "statement-purposes-off")
    public.goto("/en/tietosuojaseloste/")
    expect(public.locator("section#purposes")).not_to_contain_text("gift card")

    # And the register now refuses a redeemer.
    with pytest.raises(Exception, match="Lahjakorttien lunastaminen ei ole käytössä"):
        CustomerFactory(source=Customer.Source.GIFT_CARD)
