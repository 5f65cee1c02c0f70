"""The register admin edits a Finnish text and is told its translations must be checked."""

import pytest
from playwright.sync_api import expect

from demo.shop import ensure_demo_statement
from statement.models import StatementDraft, StatementPart
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible
from tests.browser.test_shop_processing import _shoot
from tests.browser.test_statement_publishing import _fits, _log_in

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Kirjoitettu aiemmalle suomenkieliselle tekstille"
GAP = "Evästeet: ruotsinkielinen teksti on kirjoitettu aiemmalle suomenkieliselle tekstille."


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_a_finnish_edit_asks_for_its_translations_to_be_checked(new_page, register_admin, viewport):
    ensure_demo_statement()
    draft = StatementDraft.current()
    page = new_page(viewport=viewport, locale="fi-FI")
    _log_in(page, register_admin)
    page.goto(f"/hallinta/statement/statementdraft/{draft.pk}/change/")
    page.locator("#id_text_cookies_fi").fill("Emme käytä evästeitä lainkaan.")
    page.locator("input[name=_continue]").click()

    expect(page.locator(".field-completeness_report")).to_contain_text(GAP)
    cookies = page.locator("fieldset", has=page.locator("#id_text_cookies_fi"))
    expect(cookies).to_contain_text(NOTE)
    _fits(page)
    assert_accessible(page)
    _shoot(
        page, "fieldset:has(#id_text_cookies_fi)", f"translation-outdated-{viewport['width']}.png"
    )

    cookies.get_by_label("Käännökset vastaavat suomenkielistä tekstiä").check()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".field-completeness_report")).not_to_contain_text(GAP)
    expect(page.locator("fieldset", has=page.locator("#id_text_cookies_fi"))).not_to_contain_text(
        NOTE
    )
    draft.refresh_from_db()
    assert not draft.translation_outdated(StatementPart.COOKIES, "sv")
