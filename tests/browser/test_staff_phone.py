"""Customer service works a request on a phone: the dashboard and the case pages fit 360 px."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from rights.cases import receive_request, verify_identity
from rights.models import DataSubjectRequest
from tests.browser.conftest import PHONE, assert_accessible, assert_fits_the_screen
from tests.browser.test_statement_publishing import _log_in
from tests.factories import CustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_erasure_is_read_and_confirmed_at_phone_width(new_page, customer_service):
    cache.clear()
    customer = CustomerFactory(email="hilkka.hamalainen-virtanen.pitkaosoite@esimerkki.example")
    OrderFactory(customer=customer)
    case = receive_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=customer,
        requester_name="Hilkka Hämäläinen-Virtanen",
        requester_contact=customer.email,
    )
    verify_identity(case=case, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, locale="fi-FI")
    _log_in(page, customer_service)

    # The dashboard's queue and charts.
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    assert_fits_the_screen(page)

    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name="Historia")).to_be_visible()
    # Each history row is a card: the actor under its column's name.
    expect(page.locator(".case-history td[data-label='Tekijä']").first).to_be_visible()
    assert_fits_the_screen(page)
    assert_accessible(page)

    page.get_by_role("button", name="Aloita käsittely ja valmistele").click()
    page.get_by_role("link", name="Jatka vahvistamaan").click()
    expect(page.locator("td[data-label='Anonymisoidaan']").first).to_be_visible()
    assert_fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Asian tunnus").fill(case.reference)
    page.get_by_role("button", name="Vahvista ja poista tiedot").click()
    expect(page.get_by_role("button", name="Lähetä ratkaisu")).to_be_visible()
    assert_fits_the_screen(page)
