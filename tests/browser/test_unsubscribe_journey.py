"""A marketing message's opt-out link in real Chromium, on a phone and on a desktop.

The person opens the link from the exported row, reads what it stops, presses the one button and
is told the ban is recorded; no login, no cookie needed. Both pages pass axe-core and fit 360 px.
"""

import pytest
from django.core.cache import cache

from customers.audiences import COLUMNS, audience_rows
from customers.marketing import is_marketable
from customers.models import MarketingBan
from demo.shop import ensure_demo_statement
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.factories import ConsentEventFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _link(customer) -> str:
    column = COLUMNS["email"].index("unsubscribe_url")
    row = next(r for r in audience_rows("email") if r[0] == customer.number)
    return row[column].removeprefix("http://127.0.0.1:8000")


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_opt_out_link_asks_once_and_records_the_ban(request, device, tmp_path):
    ensure_demo_statement()
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="email")
    page = request.getfixturevalue(device)
    page.goto(_link(customer))
    page.get_by_role("heading", name="Markkinoinnin kieltäminen", level=1).wait_for()
    assert "Kun vahvistat kiellon, emme enää lähetä sinulle markkinointia" in page.content()
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.screenshot(path=tmp_path / f"unsubscribe-{device}.png", full_page=True)
    assert not MarketingBan.objects.exists()

    page.get_by_role("button", name="Vahvista kielto").click()
    page.get_by_role("heading", name="Markkinointi on kielletty", level=1).wait_for()
    assert (
        page.get_by_role("status")
        .inner_text()
        .startswith("Emme enää lähetä sinulle markkinointia sähköpostitse.")
    )
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.screenshot(path=tmp_path / f"unsubscribed-{device}.png", full_page=True)
    assert MarketingBan.objects.get(customer=customer).via == "link"
    assert not is_marketable(customer, "email")
