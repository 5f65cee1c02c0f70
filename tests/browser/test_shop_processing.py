"""The register admin sets up the shop's own processing in the staff panel, publishes, and the
statement and the customer's access package say it: no code changed (issue 20)."""

import io
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.shop import ensure_demo_statement
from privacy.models import AuditEntry
from privacy.vocabulary import WHILE_CUSTOMER
from statement.models import StatementDraft, StatementVersion
from tests.browser.conftest import (
    DESKTOP,
    PDF_TIMEOUT,
    PHONE,
    assert_accessible,
    make_shopper,
    portal_login,
)
from tests.browser.test_statement_publishing import _fits, _log_in
from tests.statement.test_shop_processing import ANALYTICS, PRIZE_DRAWS

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = settings.BASE_DIR / "docs" / "screenshots"


def _add_row(page, prefix: str) -> None:
    page.locator(f"#{prefix}-group .add-row a").click()


def _fill(page, prefix: str, row: int, values: dict) -> None:
    for field, value in values.items():
        page.locator(f"#id_{prefix}-{row}-{field}").fill(str(value))


def _shoot(page, selector: str, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(selector).screenshot(path=SCREENSHOTS / name)


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u2010\n", "").split())


def test_the_register_admin_adds_a_purpose_outside_data_and_a_retention_choice(
    new_page, register_admin
):
    cache.clear()
    ensure_demo_statement()
    draft = StatementDraft.current()
    page = new_page(viewport=DESKTOP, locale="fi-FI")
    _log_in(page, register_admin)
    change_url = f"/hallinta/statement/statementdraft/{draft.pk}/change/"
    page.goto(change_url)

    # A purpose from the catalogue, and one of the shop's own.
    _add_row(page, "purposes")
    analytics = "Verkkosivuston käytön analysointi"
    page.locator("#id_purposes-0-catalogue_key").select_option(label=analytics)
    _add_row(page, "purposes")
    page.locator("#id_purposes-1-basis").select_option("f")
    _fill(page, "purposes", 1, PRIZE_DRAWS)
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Tallennettu:")

    # The shop's own purpose uses the register's order history: mapped onto that category.
    page.locator("#purposes-1").get_by_label("Tilaushistoria", exact=True).check()
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Tallennettu:")
    expect(page.locator("#purposes-1").get_by_label("Tilaushistoria", exact=True)).to_be_checked()
    mapped = AuditEntry.objects.filter(actor=register_admin, action=AuditEntry.Action.CHANGE)
    assert any(
        "Käytettävät tietoryhmät" in c.get("fields", [])
        for e in mapped
        for c in e.details.get("changes", [])
    )

    # Data held outside the register, for the analytics purpose; and a shorter inactivity period.
    _add_row(page, "outside_categories")
    _fill(page, "outside_categories", 0, ANALYTICS)
    page.locator("#outside_categories-0").get_by_label(analytics).check()
    _add_row(page, "retention_choices")
    page.locator("#id_retention_choices-0-rule").select_option(WHILE_CUSTOMER.key)
    page.locator("#id_retention_choices-0-months").fill("30")
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Tallennettu:")
    expect(page.locator(".readonly").first).to_contain_text("Rekisteri ei enää vastaa")
    _fits(page)
    assert_accessible(page)
    for width, viewport in (("1280", DESKTOP), ("360", PHONE)):
        page.set_viewport_size(viewport)
        _shoot(page, "#purposes-group", f"staff-shop-purposes-{width}.png")
        _shoot(page, "#outside_categories-group", f"staff-outside-data-{width}.png")
        _shoot(page, "#retention_choices-group", f"staff-retention-choices-{width}.png")
    page.set_viewport_size(DESKTOP)

    # Every change was audited, by the model changed.
    changes = AuditEntry.objects.filter(actor=register_admin, action=AuditEntry.Action.CHANGE)
    added = {c["model"] for e in changes for c in e.details.get("changes", []) if "model" in c}
    assert {"käsittelyn tarkoitus", "valittu säilytysaika"} <= added
    assert "rekisterin ulkopuolella pidetty tietoryhmä" in added

    # Preview and publish.
    page.goto(f"/hallinta/statement/statementdraft/{draft.pk}/esikatselu/")
    page.get_by_label("Olen tarkistanut esikatselun ja julkaisen sen versiona 2.").check()
    # Publishing prints the version's PDFs (the test's task backend runs them at once).
    page.get_by_role("button", name="Julkaise versio 2").click(timeout=PDF_TIMEOUT)
    expect(page.get_by_text("Julkaistiin tietosuojaselosteen versio 2.")).to_be_visible()
    assert StatementVersion.latest().number == 2

    # The public statement says it all.
    public = new_page(viewport=DESKTOP, locale="fi-FI")
    public.goto("/tietosuojaseloste/")
    purposes = public.locator("section#purposes")
    expect(purposes).to_contain_text("Verkkosivuston käytön analysointi")
    expect(purposes).to_contain_text("Oikeutettu etu: Asiakkaiden palkitseminen arvonnoilla.")
    content = public.locator("section#data_content")
    expect(content).to_contain_text("Verkkosivuston käyttötiedot")
    expect(content).to_contain_text("Käytämme näitä tietoja myös: Arvontojen järjestäminen.")
    held = "Pidämme näitä tietoja rekisterin ulkopuolella: Google Analytics."
    expect(content).to_contain_text(held)
    retention = public.locator("section#retention")
    expect(retention).to_contain_text("30 kuukautta")
    expect(
        retention.get_by_role("row", name=re.compile("Verkkosivuston käyttötiedot"))
    ).to_contain_text("14 kuukautta")
    for width, viewport in (("1280", DESKTOP), ("360", PHONE)):
        public.set_viewport_size(viewport)
        _fits(public)
        for section in ("purposes", "data_content", "retention"):
            _shoot(public, f"section#{section}", f"statement-{section}-{width}.png")
    public.goto("/en/tietosuojaseloste/")
    expect(public.locator("section#data_content")).to_contain_text("Website usage data")
    expect(public.locator("section#data_content")).to_contain_text(
        "We also use this data for: Running prize draws."
    )

    # And so does the customer's access package.
    shopper = make_shopper()
    customer_page = new_page(locale="fi-FI")
    portal_login(customer_page, shopper)
    customer_page.goto("/oma/lataa/")
    customer_page.get_by_role("button", name="Muodosta tietopaketti").click(timeout=PDF_TIMEOUT)
    with customer_page.expect_download() as download:
        customer_page.get_by_role("link", name=re.compile("Lataa PDF")).first.click()
    with open(download.value.path(), "rb") as pdf:
        text = _pdf_text(pdf.read())
    assert "Ne eivät ole tässä paketissa; saat ne pyytämällä meiltä." in text
    assert "Verkkosivuston käyttötiedot" in text
    assert held in text
    assert "30 kuukautta" in text
    # The shop's own purpose names the customer's order history it uses (GDPR 15(1)(a)).
    draws = text.split("Arvontojen järjestäminen", 1)[1][:400]
    assert "Tietosi, joita tähän käytetään: Tilaushistoria." in draws
