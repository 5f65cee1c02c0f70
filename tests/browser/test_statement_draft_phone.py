"""The staff's statement draft at a phone's width: every inline card fits, nothing is cut off."""

import pytest
from django.core.cache import cache

from demo.shop import ensure_demo_statement
from statement.models import OutsideCategory, ShopPurpose, ShopSource, StatementDraft
from tests.browser.conftest import DESKTOP, PHONE, assert_fits_the_screen
from tests.browser.test_statement_publishing import _log_in

pytestmark = pytest.mark.django_db(transaction=True)

# The form rows (overflow hidden in Django's styles) whose content is wider than the row, so
# that their right edge is cut off, and the tables left outside a scroll container.
CUT_OFF = """
() => {
  const cut = [];
  for (const el of document.querySelectorAll('#content-main .form-row')) {
    if (el.offsetParent && el.scrollWidth > el.clientWidth + 1) cut.push(el.className);
  }
  for (const table of document.querySelectorAll('#content-main table')) {
    let box = table.parentElement, scrolls = false;
    while (box && !scrolls) {
      scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
      box = box.parentElement;
    }
    if (!scrolls && table.scrollWidth > table.parentElement.clientWidth + 1) cut.push('table');
  }
  return cut;
}
"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_the_draft_with_every_inline_fits_the_screen(new_page, register_admin, viewport):
    cache.clear()
    ensure_demo_statement()
    draft = StatementDraft.current()
    analytics = ShopPurpose.objects.create(draft=draft, catalogue_key="analytics")
    source = ShopSource.objects.create(draft=draft, name_fi="Messujen arvontalomakkeet")
    category = OutsideCategory.objects.create(
        draft=draft, name_fi="Verkkosivuston käyttötiedot", held_in_fi="Google Analytics",
        retention_months=14, shop_source=source,
    )  # fmt: skip
    category.purposes.add(analytics)
    page = new_page(viewport=viewport, locale="fi-FI")
    _log_in(page, register_admin)
    page.goto(f"/hallinta/statement/statementdraft/{draft.pk}/change/")
    page.get_by_role("heading", name="Muokkaa: tietosuojaselosteen luonnos").wait_for()
    assert page.locator("#recipients-group .inline-related").count() > 1
    assert page.evaluate(CUT_OFF) == []
    assert_fits_the_screen(page)
