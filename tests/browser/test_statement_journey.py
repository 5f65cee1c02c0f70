"""Anyone reads the published privacy statement, in Finnish and Swedish, and downloads its PDF."""

import re

import pytest
from playwright.sync_api import expect

from demo.shop import ensure_demo_statement
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published():
    return ensure_demo_statement()


def test_visitor_reads_the_statement_switches_to_swedish_and_downloads_the_pdf(page, published):
    page.goto("/tietosuojaseloste/")
    expect(page.get_by_role("heading", level=1, name="Tietosuojaseloste")).to_be_visible()
    expect(page.get_by_role("heading", name="6. Rekisterin tietosisältö")).to_be_visible()
    expect(page.get_by_text("Tietosuojavaltuutetun toimisto")).to_be_visible()

    page.get_by_role("link", name="Svenska").click()
    expect(page).to_have_url(re.compile("/sv/tietosuojaseloste/$"))
    expect(page.get_by_role("heading", level=1, name="Dataskyddsbeskrivning")).to_be_visible()
    expect(page.get_by_role("heading", name="6. Registrets datainnehåll")).to_be_visible()

    pdf_link = page.get_by_role("link", name="Ladda ner PDF")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    page.get_by_role("link", name="Tidigare versioner").click()
    expect(page.get_by_role("link", name=f"Version {published.number}")).to_be_visible()


def test_statement_pages_have_no_accessibility_violations(page, phone_page, published):
    for p in (page, phone_page):
        for path in (
            "/tietosuojaseloste/",
            "/en/tietosuojaseloste/",
            "/tietosuojaseloste/versiot/",
        ):
            p.goto(path)
            assert_accessible(p)
