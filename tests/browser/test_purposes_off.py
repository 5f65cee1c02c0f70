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

pytestmark = pytest.mark.django_db(transaction=True)

GIFT_CARDS = "Lahjakorttien lunastaminen"


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
    for width, viewport in (("1280", DESKTOP), ("360", PHONE)):
        page.set_viewport_size(viewport)
        _fits(page)
        _shoot(page, "fieldset.purposes-off", f"staff-purposes-off-refused-{width}.png")
    page.set_viewport_size(DESKTOP)

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
    for width, viewport in (("1280", DESKTOP), ("360", PHONE)):
        page.set_viewport_size(viewport)
        _fits(page)
        _shoot(page, "fieldset.purposes-off", f"staff-purposes-off-{width}.png")
    page.set_viewport_size(DESKTOP)

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
    for width, viewport in (("1280", DESKTOP), ("360", PHONE)):
        public.set_viewport_size(viewport)
        _fits(public)
        _shoot(public, "section#purposes", f"statement-purposes-off-{width}.png")
    public.goto("/en/tietosuojaseloste/")
    expect(public.locator("section#purposes")).not_to_contain_text("gift card")

    # And the register now refuses a redeemer.
    with pytest.raises(Exception, match="Lahjakorttien lunastaminen ei ole käytössä"):
        CustomerFactory(source=Customer.Source.GIFT_CARD)
